/**
 * Recovery-time and recovery-point budgets per failure scenario, computed from an environment's
 * settings and a few stated assumptions. docs/disaster-recovery.md is rendered from this, so the
 * numbers move with the config.
 *
 * The topology behind it (docs/adr/0002-fencing.md): region B's stack needs nothing from region A
 * or Route53's API; promotion is one command (`npm run dr -- promote`) calling region B's APIs
 * (plus one bounded, read-only question to region A's RDS API); a fence on B's ALB takes A out of
 * DNS through a CALCULATED Route53 check, and a function in region A stops A's service while it
 * reads that fence.
 */
import type { AppConfig } from "../config/schema";
import { automaticPromotion, outageBudget } from "./outage";
import { MAINTENANCE_OVERRUN_MINUTES } from "./promote/steps-writer";

/** Figures that are not settings: AWS behaviour and human reaction, in seconds. */
export const ASSUMPTIONS = {
  /** Route53 health checkers agree and publish the new status after the last failed probe. */
  route53Propagation: 30,
  /** TTL of alias records to an ALB (set by AWS). */
  aliasTtl: 60,
  /** A Fargate task pulls the image, runs `flask db upgrade` and passes two target checks. */
  taskStart: [60, 150] as const,
  /**
   * From the page to `npm run dr -- promote` running: acknowledge, read `dr status`, decide. One
   * command to type; the decision stays human because promotion cannot be undone.
   */
  operatorReaction: [180, 420] as const,
  /** Promoting a cross-region replica, reboot included (AWS quotes minutes). */
  promotion: [300, 600] as const,
  /** Writes the replica had not received when region A was lost (normal lag is seconds). */
  replicationLagTypical: 5,
  /**
   * An incremental automated snapshot of region B's replica, during which RDS does not promote
   * it (status backing-up). Not measured here: a first or large snapshot takes longer.
   */
  replicaBackingUp: [120, 900] as const,
  /** A Multi-AZ writer fails over to its standby. */
  multiAzFailover: [60, 120] as const,
};

/**
 * The recovery tool's own time against the emulator (harness/emulated.ts `--rehearse`): every
 * call of `dr promote` with AWS's waits answered at once. What it adds to the budget beyond the
 * promotion and the task start counted above.
 */
export const REHEARSAL = {
  orchestrationSeconds: 13.6,
  measuredOn:
    "2026-12-03, CI's `deploy:emulated -- dev --rehearse`: 8.8 s to the lost reply of the secret write, 4.8 s to resume and finish",
};

/**
 * The goals this design answers to. Region A lost: under 10 minutes from the outage with the
 * automatic promotion (dr/outage.ts, OUTAGE_GOAL). Region A's app tier lost: nobody involved.
 */
export const GOALS = {
  appTierLoss: 2 * 60,
};

export type ScenarioId = "app-tier" | "database" | "region" | "region-b";

export interface Budget {
  readonly id: ScenarioId;
  readonly scenario: string;
  readonly automatic: boolean;
  readonly rto: readonly [number, number];
  readonly rpo: readonly [number, number];
  readonly steps: readonly string[];
}

type Range = readonly [number, number];

const sum = (...ranges: (Range | number)[]): [number, number] =>
  ranges.reduce<[number, number]>(
    (acc, r) => (typeof r === "number" ? [acc[0] + r, acc[1] + r] : [acc[0] + r[0], acc[1] + r[1]]),
    [0, 0],
  );

/** The midpoint of a range: what "median" means for a budget given as best and worst case. */
export const median = ([lo, hi]: Range): number => (lo + hi) / 2;

