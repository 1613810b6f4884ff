import { TakeoverAlarm, type TakeoverAlarmProps } from "../../constructs/takeover-alarm";
import { listOf, synthJson, testStack } from "../helpers";

const topicArn = "arn:aws:sns:us-west-2:123456789012:alarms";

describe("TakeoverAlarm", () => {
  function build(patch: Partial<TakeoverAlarmProps> = {}) {
    const { stack, naming } = testStack("us-west-2");
    new TakeoverAlarm(stack, "takeover", {
      naming,
      topicArn,
      albArnSuffix: "app/b/123",
      targetGroupArnSuffix: "targetgroup/b/456",
      requestsPerMinute: 30,
      ...patch,
    });
    return listOf(synthJson(stack), "aws_cloudwatch_metric_alarm");
  }

  it("pages when B's target group serves the threshold's requests a minute for 2 minutes", () => {
    expect(build()).toEqual([
      expect.objectContaining({
        alarm_name: "hello-you-test-usw2-takeover",
        namespace: "AWS/ApplicationELB",
        metric_name: "RequestCount",
        dimensions: { LoadBalancer: "app/b/123", TargetGroup: "targetgroup/b/456" },
        statistic: "Sum",
        period: 60,
        evaluation_periods: 2,
        comparison_operator: "GreaterThanOrEqualToThreshold",
        threshold: 30,
        alarm_actions: [topicArn],
        ok_actions: [topicArn],
      }),
    ]);
  });

  it("stays quiet while no request arrives (no datapoint is the normal state)", () => {
    expect(build()[0].treat_missing_data).toBe("notBreaching");
  });

  it("takes the threshold it is given", () => {
    expect(build({ requestsPerMinute: 5 })[0].threshold).toBe(5);
  });

  it.each([0, 1.5, -3])("refuses %p requests a minute", (requestsPerMinute) => {
    expect(() => build({ requestsPerMinute })).toThrow(
      `TakeoverAlarm: requestsPerMinute ${requestsPerMinute} must be a whole number of at least 1`,
    );
  });
});
