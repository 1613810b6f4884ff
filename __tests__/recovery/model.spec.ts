import { recoveryBudgets } from "../../recovery/model";
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
    expect(app.rto[0]).toBeGreaterThanOrEqual(300);
  });

  it("losing region A stays within the original 15-22 min target at best and bounds RPO by the lag alarm", () => {
    const regional = recoveryBudgets(configWith(undefined, "prod"))[2];
    expect(regional.rto[0]).toBeLessThanOrEqual(15 * 60);
    expect(regional.rpo[1]).toBe(300);
  });
});
