/**
 * Losing region A, counted from the outage (t = 0: A stops answering) to clients served by B,
 * phase by phase, for the two ways a promotion starts: a person deciding after the page
 * (`human`), or region B's automatic promotion (`automatic`, `failover.automatic`). Settings
 * come from the config; every other figure is in OUTAGE_ASSUMPTIONS with the page it rests on.
 * docs/disaster-recovery.md renders this, so the numbers move with the config.
 */
import type { AppConfig } from "../config/schema";
import { detectionMinutes, EVALUATION_MINUTES } from "./auto/decide";

type Range = readonly [number, number];

export interface Assumption {
  readonly seconds: Range;
  /** Where the figure comes from: an AWS page, or a plain statement that it is ours. */
  readonly source: string;
}

/** Figures that are not settings, in seconds, each with its source. */
export const OUTAGE_ASSUMPTIONS = {
  /** CloudWatch receives an ALB metric's one-minute datapoint up to a minute after its period. */
  metricDelay: {
    seconds: [0, 60],
    source:
      "ALB metrics are published in 60 s periods (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html); an alarm evaluates each period after it closes (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation)",
  },
  /** From the page to a decision typed: acknowledge, read `dr status`, decide; 3 a.m. included. */
  humanDecision: {
    seconds: [180, 900],
    source:
      "our assumption, not measured: 3 min for someone at a desk, 15 min for a person woken at 3 a.m",
  },
  /** Promoting a cross-region replica, reboot included. */
  promotion: {
    seconds: [300, 600],
    source:
      'RDS: "The promotion process can take several minutes or longer to complete, depending on the size of the read replica" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html); 5 to 10 min is our reading, not measured',
  },
  /** A Fargate task from placement to its container running: ENI, image pull, start. */
  fargateLaunch: {
    seconds: [45, 90],
    source:
      'AWS on re:Post: "normal for new AWS Fargate tasks to take 30-45 seconds or longer to start" (https://repost.aws/questions/QUjZAzJd27SZWxXM7MgyxOZw); pull time counts directly, images are best kept in the task\'s region (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-pull-behavior.html)',
  },
  /** Route53's checkers agree on a new status and DNS answers follow. */
  route53Propagation: {
    seconds: [30, 30],
    source:
      "our allowance on top of interval x failure threshold (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html)",
  },
  /** Resolvers keep the old answer for the alias record's TTL. */
  aliasTtl: {
    seconds: [60, 60],
    source:
      "alias records to an ALB take the ALB's 60 s TTL (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html)",
  },
} as const satisfies Record<string, Assumption>;

/** ALB target health counts (constructs/load-balancer.ts): passes to healthy, failures to unhealthy. */
export const TARGET_THRESHOLDS = { healthy: 2, unhealthy: 3 } as const;

/** Periods B's `primary-unreachable` alarm must breach, one minute each (constructs/primary-watch.ts). */
export const PAGE_PERIODS = 3;

export type Mode = "human" | "automatic";

export type PhaseId = "detection" | "decision" | "promotion" | "taskStart" | "dns";

export interface Phase {
  readonly id: PhaseId;
  readonly seconds: Range;
  /** How the figure is made, with the settings it reads. */
  readonly basis: string;
  /** Runs beside the others from the outage, rather than after the phase before it. */
  readonly parallel?: boolean;
}

export interface OutageBudget {
  readonly mode: Mode;
  /** This environment runs this mode (`failover.automatic` for `automatic`). */
  readonly configured: boolean;
  readonly phases: readonly Phase[];
  /** From the outage to clients served by B: best and worst case. */
  readonly total: Range;
}

/** `failover.automatic`. */
export function automaticPromotion(config: AppConfig): boolean {
  return config.failover.automatic;
}

const add = (...ranges: Range[]): [number, number] =>
  ranges.reduce<[number, number]>((acc, r) => [acc[0] + r[0], acc[1] + r[1]], [0, 0]);

/**
 * `orchestrationSeconds`: the recovery tool's own calls, measured in the rehearsal (AWS's waits
 * answered at once there), added to the promotion.
 */
