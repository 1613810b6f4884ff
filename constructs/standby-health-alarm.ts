import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { metricAlarm } from "./metric-alarm";

export interface StandbyHealthAlarmProps extends CommonProps {
  readonly topicArn: string;
  /** `arn_suffix` of region B's ALB and of its target group. */
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  /** Tasks region B keeps running before promotion (`failover.standbyTasks`, at least 1). */
  readonly standbyTasks: number;
}

/**
 * The page that region A (or its database) is gone, raised from region B. B's standby tasks run
 * their migrations and answer their health check against region A's writer, through the
 * peering: when A's database stops answering they turn unhealthy. That is also why DNS does not
 * fail over on its own when all of A is lost (B's record is unhealthy too, and Route53 then keeps
 * answering A), so this alarm, not B's traffic, is what pages. Missing data counts as breaching:
 * a target group with no healthy target may publish nothing.
 */
export class StandbyHealthAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: StandbyHealthAlarmProps) {
    super(scope, id);
    if (!Number.isInteger(props.standbyTasks) || props.standbyTasks < 1) {
      throw new Error(
        `StandbyHealthAlarm: standbyTasks ${props.standbyTasks} must be a whole number of at least 1 (with no standby task nothing in region B can notice region A)`,
      );
    }
    this.alarm = metricAlarm(
      this,
      {
        id: "primary-unreachable",
        alarmDescription: `Region B's standby tasks are unhealthy for 3 minutes (fewer than ${props.standbyTasks} healthy): they cannot reach region A's writer. Region A or its database is down, or the peering is broken. Check region A, then npm run dr -- status`,
        namespace: "AWS/ApplicationELB",
        metricName: "HealthyHostCount",
        dimensions: {
          LoadBalancer: props.albArnSuffix,
          TargetGroup: props.targetGroupArnSuffix,
        },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 3,
        comparisonOperator: "LessThanThreshold",
        threshold: props.standbyTasks,
        treatMissingData: "breaching",
      },
      {
        provider: props.provider,
        topicArn: props.topicArn,
        name: (suffix) => props.naming.name("alarm", suffix),
      },
    );
  }
}
