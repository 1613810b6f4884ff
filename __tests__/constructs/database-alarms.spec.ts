import {
  DatabaseAlarms,
  type DatabaseRole,
  type ReplicationSlotThresholds,
} from "../../constructs/database-alarms";
import { configWith, listOf, synthJson, testStack } from "../helpers";

const thresholds = configWith().alarms;
const topicArn = "arn:aws:sns:us-east-1:123456789012:alarms";
const byName = (json: ReturnType<typeof synthJson>) =>
  Object.fromEntries(
    listOf(json, "aws_cloudwatch_metric_alarm").map((a) => [String(a.alarm_name), a]),
  );

describe("DatabaseAlarms", () => {
  function build(
    role: DatabaseRole,
    replicaLagSeconds?: number,
    replicationSlots?: ReplicationSlotThresholds,
  ) {
    const { stack, naming } = testStack();
    new DatabaseAlarms(stack, "db", {
      naming,
      topicArn,
      instanceIdentifier: "db-1",
      role,
      thresholds,
      replicaLagSeconds,
      replicationSlots,
    });
    return byName(synthJson(stack));
  }
  const slots = { rpoSeconds: 60, transactionLogsDiskUsageGiB: 2 };

  it("watches writer CPU (85% for 2 x 300 s, as the original), storage, memory and connections", () => {
    const alarms = build("writer");
    expect(Object.keys(alarms).sort()).toEqual(
      ["connections", "cpu", "free-storage", "freeable-memory"].map(
        (s) => `hello-you-test-use1-db-writer-${s}`,
      ),
    );
    expect(alarms["hello-you-test-use1-db-writer-cpu"]).toMatchObject({
      threshold: 85,
      period: 300,
      evaluation_periods: 2,
      dimensions: { DBInstanceIdentifier: "db-1" },
    });
    expect(alarms["hello-you-test-use1-db-writer-free-storage"]).toMatchObject({
      threshold: 5 * 1024 ** 3,
      comparison_operator: "LessThanThreshold",
    });
  });

  it("adds replica lag for the in-region replica, at the threshold the stack gives", () => {
    expect(build("replica", 300)["hello-you-test-use1-db-replica-replica-lag"]).toMatchObject({
      threshold: 300,
      treat_missing_data: "breaching",
      ok_actions: [topicArn],
    });
  });

  it("gives a cross-region replica no lag alarm and needs no threshold for it (its writer watches)", () => {
    const alarms = build("cross-region-replica");
    expect(Object.keys(alarms).sort()).toEqual(
      ["connections", "cpu", "free-storage", "freeable-memory"].map(
        (s) => `hello-you-test-use1-db-cross-region-replica-${s}`,
      ),
    );
    expect(Object.keys(build("cross-region-replica", 600)).some((n) => n.endsWith("lag"))).toBe(
      false,
    );
  });

  it("watches a writer's replication slot: seconds of writes not yet replicated, over 3 minutes", () => {
    const rpo = build("writer", undefined, slots)["hello-you-test-use1-db-writer-rpo"];
    expect(rpo).toMatchObject({
      comparison_operator: "GreaterThanThreshold",
      threshold: 60,
      evaluation_periods: 3,
      alarm_actions: [topicArn],
    });
    const queries = rpo.metric_query as {
      id: string;
      expression?: string;
      return_data?: boolean;
      metric?: { metric_name: string; dimensions: object; period: number };
    }[];
    const metric = (id: string) => queries.find((q) => q.id === id)!;
    expect(metric("lag").metric).toMatchObject({
      metric_name: "OldestReplicationSlotLag",
      dimensions: { DBInstanceIdentifier: "db-1" },
      period: 60,
    });
    expect(metric("rate").metric).toMatchObject({ metric_name: "TransactionLogsGeneration" });
    // Zero on an idle database; a stalled slot (lag, no new WAL) counts as an hour behind.
    expect(metric("rpo")).toMatchObject({
      expression: "IF(lag <= 0, 0, IF(rate > 0, lag / rate, 3600))",
      return_data: true,
    });
    expect(queries.filter((q) => q.return_data)).toHaveLength(1);
  });

  it("alarms when write-ahead log piles up on the writer beyond the GiB threshold", () => {
    const logs = build("writer", undefined, { ...slots, transactionLogsDiskUsageGiB: 3 })[
      "hello-you-test-use1-db-writer-transaction-logs"
    ];
    expect(logs).toMatchObject({
      metric_name: "TransactionLogsDiskUsage",
      dimensions: { DBInstanceIdentifier: "db-1" },
      threshold: 3 * 1024 ** 3,
      comparison_operator: "GreaterThanThreshold",
    });
  });

  it("gives a writer no slot alarms unless asked", () => {
    expect(Object.keys(build("writer")).some((n) => /rpo|transaction-logs/.test(n))).toBe(false);
  });

  it.each(["replica", "cross-region-replica"] as const)(
    "refuses replication-slot alarms on a %s",
    (role) => {
      expect(() => build(role, 300, slots)).toThrow(
        `DatabaseAlarms: replicationSlots belong to the writer, not to a ${role}`,
      );
    },
  );

  it("gives a writer no lag alarm, even when a threshold is passed", () => {
    expect(Object.keys(build("writer", 300)).some((n) => n.endsWith("replica-lag"))).toBe(false);
  });

  it("refuses a replica without a lag threshold", () => {
    expect(() => build("replica")).toThrow("DatabaseAlarms: a replica needs replicaLagSeconds");
  });

  it("rejects a non-positive lag threshold", () => {
    expect(() => build("replica", 0)).toThrow(
      "DatabaseAlarms: replicaLagSeconds 0 must be positive",
    );
  });
});
