import { DEPLOYMENT_ALARMS, ServiceAlarms } from "../../constructs/service-alarms";
import { configWith, listOf, synthJson, testStack } from "../helpers";

const thresholds = configWith().alarms;
const topicArn = "arn:aws:sns:us-east-1:123456789012:alarms";
const byName = (json: ReturnType<typeof synthJson>) =>
  Object.fromEntries(
    listOf(json, "aws_cloudwatch_metric_alarm").map((a) => [String(a.alarm_name), a]),
  );

/** The alarms of one service, by name; with blue/green's second target group if given. */
function alarmsOf(alternateTargetGroupArnSuffix?: string) {
  const { stack, naming } = testStack();
  new ServiceAlarms(stack, "alarms", {
    naming,
    topicArn,
    albArnSuffix: "app/alb/123",
    targetGroupArnSuffix: "targetgroup/tg/456",
    alternateTargetGroupArnSuffix,
    clusterName: "cluster",
    serviceName: "service",
    thresholds,
  });
  return byName(synthJson(stack));
}

describe("ServiceAlarms", () => {
  const alarms = alarmsOf();

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

  it("sums ALB and target 5xx with missing series filled with 0, and watches p99 latency", () => {
    const fivexx = alarms["hello-you-test-use1-alb-5xx"];
    const queries = fivexx.metric_query as Record<string, unknown>[];
    // A series CloudWatch did not publish (no target 5xx while the ALB answers 502/503) counts
    // as 0, so the sum still has a datapoint.
    expect(queries.filter((q) => q.return_data)).toEqual([
      expect.objectContaining({ id: "total", expression: "FILL(elb, 0) + FILL(target, 0)" }),
    ]);
    expect(queries.filter((q) => q.metric)).toEqual([
      expect.objectContaining({
        id: "elb",
        metric: expect.objectContaining({ metric_name: "HTTPCode_ELB_5XX_Count", stat: "Sum" }),
      }),
      expect.objectContaining({
        id: "target",
        metric: expect.objectContaining({ metric_name: "HTTPCode_Target_5XX_Count", stat: "Sum" }),
      }),
    ]);
    expect(fivexx).toMatchObject({ treat_missing_data: "notBreaching", threshold: 10 });
    expect(alarms["hello-you-test-use1-p99-latency"]).toMatchObject({
      extended_statistic: "p99",
      threshold: 2,
    });
  });
});

describe("ServiceAlarms under blue/green", () => {
  const alarms = alarmsOf("targetgroup/tg-b/789");

  it("watches the alternate target group's hosts too: production lands there every other deployment", () => {
    expect(alarms["hello-you-test-use1-unhealthy-hosts-alternate"]).toMatchObject({
      metric_name: "UnHealthyHostCount",
      dimensions: { LoadBalancer: "app/alb/123", TargetGroup: "targetgroup/tg-b/789" },
    });
  });

  it("names as deployment alarms those on the whole load balancer, which follow traffic to either group", () => {
    for (const id of DEPLOYMENT_ALARMS) {
      const alarm = alarms[`hello-you-test-use1-${id}`];
      expect(JSON.stringify(alarm)).toContain("app/alb/123");
      expect(JSON.stringify(alarm)).not.toContain("targetgroup/");
    }
  });
});