export function outageBudget(
  config: AppConfig,
  mode: Mode,
  orchestrationSeconds: number,
): OutageBudget {
  const a = OUTAGE_ASSUMPTIONS;
  const { quorumMinutes, holdMinutes } = config.failover.automation;
  const { targetHealthCheckIntervalSeconds: every, healthCheck, standbyTasks } = config.failover;
  // The outage falls anywhere within a check interval.
  const targetFails: Range = [
    TARGET_THRESHOLDS.unhealthy * every,
    (TARGET_THRESHOLDS.unhealthy + 1) * every,
  ];
  const targetHealthy: Range = [
    TARGET_THRESHOLDS.healthy * every,
    (TARGET_THRESHOLDS.healthy + 1) * every,
  ];
  const noSignal =
    standbyTasks === 0
      ? " No standby task runs in B (failover.standbyTasks 0), so nothing in B notices: the figure assumes a page from elsewhere as fast."
      : "";
  const detection: Phase =
    mode === "human"
      ? {
          id: "detection",
          seconds: add(targetFails, [PAGE_PERIODS * 60, PAGE_PERIODS * 60], a.metricDelay.seconds),
          basis: `B's standby target fails ${TARGET_THRESHOLDS.unhealthy} checks ${every} s apart (failover.targetHealthCheckIntervalSeconds), then \`primary-unreachable\` breaches ${PAGE_PERIODS} one-minute periods and pages, each datapoint up to a minute late.${noSignal}`,
        }
      : {
          id: "detection",
          // The function's own signals (A's RDS API, A's /health) fail at its first run after
          // the outage; the quorum must then hold. dr/auto/decide.ts owns the worst case.
          seconds: [quorumMinutes * 60, Math.round(detectionMinutes(quorumMinutes) * 60)],
          basis: `Region B's function, every ${EVALUATION_MINUTES * 60} s, sees A's RDS API and A's \`/health\` fail at its first run after the outage (within a minute), and pages once they have said so for ${quorumMinutes} min (failover.automation.quorumMinutes); worst case ${detectionMinutes(quorumMinutes).toFixed(1)} min with its signal gathering (dr/auto/decide.ts).`,
        };
  const decision: Phase =
    mode === "human"
      ? {
          id: "decision",
          seconds: a.humanDecision.seconds,
          basis:
            "A person acknowledges the page, reads `npm run dr -- status` and runs `npm run dr -- promote`.",
        }
      : {
          id: "decision",
          seconds: [holdMinutes * 60, holdMinutes * 60],
          basis: `The function pages first and holds ${holdMinutes} min (failover.automation.holdMinutes), in which an operator can disarm it.`,
        };
  const promotion: Phase = {
    id: "promotion",
    seconds: add([orchestrationSeconds, orchestrationSeconds], a.promotion.seconds),
    basis: `\`dr promote\`'s own calls (${orchestrationSeconds} s in the rehearsal), then RDS promotes B's replica (${a.promotion.seconds[0] / 60}-${a.promotion.seconds[1] / 60} min, assumed). Not counted: a replica in \`backing-up\` (its daily backup window) waits that out first.`,
  };
  const taskStart: Phase = {
    id: "taskStart",
    seconds: add(a.fargateLaunch.seconds, targetHealthy),
    basis: `New tasks on the repointed secret: Fargate launches them (${a.fargateLaunch.seconds[0]}-${a.fargateLaunch.seconds[1]} s) pulling ${
      config.failover.imageSource === "regionalCache"
        ? "from B's own ECR cache"
        : "from the image's registry through B's NAT"
    }, then ${TARGET_THRESHOLDS.healthy} passing checks ${every} s apart.`,
  };
  const dnsSeconds = add(
    [
      healthCheck.intervalSeconds * healthCheck.failureThreshold,
      healthCheck.intervalSeconds * healthCheck.failureThreshold,
    ],
    a.route53Propagation.seconds,
    a.aliasTtl.seconds,
  );
  const dns: Phase = config.dns
    ? {
        id: "dns",
        seconds: dnsSeconds,
        parallel: true,
        basis: `From the outage, beside the rest: Route53 fails A after ${healthCheck.failureThreshold} probes ${healthCheck.intervalSeconds} s apart and answers with B; resolvers follow within the alias TTL. Done long before B serves.`,
      }
    : {
        id: "dns",
        seconds: [0, 0],
        parallel: true,
        basis: "No DNS zone: clients are pointed at B's ALB by hand, not counted here.",
      };
  const phases = [detection, decision, promotion, taskStart, dns];
  const serial = add(...phases.filter((p) => !p.parallel).map((p) => p.seconds));
  return {
    mode,
    configured: (mode === "automatic") === automaticPromotion(config),
    phases,
    total: [Math.max(serial[0], dns.seconds[0]), Math.max(serial[1], dns.seconds[1])],
  };
}

/** The goal (issue 22): region A lost, clients served by B in under 10 minutes, automatically. */
export const OUTAGE_GOAL = { mode: "automatic" as Mode, seconds: 10 * 60 };

const mid = ([lo, hi]: Range) => (lo + hi) / 2;

export interface GoalVerdict {
  /** Midpoint of best and worst case: what "median" means for a range here. */
  readonly median: number;
  readonly meets: boolean;
  /** What would have to change for the median to meet the goal; empty when it does. */
  readonly change: string;
}

/** Whether `budget`'s median is under the goal, and if not, what the numbers say must move. */
export function goalVerdict(budget: OutageBudget): GoalVerdict {
  const median = mid(budget.total);
  if (median < OUTAGE_GOAL.seconds) return { median, meets: true, change: "" };
  const over = Math.ceil(median - OUTAGE_GOAL.seconds);
  const promotion = budget.phases.find((p) => p.id === "promotion")!;
  const rest = median - mid(promotion.seconds);
  const room = OUTAGE_GOAL.seconds - rest;
  const promotionNeeds =
    room > 0
      ? `RDS's promotion would have to take under ${Math.floor(room)} s at its midpoint (assumed ${mid(OUTAGE_ASSUMPTIONS.promotion.seconds)} s): measure it on this instance class before relying on it`
      : `even an instant promotion would not do: the other phases alone take ${Math.ceil(rest)} s at their midpoint`;
  return {
    median,
    meets: false,
    change: `${over} s over. ${promotionNeeds}; or start the new tasks while RDS promotes (saves the task start, at the risk of tasks serving a read-only database until it ends); or shorten detection and hold (fewer seconds of protection against a blip); or replace the replica by Aurora Global Database and its managed cross-Region failover (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html; about a minute by the issue's anchor, not checked here), at a higher price.`,
  };
}
