import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { type AlarmSpec, metricAlarm } from "./metric-alarm";
import { buildContext } from "./common";
import { ConstructError } from "./stack-context";

export interface PrimaryWatchProps extends CommonProps {
  readonly topicArn: string;
  /** `arn_suffix` of region B's ALB and of its target group. */
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  /**
   * Tasks region B keeps running before promotion (`failover.standbyTasks`). From 1 up, an alarm
   * when fewer are healthy: they have lost region A's writer.
   * @default 0: no standby task, so nothing in B can notice A's database going
   */
  readonly standbyTasks?: number;
  /**
   * Requests a minute, for 2 minutes, that mean clients are served from region B.
   * @default undefined: no takeover alarm (without DNS failover nothing sends clients to B)
   */
  readonly takeoverRequestsPerMinute?: number;
}

/**
 * The pages region B raises about region A, so that they survive losing A (Route53's own metrics
 * live in us-east-1, which can be region A). Both read B's target group:
 * - `primary-unreachable`: B's standby tasks run their migrations and answer their health check
 *   against A's writer, through the peering, and turn unhealthy when it stops answering. When all
 *   of A is lost, DNS answers with B (B's record evaluates no health) but B serves nothing until
 *   the promotion, so this, not B's traffic, is that loss's page.
 *   Missing data counts as breaching: a group with no healthy target may publish nothing.
 * - `takeover`: before promotion nothing sends clients to B's service but Route53 taking A's app
 *   tier out of DNS. The fence check is a fixed response and never reaches the target group, and
 *   target health checks are not requests.
 */
export class PrimaryWatch extends Construct {
  readonly alarms: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: PrimaryWatchProps) {
    super(scope, id);
    const standbyTasks = props.standbyTasks ?? 0;
    const requests = props.takeoverRequestsPerMinute;
    if (!Number.isInteger(standbyTasks) || standbyTasks < 0) {
      throw new ConstructError(
        this,
        `PrimaryWatch: standbyTasks ${standbyTasks} must be a whole number, 0 or more`,
      );
    }
    if (requests !== undefined && (!Number.isInteger(requests) || requests < 1)) {
      throw new ConstructError(
        this,
        `PrimaryWatch: takeoverRequestsPerMinute ${requests} must be a whole number of at least 1`,
      );
    }
    const targetGroup = {
      namespace: "AWS/ApplicationELB",
      dimensions: { LoadBalancer: props.albArnSuffix, TargetGroup: props.targetGroupArnSuffix },
      period: 60,
    };
    const specs: AlarmSpec[] = [];
    if (standbyTasks > 0) {
      specs.push({
        id: "primary-unreachable",
        ...targetGroup,
        alarmDescription: `Region B's standby tasks are unhealthy for 3 minutes (fewer than ${standbyTasks} healthy): they cannot reach region A's writer. Region A or its database is down, or the peering is broken. Check region A, then npm run dr -- status`,
        metricName: "HealthyHostCount",
        statistic: "Minimum",
        evaluationPeriods: 3,
        comparisonOperator: "LessThanThreshold",
        threshold: standbyTasks,
        treatMissingData: "breaching",
      });
    }
    if (requests !== undefined) {
      specs.push({
        id: "takeover",
        ...targetGroup,
        alarmDescription: `Region B's service is serving clients (${requests}+ requests a minute for 2 minutes): Route53 has taken region A out of DNS. Check region A, then npm run dr -- status`,
        metricName: "RequestCount",
        statistic: "Sum",
        evaluationPeriods: 2,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: requests,
        // No requests publish no datapoint: that is the normal, quiet state.
        treatMissingData: "notBreaching",
      });
    }
    const context = {
      provider: props.provider,
      topicArn: props.topicArn,
      name: (suffix: string) => buildContext(this, props).naming.name("alarm", suffix),
    };
    for (const spec of specs) this.alarms[spec.id] = metricAlarm(this, spec, context);
  }
}
