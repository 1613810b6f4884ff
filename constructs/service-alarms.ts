import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { metricAlarm } from "./metric-alarm";
import { buildContext } from "./common";

export interface ServiceAlarmsProps extends CommonProps {
  readonly topicArn: string;
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly thresholds: ServiceAlarmThresholds;
}

/** Where each alarm fires. */
export interface ServiceAlarmThresholds {
  /** ALB and target 5xx responses a minute. */
  readonly alb5xxCount: number;
  /** Targets failing health checks. */
  readonly unhealthyHosts: number;
  readonly p99LatencySeconds: number;
  readonly ecsCpuPercent: number;
  readonly ecsMemoryPercent: number;
}

/** Alarms on what users feel (5xx, unhealthy targets, p99 latency) and on the tasks' load. */
export class ServiceAlarms extends Construct {
  readonly alarms: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const lb = { LoadBalancer: props.albArnSuffix };
    const tg = { ...lb, TargetGroup: props.targetGroupArnSuffix };
    const ecs = { ClusterName: props.clusterName, ServiceName: props.serviceName };
    const context = {
      provider: props.provider,
      topicArn: props.topicArn,
      name: (suffix: string) => buildContext(this, props).naming.name("alarm", suffix),
    };
    const specs = [
      {
        id: "alb-5xx",
        alarmDescription: `More than ${t.alb5xxCount} 5xx responses (ALB and targets) a minute, 3 minutes running`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.alb5xxCount,
        evaluationPeriods: 3,
        // No requests means no errors.
        treatMissingData: "notBreaching",
        metricQuery: [
          // CloudWatch publishes HTTPCode_* only when non-zero: with every target dead there is no
          // target series, a plain `elb + target` has no datapoint, and the alarm never fires.
          {
            id: "total",
            expression: "FILL(elb, 0) + FILL(target, 0)",
            label: "5xx per minute",
            returnData: true,
          },
          ...(["elb", "target"] as const).map((kind) => ({
            id: kind,
            metric: {
              namespace: "AWS/ApplicationELB",
              metricName: kind === "elb" ? "HTTPCode_ELB_5XX_Count" : "HTTPCode_Target_5XX_Count",
              dimensions: lb,
              period: 60,
              stat: "Sum",
            },
          })),
        ],
      },
      {
        id: "unhealthy-hosts",
        alarmDescription: `${t.unhealthyHosts} or more targets failing health checks`,
        namespace: "AWS/ApplicationELB",
        metricName: "UnHealthyHostCount",
        dimensions: tg,
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: t.unhealthyHosts,
      },
      {
        id: "p99-latency",
        alarmDescription: `p99 target response time above ${t.p99LatencySeconds} s for 5 minutes`,
        namespace: "AWS/ApplicationELB",
        metricName: "TargetResponseTime",
        dimensions: lb,
        extendedStatistic: "p99",
        period: 60,
        evaluationPeriods: 5,
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.p99LatencySeconds,
        treatMissingData: "notBreaching",
      },
      {
        id: "ecs-cpu",
        alarmDescription: `Service CPU above ${t.ecsCpuPercent}% for 3 x 5 minutes`,
        namespace: "AWS/ECS",
        metricName: "CPUUtilization",
        dimensions: ecs,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.ecsCpuPercent,
      },
      {
        id: "ecs-memory",
        alarmDescription: `Service memory above ${t.ecsMemoryPercent}% for 3 x 5 minutes`,
        namespace: "AWS/ECS",
        metricName: "MemoryUtilization",
        dimensions: ecs,
        statistic: "Average",
        period: 300,
        evaluationPeriods: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.ecsMemoryPercent,
      },
    ];
    for (const spec of specs) this.alarms[spec.id] = metricAlarm(this, spec, context);
  }
}
