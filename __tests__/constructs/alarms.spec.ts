import { AlarmTopic } from "../../constructs/alarm-topic";
import { DatabaseAlarms, type DatabaseRole } from "../../constructs/database-alarms";
import { EncryptionKey } from "../../constructs/encryption-key";
import { ServiceAlarms } from "../../constructs/service-alarms";
import { configWith, listOf, policiesOf, synthJson, testStack } from "../helpers";

const thresholds = configWith().alarms;
const topicArn = "arn:aws:sns:us-east-1:123456789012:alarms";
const byName = (json: ReturnType<typeof synthJson>) =>
  Object.fromEntries(
    listOf(json, "aws_cloudwatch_metric_alarm").map((a) => [String(a.alarm_name), a]),
  );

describe("AlarmTopic", () => {
  function build(emails: string[]) {
    const { stack, naming } = testStack();
    const kmsKey = new EncryptionKey(stack, "key", { naming });
    new AlarmTopic(stack, "topic", { naming, kmsKey, emails });
    return synthJson(stack);
  }

  it("is encrypted, lets CloudWatch publish, refuses plain-text publishes, and subscribes each address", () => {
    const json = build(["a@example.com", "b@example.com"]);
    expect(listOf(json, "aws_sns_topic")[0]).toMatchObject({
      name: "hello-you-test-use1-alarms",
      kms_master_key_id: expect.stringContaining("aws_kms_key"),
    });
    const [policy] = policiesOf(json, "aws_sns_topic_policy");
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
      }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    expect(listOf(json, "aws_sns_topic_subscription").map((s) => [s.protocol, s.endpoint])).toEqual(
      [
        ["email", "a@example.com"],
        ["email", "b@example.com"],
      ],
    );
  });

  it("rejects bad and duplicate addresses", () => {
    expect(() => build(["nope"])).toThrow('AlarmTopic: emails "nope" are not e-mail addresses');
    expect(() => build(["a@example.com", "a@example.com"])).toThrow(
      "AlarmTopic: emails lists an address twice",
    );
  });
});

describe("ServiceAlarms", () => {
  const { stack, naming } = testStack();
  new ServiceAlarms(stack, "alarms", {
    naming,
    topicArn,
    albArnSuffix: "app/alb/123",
    targetGroupArnSuffix: "targetgroup/tg/456",
    clusterName: "cluster",
    serviceName: "service",
    thresholds,
  });
  const alarms = byName(synthJson(stack));

  it("notifies the topic on alarm and on recovery, for every alarm", () => {
    expect(Object.keys(alarms).sort()).toEqual(
      ["alb-5xx", "ecs-cpu", "ecs-memory", "p99-latency", "unhealthy-hosts"].map(
        (s) => `hello-you-test-use1-${s}`,
      ),
    );
    for (const alarm of Object.values(alarms)) {
      expect(alarm.alarm_actions).toEqual([topicArn]);
      expect(alarm.ok_actions).toEqual([topicArn]);
    }
  });

  it("keeps the original's ECS CPU figure: above 85% for 3 x 300 s", () => {
    expect(alarms["hello-you-test-use1-ecs-cpu"]).toMatchObject({
      threshold: 85,
      period: 300,
      evaluation_periods: 3,
      metric_name: "CPUUtilization",
      namespace: "AWS/ECS",
    });
  });

  it("sums ALB and target 5xx, and watches p99 latency", () => {
    const fivexx = alarms["hello-you-test-use1-alb-5xx"];
    expect(fivexx.metric_query).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ expression: "elb + target", return_data: true }),
        expect.objectContaining({
          metric: expect.objectContaining({ metric_name: "HTTPCode_Target_5XX_Count" }),
        }),
      ]),
    );
    expect(alarms["hello-you-test-use1-p99-latency"]).toMatchObject({
      extended_statistic: "p99",
      threshold: 2,
    });
  });
});

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

  it("adds replica lag for replicas (300 s by default, config for cross-region)", () => {
    expect(build("replica")["hello-you-test-use1-db-replica-replica-lag"]).toMatchObject({
      threshold: 300,
      treat_missing_data: "breaching",
      ok_actions: [topicArn],
    });
    expect(
      build("cross-region-replica", 600)["hello-you-test-use1-db-cross-region-replica-replica-lag"]
        .threshold,
    ).toBe(600);
  });

  it("rejects a non-positive lag threshold", () => {
    expect(() => build("replica", 0)).toThrow(
      "DatabaseAlarms: replicaLagSeconds 0 must be positive",
    );
  });
});
