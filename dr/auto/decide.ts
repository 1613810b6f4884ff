/**
 * The automatic promotion's decision (docs/adr/0004-automatic-promotion.md), as a pure function
 * of what one run saw, the clock and what earlier runs remembered: no AWS call, so every guard
 * is specified case by case (__tests__/dr/auto/decide.spec.ts) and the function in region B only
 * gathers the inputs and carries out the answer (handler.ts).
 *
 * The guards, in the order they apply:
 * 1. Inside region A's maintenance window (or its overrun), nothing is detected: RDS takes A's
 *    writer down there on purpose.
 * 2. Quorum: at least QUORUM of the three independent signals say "lost", and A's RDS API does not
 *    show the writer there (a writer that is there vetoes whatever the other signals say).
 * 3. Sustained: the quorum held on every run for `quorumMinutes`, with no gap longer than
 *    MAX_GAP_MS between runs (a function that did not run proves nothing about those minutes).
 * 4. The latch: once used, never again until a person resets it.
 * 5. The disarm switch.
 * 6. The RPO veto: the last lag seen before the loss (not the lag that grows during it) is known
 *    and within `rpoSeconds`.
 * 7. Page first, then hold `holdMinutes`; promote only if every guard still holds then.
 * Each page is sent once per kind: a person is told what changed, not the same thing each minute.
 */

/** One signal's vote: `lost` counts towards the quorum; anything else does not. */
export interface Vote {
  readonly lost: boolean;
  readonly detail: string;
}

export interface Signals {
  /** Region A's RDS API about A's writer: unreachable or gone is lost; `present` vetoes. */
  readonly writer: Vote & { readonly present: boolean };
  /** Region A's `/health` from region B (through A's ALB, spoken to as the service). */
  readonly canary: Vote;
  /** Region B's replica lag (CloudWatch in B): no datapoint or a lag past the limit is lost. */
  readonly replication: Vote & { readonly lagSeconds?: number };
}

/** What a run leaves for the next one (kept in the state parameter as JSON). */
export interface DetectorState {
  /** When the previous run evaluated (ISO time). */
  readonly lastEvaluatedAt?: string;
  /** First run of the current unbroken quorum. */
  readonly lostSince?: string;
  /** The last replica lag seen while there was no quorum: the recovery point at the loss. */
  readonly lagBeforeLoss?: { readonly seconds: number; readonly at: string };
  /** The last page sent, so each kind is sent once, and when the hold began. */
  readonly paged?: { readonly kind: PageKind; readonly at: string };
}

export interface Guards {
  readonly quorumMinutes: number;
  readonly holdMinutes: number;
  readonly rpoSeconds: number;
}

export interface DecisionInput {
  readonly now: Date;
  readonly signals: Signals;
  readonly inMaintenance: boolean;
  /** The disarm switch reads `armed`. */
  readonly armed: boolean;
  /** The latch reads anything but `unused`. */
  readonly latchUsed: boolean;
  readonly state: DetectorState;
  readonly guards: Guards;
}

export type Action =
  /** No quorum: region A is not lost as B sees it. */
  | "watch"
  /** Two signals say lost, but A's RDS API shows the writer there. */
  | "vetoed-writer"
  /** Inside A's maintenance window: nothing is detected. */
  | "suppressed"
  /** Quorum, not yet for `quorumMinutes`. */
  | "detecting"
  | "latched"
  | "disarmed"
  | "vetoed-rpo"
  /** Paged; the hold window runs. */
  | "holding"
  | "promote";

export type PageKind =
  "pending" | "latched" | "disarmed" | "vetoed-rpo" | "stood-down" | "promoting";

export interface Decision {
  readonly action: Action;
  readonly reason: string;
  /** A page to send now (SNS, region B's alarm topic). */
  readonly page?: { readonly kind: PageKind; readonly subject: string };
  readonly state: DetectorState;
  /** When the quorum was first seen, once it is sustained: the detection's evidence. */
  readonly detectedAt?: Date;
}

/** Signals that must say lost at once. */
export const QUORUM = 2;

