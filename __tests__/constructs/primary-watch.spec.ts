import { PrimaryWatch, type PrimaryWatchProps } from "../../constructs/primary-watch";
import { configWith, listOf, synthApp, synthJson, testStack } from "../helpers";

const topicArn = "arn:aws:sns:us-west-2:123456789012:alarms";
const targetGroup = { LoadBalancer: "app/b/123", TargetGroup: "targetgroup/b/456" };

describe("PrimaryWatch", () => {
  function build(patch: Partial<PrimaryWatchProps> = {}) {
    const { stack, naming } = testStack("us-west-2");
    new PrimaryWatch(stack, "watch", {
      naming,
      topicArn,
      albArnSuffix: "app/b/123",
      targetGroupArnSuffix: "targetgroup/b/456",
      standbyTasks: 2,
      takeoverRequestsPerMinute: 30,
      ...patch,
    });
    return Object.fromEntries(
      listOf(synthJson(stack), "aws_cloudwatch_metric_alarm").map((a) => [
        String(a.alarm_name).replace("hello-you-test-usw2-", ""),
        a,
      ]),
    );
  }

  it("pages when fewer than the standby tasks are healthy for 3 minutes, silence included", () => {
    expect(build()["primary-unreachable"]).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "HealthyHostCount",
      dimensions: targetGroup,
      statistic: "Minimum",
      period: 60,
      evaluation_periods: 3,
      comparison_operator: "LessThanThreshold",
      threshold: 2,
      // No healthy target may mean no datapoint at all.
      treat_missing_data: "breaching",
      alarm_actions: [topicArn],
      ok_actions: [topicArn],
    });
  });

  it("pages when B's target group serves the threshold's requests a minute for 2 minutes", () => {
    expect(build({ takeoverRequestsPerMinute: 5 }).takeover).toMatchObject({
      metric_name: "RequestCount",
      dimensions: targetGroup,
      statistic: "Sum",
      period: 60,
      evaluation_periods: 2,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 5,
      // No request publishes no datapoint: the normal, quiet state.
      treat_missing_data: "notBreaching",
      alarm_actions: [topicArn],
    });
  });

  it("has no standby alarm without standby tasks, and no takeover alarm without a threshold", () => {
    expect(Object.keys(build({ standbyTasks: 0 }))).toEqual(["takeover"]);
    expect(Object.keys(build({ takeoverRequestsPerMinute: undefined }))).toEqual([
      "primary-unreachable",
    ]);
  });

  it.each([
    [{ standbyTasks: -1 }, "PrimaryWatch: standbyTasks -1 must be a whole number, 0 or more"],
    [{ standbyTasks: 1.5 }, "PrimaryWatch: standbyTasks 1.5 must be a whole number, 0 or more"],
    [
      { takeoverRequestsPerMinute: 0 },
      "PrimaryWatch: takeoverRequestsPerMinute 0 must be a whole number of at least 1",
    ],
    [
      { takeoverRequestsPerMinute: 1.5 },
      "PrimaryWatch: takeoverRequestsPerMinute 1.5 must be a whole number of at least 1",
    ],
  ])("refuses %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });

  it("watches region A from prod's region B until promotion; dev has neither standby nor DNS", () => {
    const alarms = (config: ReturnType<typeof configWith>) =>
      listOf(synthApp(config).failover!, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name);
    expect(alarms(configWith(undefined, "prod"))).toEqual(
      expect.arrayContaining([
        "hello-you-prod-usw2-primary-unreachable",
        "hello-you-prod-usw2-takeover",
      ]),
    );
    const promoted = configWith(
      (c) => ({ ...c, failover: { ...c.failover, promoted: true } }),
      "prod",
    );
    const devAndPromoted = [...alarms(promoted), ...alarms(configWith())];
    expect(devAndPromoted.filter((n) => /primary-unreachable|takeover/.test(String(n)))).toEqual(
      [],
    );
  });
});
