import {
  OUTAGE_ASSUMPTIONS,
  OUTAGE_GOAL,
  automaticPromotion,
  goalVerdict,
  outageBudget,
} from "../../dr/outage";
import { detectionMinutes } from "../../dr/auto/decide";
import { configWith } from "../helpers";

const prod = configWith(undefined, "prod");
const TOOL = 13.6;
const seconds = (config: typeof prod, mode: "human" | "automatic") =>
  Object.fromEntries(outageBudget(config, mode, TOOL).phases.map((p) => [p.id, p.seconds]));

describe("recovery from the outage", () => {
  it("prod, a person deciding: page from B, decision, promotion, task start; DNS beside them", () => {
    expect(seconds(prod, "human")).toEqual({
      // 3 failed checks 10 s apart (+ one interval), 3 one-minute periods, datapoints up to 60 s late
      detection: [210, 280],
      decision: [180, 900],
      promotion: [313.6, 613.6],
      // Fargate 45-90 s, then 2 passing checks 10 s apart (+ one interval)
      taskStart: [65, 120],
      // 3 Route53 probes 10 s apart + 30 s propagation + 60 s TTL, from the outage
      dns: [120, 120],
    });
    expect(outageBudget(prod, "human", TOOL).total).toEqual([768.6, 1913.6]);
  });

  it("prod, automatic: the quorum window and the hold replace the page and the person", () => {
    const { quorumMinutes, holdMinutes } = prod.failover.automation;
    expect([quorumMinutes, holdMinutes]).toEqual([3, 2]);
    expect(seconds(prod, "automatic")).toMatchObject({
      // the function's first run after the outage (within a minute), then 3 min of quorum, then
      // its 19 s of signal gathering: decide.ts's worst case
      detection: [180, Math.round(detectionMinutes(3) * 60)],
      decision: [120, 120],
    });
    expect(detectionMinutes(3) * 60).toBeCloseTo(259);
    expect(outageBudget(prod, "automatic", TOOL).total).toEqual([678.6, 1112.6]);
  });

  it("moves with the automatic promotion's quorum and hold", () => {
    const fast = configWith(
      (c) => ({
        ...c,
        failover: { ...c.failover, automation: { quorumMinutes: 2, holdMinutes: 1 } },
      }),
      "prod",
    );
    expect(seconds(fast, "automatic")).toMatchObject({ detection: [120, 199], decision: [60, 60] });
  });

  it("moves with B's target-group interval, the image source and the Route53 check", () => {
    const slow = configWith(
      (c) => ({
        ...c,
        failover: {
          ...c.failover,
          targetHealthCheckIntervalSeconds: 30,
          imageSource: "upstream",
          healthCheck: { intervalSeconds: 30, failureThreshold: 5 },
        },
      }),
      "prod",
    );
    const phases = outageBudget(slow, "human", TOOL).phases;
    expect(seconds(slow, "human")).toMatchObject({
      detection: [90 + 180, 120 + 180 + 60],
      taskStart: [45 + 60, 90 + 90],
      dns: [150 + 30 + 60, 150 + 30 + 60],
    });
    expect(phases.find((p) => p.id === "taskStart")!.basis).toContain("through B's NAT");
    expect(outageBudget(prod, "human", TOOL).phases[3].basis).toContain("B's own ECR cache");
  });

  it("counts DNS beside the rest: it never adds to the serial path", () => {
    const budget = outageBudget(prod, "automatic", 0);
    const serial = budget.phases.filter((p) => !p.parallel);
    expect(budget.total[0]).toBe(serial.reduce((sum, p) => sum + p.seconds[0], 0));
    const slowDns = configWith(
      (c) => ({
        ...c,
        failover: { ...c.failover, healthCheck: { intervalSeconds: 30, failureThreshold: 10 } },
      }),
      "prod",
    );
    // 300 s + 30 s + 60 s of DNS against a serial path of at least 678.6 s: still the serial path.
    expect(outageBudget(slowDns, "automatic", TOOL).total[0]).toBe(678.6);
  });

  it("reads failover.automatic (off in prod)", () => {
    expect(automaticPromotion(prod)).toBe(false);
    const failover = { ...prod.failover, automatic: true };
    expect(automaticPromotion({ ...prod, failover })).toBe(true);
    expect(outageBudget(prod, "human", TOOL).configured).toBe(true);
    expect(outageBudget(prod, "automatic", TOOL).configured).toBe(false);
  });

  it("says plainly that the automatic median misses 10 minutes, and by how much", () => {
    const verdict = goalVerdict(outageBudget(prod, "automatic", TOOL));
    expect(OUTAGE_GOAL.seconds).toBe(600);
    expect(verdict.median).toBeCloseTo(895.6);
    expect(verdict.meets).toBe(false);
    expect(verdict.change).toMatch(/^296 s over\. RDS.s promotion would have to take under 168 s/);
    // The human mode cannot make it even with an instant promotion.
    expect(goalVerdict(outageBudget(prod, "human", TOOL)).change).toContain(
      "even an instant promotion would not do",
    );
  });

  it("gives every assumption a range and a source: a URL or an explicit 'our assumption'", () => {
    for (const [key, a] of Object.entries(OUTAGE_ASSUMPTIONS)) {
      expect([key, a.seconds[0] <= a.seconds[1]]).toEqual([key, true]);
      expect([key, /https:\/\/|^our assumption/.test(a.source)]).toEqual([key, true]);
    }
  });
});
