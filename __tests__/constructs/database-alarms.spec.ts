import { DatabaseAlarms, type DatabaseRole } from "../../constructs/database-alarms";
import { configWith, listOf, synthJson, testStack } from "../helpers";

const thresholds = configWith().alarms;
const topicArn = "arn:aws:sns:us-east-1:123456789012:alarms";
const byName = (json: ReturnType<typeof synthJson>) =>
  Object.fromEntries(
    listOf(json, "aws_cloudwatch_metric_alarm").map((a) => [String(a.alarm_name), a]),
  );

describe("DatabaseAlarms", () => {
  function build(role: DatabaseRole, replicaLagSeconds?: number) {
    const { stack, naming } = testStack();
    new DatabaseAlarms(stack, "db", {
      naming,
      topicArn,
      instanceIdentifier: "db-1",
      role,
      thresholds,
      replicaLagSeconds,
    });
    return byName(synthJson(stack));
  }

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

  it("adds replica lag for replicas, at the threshold the stack gives", () => {
    expect(build("replica", 300)["hello-you-test-use1-db-replica-replica-lag"]).toMatchObject({
      threshold: 300,
      treat_missing_data: "breaching",
      ok_actions: [topicArn],
    });
    expect(
      build("cross-region-replica", 600)["hello-you-test-use1-db-cross-region-replica-replica-lag"]
        .threshold,
    ).toBe(600);
  });

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
