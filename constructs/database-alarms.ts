import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { type AlarmSpec, metricAlarm } from "./metric-alarm";
import { buildContext } from "./common";
import { ConstructError } from "./stack-context";

export type DatabaseRole = "writer" | "replica" | "cross-region-replica";

export interface DatabaseAlarmsProps extends CommonProps {
  readonly topicArn: string;
  readonly instanceIdentifier: string;
  /** The in-region replica also gets a lag alarm; the role is part of every alarm name. */
  readonly role: DatabaseRole;
  readonly thresholds: DatabaseAlarmThresholds;
  /**
   * Lag in seconds above which the in-region replica alarms; required for `replica`. A
   * cross-region replica's lag is watched from its writer (`replicationSlots`): its own
   * `ReplicaLag` reads minutes behind on an idle database, and is gone with region A.
   * @default undefined
   */
  readonly replicaLagSeconds?: number;
  /**
   * The writer feeds a cross-region replica through a replication slot: alarm on the seconds of
   * writes the replica does not have yet, and on write-ahead log piling up behind a stalled slot.
   * @default undefined: no slot alarms
   */
  readonly replicationSlots?: ReplicationSlotThresholds;
}

export interface ReplicationSlotThresholds {
  /** Seconds of writes not yet received by the slowest replica (the recovery point). */
  readonly rpoSeconds: number;
  /** Write-ahead log on the writer's disk, in GiB. */
  readonly transactionLogsDiskUsageGiB: number;
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
    if (props.role === "replica" && lag === undefined) {
      throw new ConstructError(this, `DatabaseAlarms: a ${props.role} needs replicaLagSeconds`);
    }
    if (lag !== undefined && lag <= 0) {
      throw new ConstructError(this, `DatabaseAlarms: replicaLagSeconds ${lag} must be positive`);
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
    if (props.replicationSlots && props.role !== "writer") {
      throw new ConstructError(
        this,
        `DatabaseAlarms: replicationSlots belong to the writer, not to a ${props.role}`,
      );
    }
    if (props.replicationSlots) specs.push(...slotAlarms(props, props.replicationSlots));
    if (props.role === "replica" && lag !== undefined) {
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
      name: (suffix: string) =>
        buildContext(this, props).naming.name("alarm", `db-${props.role}-${suffix}`),
    };
    for (const spec of specs) this.alarms[spec.id] = metricAlarm(this, spec, context);
  }
}

/**
 * Replication-slot alarms of a writer. `OldestReplicationSlotLag` (bytes of WAL the slowest slot
 * has not received) over `TransactionLogsGeneration` (bytes of WAL per second) is the seconds of
 * writes at risk: zero on an idle database, unlike the replica's `ReplicaLag`. Units from "Amazon
 * CloudWatch metrics for Amazon RDS" (RDS User Guide). A stalled slot with no new writes keeps
 * lag above zero at a zero rate: counted as an hour, so it alarms too.
 */
function slotAlarms(props: DatabaseAlarmsProps, t: ReplicationSlotThresholds): AlarmSpec[] {
  const metric = (id: string, metricName: string) => ({
    id,
    returnData: false,
    metric: {
      namespace: "AWS/RDS",
      metricName,
      dimensions: { DBInstanceIdentifier: props.instanceIdentifier },
      period: 60,
      stat: "Maximum",
    },
  });
  return [
    {
      id: "rpo",
      alarmDescription: `Region B's replica is more than ${t.rpoSeconds} s of writes behind for 3 minutes (replication slot lag / WAL rate): the recovery point objective is at risk`,
      evaluationPeriods: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.rpoSeconds,
      metricQuery: [
        metric("lag", "OldestReplicationSlotLag"),
        metric("rate", "TransactionLogsGeneration"),
        {
          id: "rpo",
          label: "Seconds of writes not yet replicated",
          expression: "IF(lag <= 0, 0, IF(rate > 0, lag / rate, 3600))",
          returnData: true,
        },
      ],
    },
    {
      id: "transaction-logs",
      namespace: "AWS/RDS",
      metricName: "TransactionLogsDiskUsage",
      dimensions: { DBInstanceIdentifier: props.instanceIdentifier },
      statistic: "Maximum",
      alarmDescription: `Write-ahead log on the writer above ${t.transactionLogsDiskUsageGiB} GiB for 15 minutes: a replication slot is holding it (stalled replica?) and the disk will fill`,
      period: 300,
      evaluationPeriods: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.transactionLogsDiskUsageGiB * GIB,
    },
  ];
}