/** The schedule's period: one run a minute. */
export const EVALUATION_MINUTES = 1;

/**
 * Longest gap between two runs that still counts as one unbroken quorum: a missed or slow run
 * is tolerated, a function that was down for minutes is not.
 */
export const MAX_GAP_MS = 150_000;

/**
 * How much earlier than its minute a run may come and still count it: EventBridge fires about
 * on the minute, and a run reads the clock after gathering its signals (up to SIGNAL_SECONDS), so
 * the third run after the first lost one can read 179.9 s. Without it, half the losses would
 * wait a whole extra minute; it is far below a minute, so a blip one minute shorter than the
 * window still never reaches it.
 */
export const SCHEDULE_JITTER_MS = 15_000;

/** Longest a run takes to gather its signals: A's probe, 3 tries of 5 s with 2 s between. */
export const SIGNAL_SECONDS = 19;

/**
 * Replica lag from which replication counts as lost. Above the about 5 minutes an idle
 * PostgreSQL replica reports until the next WAL switch (field notes), so a quiet night is not a
 * vote; during a loss the lag grows a minute a minute and gets there after about 6 minutes, so
 * the first minutes of a region loss are decided by the other two signals.
 */
export const REPLICATION_LOST_LAG_SECONDS = 360;

/**
 * Worst case from the outage to the page, in minutes: up to one period until the first run
 * that sees it, then `quorumMinutes` of sustained quorum, then the run's own signal gathering.
 */
export function detectionMinutes(quorumMinutes: number): number {
  return EVALUATION_MINUTES + quorumMinutes + SIGNAL_SECONDS / 60;
}

/** Worst case from the outage to the first promotion step: detection, then the hold. */
export function decisionMinutes(guards: Pick<Guards, "quorumMinutes" | "holdMinutes">): number {
  return detectionMinutes(guards.quorumMinutes) + guards.holdMinutes;
}

/**
 * Oldest lag reading that still tells the recovery point at a loss: older, and replication may
 * have fallen behind since without anyone seeing it.
 */
export const LAG_MAX_AGE_MS = 15 * 60_000;

const fresh = (lag: DetectorState["lagBeforeLoss"], now: Date) =>
  lag !== undefined && now.getTime() - Date.parse(lag.at) <= LAG_MAX_AGE_MS;

const minutes = (ms: number) => Math.round(ms / 6000) / 10;
const since = (now: Date, iso?: string) => (iso ? now.getTime() - Date.parse(iso) : Infinity);

function describe(signals: Signals): string {
  const { writer, canary, replication } = signals;
  return `writer: ${writer.detail}; canary: ${canary.detail}; replication: ${replication.detail}`;
}

/** The page of `kind`, unless the last page was already that kind. */
function pageOnce(state: DetectorState, kind: PageKind, subject: string) {
  return state.paged?.kind === kind ? undefined : { kind, subject };
}

