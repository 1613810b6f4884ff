import {
  StandbyHealthAlarm,
  type StandbyHealthAlarmProps,
} from "../../constructs/standby-health-alarm";
import { configWith, listOf, synthApp, synthJson, testStack } from "../helpers";

const topicArn = "arn:aws:sns:us-west-2:123456789012:alarms";

describe("StandbyHealthAlarm", () => {
  function build(patch: Partial<StandbyHealthAlarmProps> = {}) {
    const { stack, naming } = testStack("us-west-2");
    new StandbyHealthAlarm(stack, "standby", {
      naming,
      topicArn,
      albArnSuffix: "app/b/123",
      targetGroupArnSuffix: "targetgroup/b/456",
      standbyTasks: 2,
      ...patch,
    });
    return listOf(synthJson(stack), "aws_cloudwatch_metric_alarm");
  }

  it("pages when fewer than the standby tasks are healthy for 3 minutes, silence included", () => {
    expect(build()).toEqual([
      expect.objectContaining({
        alarm_name: "hello-you-test-usw2-primary-unreachable",
        namespace: "AWS/ApplicationELB",
        metric_name: "HealthyHostCount",
        dimensions: { LoadBalancer: "app/b/123", TargetGroup: "targetgroup/b/456" },
        statistic: "Minimum",
        period: 60,
        evaluation_periods: 3,
        comparison_operator: "LessThanThreshold",
        threshold: 2,
        // No healthy target may mean no datapoint at all.
        treat_missing_data: "breaching",
        alarm_actions: [topicArn],
        ok_actions: [topicArn],
      }),
    ]);
  });

  it.each([0, 1.5])("refuses standbyTasks %s", (standbyTasks) => {
    expect(() => build({ standbyTasks })).toThrow(
      `StandbyHealthAlarm: standbyTasks ${standbyTasks} must be a whole number of at least 1`,
    );
  });

  it("watches region B's standby in prod until promotion; dev has no standby task to watch", () => {
    const alarms = (json: ReturnType<typeof synthJson> | undefined) =>
      listOf(json!, "aws_cloudwatch_metric_alarm").map((a) => String(a.alarm_name));
    const prod = configWith(undefined, "prod");
    expect(alarms(synthApp(prod).failover)).toContain("hello-you-prod-usw2-primary-unreachable");
    const promoted = configWith(
      (c) => ({ ...c, failover: { ...c.failover, promoted: true } }),
      "prod",
    );
    expect(alarms(synthApp(promoted).failover)).not.toContain(
      "hello-you-prod-usw2-primary-unreachable",
    );
    expect(alarms(synthApp(configWith()).failover)).not.toContain(
      "hello-you-dev-usw2-primary-unreachable",
    );
  });
});
