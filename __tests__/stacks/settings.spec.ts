import { buildTestStacks, configWith, listOf, synthJson } from "../helpers";

describe("settings reach the resources they name", () => {
  it("ALB deletion protection follows loadBalancer.deletionProtection, not the database's", () => {
    const config = configWith(
      (c) => ({
        ...c,
        database: { ...c.database, deletionProtection: true },
        loadBalancer: { deletionProtection: false },
      }),
      "prod",
    );
    const { primary, failover } = buildTestStacks(config);
    for (const stack of [primary, failover!]) {
      const json = synthJson(stack);
      expect(listOf(json, "aws_lb")[0].enable_deletion_protection).toBe(false);
      expect(listOf(json, "aws_db_instance").every((db) => db.deletion_protection)).toBe(true);
    }
  });

  it("one replica-lag threshold alarms on the in-region and the cross-region replica", () => {
    const config = configWith((c) => ({ ...c, alarms: { ...c.alarms, replicaLagSeconds: 120 } }));
    const { primary, failover } = buildTestStacks(config);
    for (const stack of [primary, failover!]) {
      const lag = listOf(synthJson(stack), "aws_cloudwatch_metric_alarm").filter(
        (a) => a.metric_name === "ReplicaLag",
      );
      expect(lag.length).toBeGreaterThan(0);
      for (const alarm of lag) expect(alarm.threshold).toBe(120);
    }
  });
});