export function decide(input: DecisionInput): Decision {
  const { now, signals, state, guards } = input;
  const at = now.toISOString();
  const seen = describe(signals);
  const lag = signals.replication.lagSeconds;
  const measured = lag === undefined ? undefined : { seconds: lag, at };
  const lagBeforeLoss = measured ?? state.lagBeforeLoss;
  const votes = [signals.writer, signals.canary, signals.replication].filter((v) => v.lost).length;
  const quorum = votes >= QUORUM && !signals.writer.present;

  if (input.inMaintenance || !quorum) {
    // A page that announced a promotion is taken back; other pages stand until the next loss.
    const standDown = state.paged && state.paged.kind !== "stood-down";
    const reason = input.inMaintenance
      ? `inside region A's maintenance window: nothing is detected (${seen})`
      : `${votes} of 3 signals say region A is lost${signals.writer.present ? " and A's RDS API shows its writer there" : ""} (${seen})`;
    return {
      action: input.inMaintenance ? "suppressed" : votes >= QUORUM ? "vetoed-writer" : "watch",
      reason,
      page: standDown
        ? { kind: "stood-down", subject: "region A answers again: no automatic promotion" }
        : undefined,
      state: {
        lastEvaluatedAt: at,
        // In the window the lag may be that of a writer being upgraded: not a recovery point.
        lagBeforeLoss: input.inMaintenance ? state.lagBeforeLoss : lagBeforeLoss,
        paged: standDown ? { kind: "stood-down", at } : state.paged,
      },
    };
  }

  const unbroken = state.lostSince !== undefined && since(now, state.lastEvaluatedAt) <= MAX_GAP_MS;
  const lostSince = unbroken ? (state.lostSince as string) : at;
  // Frozen at the loss: the lag measured now grows with the outage. A first run that finds the
  // quorum already there has only what it measures now.
  const remembered = fresh(state.lagBeforeLoss, now) ? state.lagBeforeLoss : undefined;
  const frozen = unbroken ? state.lagBeforeLoss : (remembered ?? measured);
  const base = { lastEvaluatedAt: at, lostSince, lagBeforeLoss: frozen, paged: state.paged };
  const held = since(now, lostSince);
  if (held < guards.quorumMinutes * 60_000 - SCHEDULE_JITTER_MS) {
    return {
      action: "detecting",
      reason: `${votes} of 3 signals say region A is lost, for ${minutes(held)} of ${guards.quorumMinutes} min (${seen})`,
      state: { ...base, paged: unbroken ? state.paged : undefined },
    };
  }
  const detectedAt = new Date(lostSince);
  const lost = `region A lost for ${minutes(held)} min (${votes} of 3 signals since ${lostSince})`;
  const hold = (kind: PageKind, action: Action, reason: string, subject: string): Decision => {
    const page = pageOnce(state, kind, subject);
    return {
      action,
      reason,
      page,
      detectedAt,
      state: { ...base, paged: page ? { kind, at } : state.paged },
    };
  };
  // The handler sets the latch before it promotes; a promotion decided earlier in this same loss
  // counts as used even if that write was lost.
  if (input.latchUsed || state.paged?.kind === "promoting") {
    return hold(
      "latched",
      "latched",
      `${lost}, but the latch is used: automatic promotion runs once, until a person resets it`,
      "region A lost; automatic promotion already used (latch): promote by hand",
    );
  }
  if (!input.armed) {
    return hold(
      "disarmed",
      "disarmed",
      `${lost}, but automatic promotion is disarmed`,
      "region A lost; automatic promotion disarmed: decide and promote by hand",
    );
  }
  if (!frozen || frozen.seconds > guards.rpoSeconds) {
    const known = frozen
      ? `the last replica lag before the loss was ${frozen.seconds} s (at ${frozen.at}), above alarms.rpoSeconds ${guards.rpoSeconds}`
      : "no replica lag was seen before the loss, so what promotion would lose is unknown";
    return hold(
      "vetoed-rpo",
      "vetoed-rpo",
      `${lost}, but ${known}`,
      "region A lost; automatic promotion vetoed on the recovery point: decide by hand",
    );
  }
  const pendingSince = state.paged?.kind === "pending" ? state.paged.at : undefined;
  if (!pendingSince) {
    const when = new Date(now.getTime() + guards.holdMinutes * 60_000).toISOString();
    return {
      action: "holding",
      reason: `${lost}; paging, then promoting at ${when} unless disarmed (${seen})`,
      page: { kind: "pending", subject: `region A lost: automatic promotion at ${when}` },
      detectedAt,
      state: { ...base, paged: { kind: "pending", at } },
    };
  }
  const waited = since(now, pendingSince);
  if (waited < guards.holdMinutes * 60_000 - SCHEDULE_JITTER_MS) {
    return {
      action: "holding",
      reason: `${lost}; hold window ${minutes(waited)} of ${guards.holdMinutes} min`,
      detectedAt,
      state: base,
    };
  }
  return {
    action: "promote",
    reason: `${lost}; hold window of ${guards.holdMinutes} min over, armed, latch unused, last lag ${frozen.seconds} s: promoting (${seen})`,
    page: { kind: "promoting", subject: "region A lost: automatic promotion starts now" },
    detectedAt,
    state: { ...base, paged: { kind: "promoting", at } },
  };
}
