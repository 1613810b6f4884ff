/**
 * The windows in which region A can still take writes after region B is promoted, each as the
 * sequence of events that opens it and what closes it. docs/disaster-recovery.md renders these,
 * and ADR 0002 points at them: what the design does not hold is stated here, with the numbers
 * of the environment's settings, rather than promised away.
 *
 * The three fences (docs/adr/0002-fencing.md): Route53's CALCULATED gate on B's fence rule; A's
 * fence enforcer, a function in region A that reads the same rule every minute and holds A's
 * service at zero while it says "fenced" (it never raises A), with a check in every task of A
 * that stops it before the app starts while the rule says "fenced"; and
 * `failover.promoted: true` in the primary stack, which needs region A's APIs and someone to
 * apply it.
 */
import type { AppConfig } from "../config/schema";
import { ASSUMPTIONS } from "./budgets";

export interface FenceWindow {
  readonly id: string;
  readonly title: string;
  /** How long it stays open, in words. */
  readonly length: string;
  readonly sequence: readonly string[];
  readonly closedBy: string;
}

/** Every window that remains, for one environment's settings. */
export function remainingWindows(config: AppConfig): FenceWindow[] {
  const { intervalSeconds, failureThreshold } = config.failover.healthCheck;
  const detection = intervalSeconds * failureThreshold + ASSUMPTIONS.route53Propagation;
  const drain = config.service.deregistrationDelaySeconds;
  const dns = Boolean(config.dns);
  return [
    {
      id: "a-still-running",
      title: "Region A's tasks and writer still run when the fence is set",
      length: `up to about 1 min (the enforcer's schedule) plus ${drain} s (service.deregistrationDelaySeconds) after the fence is set, while region A's Lambda, EventBridge, ECS and Application Auto Scaling work; as long as they do not`,
      sequence: [
        "Region A's health path fails from the operator's machine (or the operator passes --force), yet some of A's tasks and A's writer still run.",
        "`dr promote` sets the fence (T0), then promotes B's replica, which takes minutes before B takes a write.",
        dns
          ? `Route53's fence check turns unhealthy after ${failureThreshold} probes ${intervalSeconds} s apart (about ${detection} s with propagation); resolvers holding A's address keep it for up to the ${ASSUMPTIONS.aliasTtl} s TTL.`
          : "Without a DNS zone, clients follow whatever address they were given: only the enforcer stops A.",
        `A's fence enforcer reads "fenced" at its next run (within a minute of T0) and sets A's service to 0..0 and desired 0; ECS drains A's targets for ${drain} s and stops the tasks.`,
        "So A stops before B's promotion finishes wherever A's own APIs work; if A's Lambda, EventBridge or ECS control planes are impaired while its tasks and writer run, A keeps taking writes from clients that still reach it, and B takes writes too once promoted.",
      ],
      closedBy:
        "A's enforcer once A's control planes answer; the promote guard makes this a deliberate choice (--force, or A's health path and RDS API both silent while A's tasks run).",
    },
    {
      id: "b-lost-before-a-saw-it",
      title: "Region B is lost after the promotion, before A's enforcer ever read the fence",
      length:
        "until someone applies `primary` with `failover.promoted: true`, or region B answers again",
      sequence: [
        "Region A is down, its APIs included, for the whole time B's fence reads fenced: A's enforcer never runs, or never reaches B.",
        "Region B, now the writer, becomes unreachable (region outage, its ALB deleted).",
        "Region A comes back: ECS restarts A's tasks at their old count, on A's old writer.",
        'A\'s enforcer cannot read the fence: only a 200 "fenced" stops A, so it changes nothing (an unreachable standby must not take a serving region down).',
        dns
          ? "Route53's fence check cannot read B either and, inverted, counts as not fenced: the gate follows A's own health, and clients go to A."
          : "Clients that reach A's ALB are served by A.",
        "A takes writes on a database that lacks B's writes since the promotion: two histories, to be reconciled by hand at failback.",
      ],
      closedBy:
        "Applying the primary stack with `failover.promoted: true` as soon as A's APIs answer (runbook step 3), which bounds A's service to 0..0; once A's enforcer has read the fence even once, this window cannot open, since it never raises A.",
    },
    {
      id: "a-returns",
      title:
        "Region A returns after the promotion and its tasks cannot read the fence when they start",
      length:
        "none while region A's SSM and B's ALB answer a task's fence check; otherwise about a minute after region A's ECS and EventBridge resume",
      sequence: [
        "Region A comes back while B's fence reads fenced.",
        "ECS starts A's tasks at their old count before EventBridge runs the enforcer.",
        "Each task first runs its fence check (the `fence-check` container, the app's image): it reads where the fence is from region A's SSM and asks B's ALB. On a 200 \"fenced\" it exits 1, the app container (which waits for its success) never starts, and the task stops; ECS's retries stop the same way.",
        "Only when region A's SSM or B's ALB gives no answer within 3 s does the check let the app start (the enforcer's rule: an unreachable standby never keeps a region down); that app then serves on A's old writer.",
        dns
          ? "Route53 keeps A out of DNS (the fence check reads fenced), so only clients that address A's ALB by its own name reach such a task."
          : "Clients still pointed at A's ALB reach such a task.",
        "The enforcer's first run sets A to zero.",
      ],
      closedBy:
        "The fence check at every task start; where it could not read the fence, the enforcer within its first minute. Writes in it land on A's old writer, which the failback plan keeps in a snapshot and replaces.",
    },
    {
      id: "manual-apply",
      title: "A `primary` apply from a commit that does not know of the promotion",
      length:
        "none while the tasks' fence checks read the fence; otherwise about a minute per apply",
      sequence: [
        "After a promotion, someone applies `primary` by hand from a commit with `failover.promoted: false` (the deploy workflow stops before that: it plans `failover` first, and that plan fails).",
        "Terraform raises A's scaling bounds back to the configured minimum; ECS starts A's tasks, whose fence checks read fenced and stop them before the app starts, unless the fence cannot be read (window a-returns).",
        dns
          ? "Route53 keeps A out of DNS while the fence reads fenced; A's enforcer sets A back to zero at its next run."
          : "A's enforcer sets A back to zero at its next run.",
      ],
      closedBy:
        "The fence check at task start, then A's enforcer within a minute; pausing deploys during a recovery (runbook) keeps it from opening.",
    },
  ];
}
