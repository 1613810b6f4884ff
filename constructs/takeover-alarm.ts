import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { metricAlarm } from "./metric-alarm";

export interface TakeoverAlarmProps extends CommonProps {
  readonly topicArn: string;
  /** `arn_suffix` of region B's ALB and of its target group. */
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  /** Requests per minute, for 2 minutes, that mean clients are being served from region B. */
  readonly requestsPerMinute: number;
}

/**
 * The page that region A stopped answering, raised from region B so that it survives losing A
 * (Route53's own metrics live in us-east-1, which can be region A). Before promotion nothing sends
 * clients to B's service: its target group sees client requests only once Route53 has taken A out
 * of DNS. The fence check is a fixed response and never reaches the target group, and target
 * health checks are not requests.
 */
export class TakeoverAlarm extends Construct {
  readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: TakeoverAlarmProps) {
    super(scope, id);
    if (!Number.isInteger(props.requestsPerMinute) || props.requestsPerMinute < 1) {
      throw new Error(
        `TakeoverAlarm: requestsPerMinute ${props.requestsPerMinute} must be a whole number of at least 1`,
      );
    }
    this.alarm = metricAlarm(
      this,
      {
        id: "takeover",
        alarmDescription: `Region B's service is serving clients (${props.requestsPerMinute}+ requests a minute for 2 minutes): Route53 has taken region A out of DNS. Check region A, then run npm run dr -- status`,
        namespace: "AWS/ApplicationELB",
        metricName: "RequestCount",
        dimensions: {
          LoadBalancer: props.albArnSuffix,
          TargetGroup: props.targetGroupArnSuffix,
        },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 2,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: props.requestsPerMinute,
        // No requests publish no datapoint: that is the normal, quiet state.
        treatMissingData: "notBreaching",
      },
      {
        provider: props.provider,
        topicArn: props.topicArn,
        name: (suffix) => props.naming.name("alarm", suffix),
      },
    );
  }
}