export function recoveryBudgets(config: AppConfig): Budget[] {
  const a = ASSUMPTIONS;
  const { healthCheck, standbyTasks } = config.failover;
  const { rpoSeconds } = config.alarms;
  const detection =
    healthCheck.intervalSeconds * healthCheck.failureThreshold + a.route53Propagation;
  const dnsSwitch = config.dns ? sum(detection, a.aliasTtl) : sum(a.operatorReaction, a.aliasTtl);
  // With no standby task, an operator must raise region B's minimum before anything serves.
  const firstTask = standbyTasks > 0 ? sum(0) : sum(a.operatorReaction, a.taskStart);
  // From the outage (dr/outage.ts): detect, decide, promote, start tasks on the repointed secret;
  // DNS has long answered with B by then. Losing the database alone is decided by a person.
  const automatic = automaticPromotion(config);
  const orchestration = REHEARSAL.orchestrationSeconds;
  const regionLoss = outageBudget(config, automatic ? "automatic" : "human", orchestration).total;
  const databaseLoss = outageBudget(config, "human", orchestration).total;
  const page =
    standbyTasks > 0
      ? "B's standby tasks, which need A's writer, turn unhealthy and B's `primary-unreachable` alarm pages from region B."
      : "No standby task runs in B, so nothing in region B notices: the page comes from region A's own alarms, or from users.";
  const rpo: [number, number] = [a.replicationLagTypical, rpoSeconds];
  const guard = `\`npm run dr -- promote\` refuses without \`--force\` while A's health path answers, while A's RDS API shows A's writer there, or inside A's maintenance window (${config.database.maintenanceWindow} UTC, and ${MAINTENANCE_OVERRUN_MINUTES} min after it).`;
  const serve = `promotes B's replica, repoints B's connection secret, raises B to the primary's minimum and redeploys${config.database.multiAz ? ", then makes B's new writer Multi-AZ at once" : ""}`;
  const fenceAndServe = config.dns
    ? `${guard} It sets the fence on B's ALB first: Route53's CALCULATED check takes A out of DNS even if A answers again, and A's fence enforcer holds A's service at zero within a minute wherever A's own APIs work. It prints the replica's last known lag, ${serve}.`
    : `${guard} It sets the fence (A's fence enforcer then holds A's service at zero within a minute), prints the replica's last known lag, ${serve}; with no DNS zone, point clients at B's ALB by hand.`;
  return [
    {
      id: "app-tier",
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
          ? `${standbyTasks} standby task(s) in B serve at once and write to A's database through the peering; target tracking adds tasks. B's takeover alarm pages from region B.`
          : "Raise region B's minimum capacity (no standby task runs).",
      ],
    },
    {
      id: "database",
      scenario: "Database in region A down (region A otherwise up)",
      automatic: false,
      rto: databaseLoss,
      rpo,
      steps: [
        config.database.multiAz
          ? `An AZ failure is handled by Multi-AZ (${a.multiAzFailover[0]}-${a.multiAzFailover[1]} s, no data loss). The steps below are for losing the writer for good.`
          : "The writer is single-AZ: losing it means promoting a replica.",
        `${page} Fence A, serve from B: the same command as losing the region. ${fenceAndServe} A's tasks are not repointed across regions: they would add a cross-region hop to every query; the fence keeps clients off A.`,
      ],
    },
    {
      id: "region",
      scenario: "All of region A down",
      automatic,
      rto: regionLoss,
      rpo,
      steps: [
        `${page} ${
          config.dns
            ? "Route53 answers with B once A's check fails (B's record evaluates no health), but B's standby tasks need A's writer: nothing serves until the promotion."
            : "No DNS zone: point clients at region B's ALB by hand once B is healthy."
        }`,
        `${fenceAndServe} It changes region B only (its one read-only question to region A's RDS API may go unanswered); then \`failover.promoted: true\` and \`cdktf deploy failover --ignore-missing-stack-dependencies\`, which plans with region A unreachable.`,
      ],
    },
    {
      id: "region-b",
      scenario: "Region B down (before any promotion)",
      automatic: true,
      rto: [0, 0],
      rpo: [0, 0],
      steps: [
        config.dns
          ? "A keeps serving: the fence check cannot reach B and reads \"not fenced\", so A's record follows A's own health; A's fence enforcer cannot read the fence either and changes nothing."
          : "A keeps serving; nothing in A depends on B (A's fence enforcer changes nothing when it cannot read the fence).",
        "Rebuild the pilot light when B is back (`cdktf deploy primary failover link`: nothing changes in A).",
      ],
    },
  ];
}

export function minutes(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.round((seconds / 60) * 10) / 10} min`;
}
