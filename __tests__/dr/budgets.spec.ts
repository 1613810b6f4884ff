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

  it("losing region A: counted from the outage, a person deciding while failover.automatic is off; RPO bounded by the RPO alarm", () => {
    const regional = recoveryBudgets(configWith(undefined, "prod"))[2];
    // detection 210-280 s + decision 180-900 s + tool 13.6 s + promotion 300-600 s + task start 65-120 s
    expect(regional.rto).toEqual([768.6, 1913.6]);
    expect(regional.automatic).toBe(false);
    // B's standby needs A's writer: the page comes from B's standby, and B serves nothing yet.
    expect(regional.steps.join(" ")).toContain("`primary-unreachable` alarm pages from region B");
    expect(regional.steps.join(" ")).toContain("nothing serves until the promotion");
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

  it("shows the promote guard, the lag report and the Multi-AZ change among the steps", () => {
    const steps = recoveryBudgets(configWith(undefined, "prod"))[2].steps.join(" ");
    expect(steps).toContain("refuses without `--force` while A's health path answers");
    expect(steps).toContain("inside A's maintenance window (sun:05:00-sun:06:00 UTC");
    expect(steps).toContain("prints the replica's last known lag");
    expect(steps).toContain("redeploys, then makes B's new writer Multi-AZ at once");
    expect(recoveryBudgets(configWith())[2].steps.join(" ")).not.toContain("Multi-AZ at once");
  });

  it("region B down: A keeps serving, nobody involved", () => {
    const lossOfB = recoveryBudgets(configWith(undefined, "prod"))[3];
    expect(lossOfB).toMatchObject({ automatic: true, rto: [0, 0], rpo: [0, 0] });
  });

  it("with failover.automatic, losing the region is automatic and counts the trigger, not a person", () => {
    // failover.automatic arrives with the automatic promotion's schema; the model reads it already.
    const prod = configWith(undefined, "prod");
    const auto = { ...prod, failover: { ...prod.failover, automatic: true } };
    const [, database, region] = recoveryBudgets(auto);
    expect(region.automatic).toBe(true);
    // detection 180-259 s + hold 120 s + tool 13.6 s + promotion 300-600 s + task start 65-120 s
    expect(region.rto).toEqual([678.6, 1112.6]);
    // Losing the database alone stays a person's decision.
    expect(database).toMatchObject({ automatic: false, rto: [768.6, 1913.6] });
  });

  it("median is the midpoint of best and worst case", () => {
    expect(median([600, 1230])).toBe(915);
  });
});
