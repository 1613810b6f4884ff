import { median, recoveryBudgets } from "../../dr/budgets";
import { configWith } from "../helpers";

describe("recovery budgets", () => {
  it("prod: app-tier loss fails over by itself in detection + propagation + TTL", () => {
    const [app] = recoveryBudgets(configWith(undefined, "prod"));
    expect(app.automatic).toBe(true);
    // 10 s x 3 probes + 30 s propagation + 60 s TTL
    expect(app.rto).toEqual([120, 120]);
    expect(app.rpo).toEqual([0, 0]);
  });

  it("follows the health-check settings", () => {
    const slow = configWith(
      (c) => ({
        ...c,
        failover: { ...c.failover, healthCheck: { intervalSeconds: 30, failureThreshold: 5 } },
      }),
      "prod",
    );
    expect(recoveryBudgets(slow)[0].rto).toEqual([240, 240]);
  });

  it("without a standby task or a DNS zone, recovery waits for an operator", () => {
    const [app] = recoveryBudgets(configWith());
    expect(app.automatic).toBe(false);
    // operator reaction (180 s at best) + a task start (60 s)
    expect(app.rto[0]).toBe(240);
  });

  it("losing region A: one decision, promotion, a task start and the TTL from the page; RPO bounded by the RPO alarm", () => {
    const regional = recoveryBudgets(configWith(undefined, "prod"))[2];
    // reaction 180-420 s + promotion 300-600 s + task start 60-150 s + alias TTL 60 s
    expect(regional.rto).toEqual([600, 1230]);
    // Route53 answers A while B is unhealthy too: the page comes from B's standby.
    expect(regional.steps.join(" ")).toContain("`primary-unreachable` alarm pages from region B");
    expect(regional.steps.join(" ")).toContain("DNS does not fail over by itself");
    expect(regional.rpo).toEqual([5, 60]);
    expect(regional.steps.join(" ")).toContain("npm run dr -- promote");
  });

  it("follows alarms.rpoSeconds for the recovery point", () => {
    const strict = configWith((c) => ({ ...c, alarms: { ...c.alarms, rpoSeconds: 20 } }), "prod");
    expect(recoveryBudgets(strict)[2].rpo).toEqual([5, 20]);
  });

  it("losing A's database is handled as losing the region: fence A, serve from B", () => {
    const [, database, region] = recoveryBudgets(configWith(undefined, "prod"));
    expect(database.rto).toEqual(region.rto);
    expect(database.steps.join(" ")).toContain("Fence A, serve from B");
    expect(database.steps.join(" ")).not.toContain("repoint both");
  });

  it("region B down: A keeps serving, nobody involved", () => {
    const lossOfB = recoveryBudgets(configWith(undefined, "prod"))[3];
    expect(lossOfB).toMatchObject({ automatic: true, rto: [0, 0], rpo: [0, 0] });
  });

  it("median is the midpoint of best and worst case", () => {
    expect(median([600, 1230])).toBe(915);
  });
});
