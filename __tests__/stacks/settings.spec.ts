import type { EnvironmentInput } from "../../config/schema";
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

  it("replica and recovery-point thresholds reach the alarms they name, in the region they watch", () => {
    const config = configWith(
      (c) => ({
        ...c,
        alarms: {
          ...c.alarms,
          replicaLagSeconds: 120,
          rpoSeconds: 30,
          transactionLogsDiskUsageGiB: 4,
          failoverTrafficRequestsPerMinute: 50,
        },
      }),
      "prod",
    );
    const { primary, failover } = buildTestStacks(config);
    const alarms = (stack: Parameters<typeof synthJson>[0]) =>
      Object.fromEntries(
        listOf(synthJson(stack), "aws_cloudwatch_metric_alarm").map((a) => [
          String(a.alarm_name),
          a,
        ]),
      );
    const a = alarms(primary);
    const b = alarms(failover!);
    // The in-region replica's lag; region B's replica is watched from A's writer instead.
    expect(a["hello-you-prod-use1-db-replica-replica-lag"].threshold).toBe(120);
    expect(Object.values(b).filter((alarm) => alarm.metric_name === "ReplicaLag")).toEqual([]);
    expect(a["hello-you-prod-use1-db-writer-rpo"].threshold).toBe(30);
    expect(a["hello-you-prod-use1-db-writer-transaction-logs"].threshold).toBe(4 * 1024 ** 3);
    expect(b["hello-you-prod-usw2-takeover"].threshold).toBe(50);
  });

  it("watches A's replication slot only while a region B replica feeds on it", () => {
    const slotAlarms = (patch: (c: EnvironmentInput) => EnvironmentInput) =>
      listOf(synthJson(buildTestStacks(configWith(patch)).primary), "aws_cloudwatch_metric_alarm")
        .map((a) => String(a.alarm_name))
        .filter((n) => /-(rpo|transaction-logs)$/.test(n));
    expect(slotAlarms((c) => c)).toEqual([
      "hello-you-dev-use1-db-writer-rpo",
      "hello-you-dev-use1-db-writer-transaction-logs",
    ]);
    expect(slotAlarms((c) => ({ ...c, failover: { ...c.failover, enabled: false } }))).toEqual([]);
  });
});
