import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { type AlarmSpec, metricAlarm } from "./metric-alarm";

export type DatabaseRole = "writer" | "replica" | "cross-region-replica";

export interface DatabaseAlarmsProps extends CommonProps {
  readonly topicArn: string;
  readonly instanceIdentifier: string;
  /** Replicas also get a lag alarm; the role is part of every alarm name. */
  readonly role: DatabaseRole;
  readonly thresholds: DatabaseAlarmThresholds;
  /**
   * Lag in seconds above which a replica alarms; required for every role but `writer`, which
   * has no lag.
   * @default undefined (writers only)
   */
  readonly replicaLagSeconds?: number;
}

/** Where each alarm fires. */
export interface DatabaseAlarmThresholds {
  readonly rdsCpuPercent: number;
  readonly rdsFreeStorageGiB: number;
  readonly rdsFreeableMemoryMiB: number;
  readonly rdsConnections: number;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** CPU, storage, memory and connections of one RDS instance, and lag for replicas. */
export class DatabaseAlarms extends Construct {
  readonly alarms: Record<string, CloudwatchMetricAlarm> = {};

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const t = props.thresholds;
    const lag = props.replicaLagSeconds;
    if (props.role !== "writer" && lag === undefined) {
      throw new Error(`DatabaseAlarms: a ${props.role} needs replicaLagSeconds`);
    }
    if (lag !== undefined && lag <= 0) {
      throw new Error(`DatabaseAlarms: replicaLagSeconds ${lag} must be positive`);
    }
    const rds = (metricName: string) => ({
      namespace: "AWS/RDS",
      metricName,
      dimensions: { DBInstanceIdentifier: props.instanceIdentifier },
      statistic: "Average",
    });
    const specs: AlarmSpec[] = [
      {
        id: "cpu",
        ...rds("CPUUtilization"),
        alarmDescription: `${props.role} CPU above ${t.rdsCpuPercent}% for 2 x 5 minutes`,
        period: 300,
        evaluationPeriods: 2,
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.rdsCpuPercent,
      },
      {
        id: "free-storage",
        ...rds("FreeStorageSpace"),
        alarmDescription: `${props.role} free storage below ${t.rdsFreeStorageGiB} GiB`,
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: t.rdsFreeStorageGiB * GIB,
      },
      {
        id: "freeable-memory",
        ...rds("FreeableMemory"),
        alarmDescription: `${props.role} freeable memory below ${t.rdsFreeableMemoryMiB} MiB for 3 x 5 minutes`,
        period: 300,
        evaluationPeriods: 3,
        comparisonOperator: "LessThanThreshold",
        threshold: t.rdsFreeableMemoryMiB * MIB,
      },
      {
        id: "connections",
        ...rds("DatabaseConnections"),
        alarmDescription: `${props.role} connections above ${t.rdsConnections} for 2 x 5 minutes`,
        period: 300,
        evaluationPeriods: 2,
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.rdsConnections,
      },
    ];
    if (props.role !== "writer" && lag !== undefined) {
      specs.push({
        id: "replica-lag",
        ...rds("ReplicaLag"),
        statistic: "Maximum",
        alarmDescription: `${props.role} lag above ${lag} s for 3 minutes`,
        period: 60,
        evaluationPeriods: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: lag,
        // A replica that stops reporting lag has usually stopped replicating.
        treatMissingData: "breaching",
      });
    }
    const context = {
      provider: props.provider,
      topicArn: props.topicArn,
      name: (suffix: string) => props.naming.name("alarm", `db-${props.role}-${suffix}`),
    };
    for (const spec of specs) this.alarms[spec.id] = metricAlarm(this, spec, context);
  }
}
