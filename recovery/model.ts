/**
 * Recovery-time and recovery-point budgets per failure scenario, computed from an environment's
 * settings and a few stated assumptions. docs/disaster-recovery.md is rendered from this, so the
 * numbers move with the config.
 */
import type { AppConfig } from "../config/schema";

/** Figures that are not settings: AWS behaviour and human reaction, in seconds. */
export const ASSUMPTIONS = {
  /** Route53 health checkers agree and publish the new status after the last failed probe. */
  route53Propagation: 30,
  /** TTL of alias records to an ALB (set by AWS). */
  aliasTtl: 60,
  /** A Fargate task pulls the image, runs `flask db upgrade` and passes two target checks. */
  taskStart: [60, 150] as const,
  /** From the page to an engineer acting on the runbook. */
  operatorReaction: [300, 600] as const,
  /** Promoting a cross-region replica, reboot included (AWS quotes minutes). */
  promotion: [300, 600] as const,
  /** Writes the replica had not applied when region A was lost (normal lag is seconds). */
  replicationLagTypical: 5,
  /** A Multi-AZ writer fails over to its standby. */
  multiAzFailover: [60, 120] as const,
};

export interface Budget {
  readonly scenario: string;
  readonly automatic: boolean;
  readonly rto: readonly [number, number];
  readonly rpo: readonly [number, number];
  readonly steps: readonly string[];
}

const sum = (...ranges: (readonly [number, number] | number)[]): [number, number] =>
  ranges.reduce<[number, number]>(
    (acc, r) => (typeof r === "number" ? [acc[0] + r, acc[1] + r] : [acc[0] + r[0], acc[1] + r[1]]),
    [0, 0],
  );

export function recoveryBudgets(config: AppConfig): Budget[] {
  const a = ASSUMPTIONS;
  const { healthCheck, standbyTasks } = config.failover;
  const { replicaLagSeconds } = config.alarms;
  const detection =
    healthCheck.intervalSeconds * healthCheck.failureThreshold + a.route53Propagation;
  const dnsSwitch = config.dns ? sum(detection, a.aliasTtl) : sum(a.operatorReaction, a.aliasTtl);
  // With no standby task, an operator must raise region B's minimum before anything serves.
  const firstTask = standbyTasks > 0 ? sum(0) : sum(a.operatorReaction, a.taskStart);
  return [
    {
      scenario: "App tier in region A down (database A healthy)",
      automatic: Boolean(config.dns) && standbyTasks > 0,
      // Raising capacity happens while DNS switches; the slower of the two decides.
      rto: [Math.max(dnsSwitch[0], firstTask[0]), Math.max(dnsSwitch[1], firstTask[1])],
      rpo: [0, 0],
      steps: [
        config.dns
          ? `Route53 marks A unhealthy after ${healthCheck.failureThreshold} failed probes ${healthCheck.intervalSeconds} s apart and answers with B's ALB.`
          : "No DNS zone: point clients at region B's ALB by hand.",
        standbyTasks > 0
          ? `${standbyTasks} standby task(s) in B serve at once and write to A's database through the peering; target tracking adds tasks.`
          : "Raise region B's minimum capacity (no standby task runs).",
      ],
    },
    {
      scenario: "Database in region A down (region A otherwise up)",
      automatic: false,
      rto: sum(a.operatorReaction, a.promotion, a.taskStart),
      rpo: [a.replicationLagTypical, replicaLagSeconds],
      steps: [
        config.database.multiAz
          ? `An AZ failure is handled by Multi-AZ (${a.multiAzFailover[0]}-${a.multiAzFailover[1]} s, no data loss). The steps below are for losing the writer for good.`
          : "The writer is single-AZ: losing it means promoting a replica.",
        "Promote the cross-region replica, repoint both regions' connection secrets at it, redeploy.",
      ],
    },
    {
      scenario: "All of region A down",
      automatic: false,
      rto: sum(detection, a.operatorReaction, a.promotion, a.taskStart),
      rpo: [a.replicationLagTypical, replicaLagSeconds],
      steps: [
        config.dns
          ? "DNS fails over by itself; B's tasks cannot reach A's database, so B is unhealthy until promotion."
          : "No DNS zone: point clients at region B's ALB by hand once B is healthy.",
        "Promote the replica in B, repoint B's connection secret, raise B's capacity, redeploy.",
      ],
    },
  ];
}

export function minutes(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.round((seconds / 60) * 10) / 10} min`;
}
