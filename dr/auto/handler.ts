/**
 * One run of the automatic promotion (`failover.automatic`), every minute in region B: read the
 * switch, the latch and the state, gather the signals, decide (decide.ts), then do what the
 * decision says. Promoting is `runSteps(PROMOTE_STEPS)`, the engine `npm run dr -- promote`
 * runs, with the same guards (A's probe, A's writer, A's maintenance window) and the same audit
 * trail: one engine, two triggers. The latch is set before the first step, so a run that dies
 * half-way is finished by a person (`npm run dr -- promote` resumes), never by a second run.
 */
import { auditFile, openAudit, runId, type AuditSink } from "../audit";
import type { RegionB } from "../aws/aws";
import type { RegionA } from "../aws/region-a";
import type { DrContext } from "../context";
import { type StatusOf, probe } from "../promote/probe";
import { formatTimeline, runSteps, type PromoteResult } from "../promote/promote";
import { inMaintenanceWindow } from "../promote/steps-writer";
import { PROMOTE_STEPS } from "../promote/steps";
import type { Clock, Output } from "../runtime";
import {
  AUTO_PROMOTION_ARMED as ARMED,
  AUTO_PROMOTION_LATCH_UNUSED as LATCH_UNUSED,
} from "../../naming/recovery";
import type { AutoControls } from "./controls";
import { type Action, type DetectorState, decide } from "./decide";
import { gatherSignals } from "./signals";

/** Longest wait of one waiting step: a Lambda run ends at 15 minutes. */
export const STEP_TIMEOUT_MS = 12 * 60_000;

export interface AutoDeps {
  readonly ctx: DrContext;
  readonly aws: RegionB;
  readonly regionA: RegionA;
  readonly controls: AutoControls;
  readonly clock: Clock;
  readonly statusOf: StatusOf;
  readonly out: Output;
  /** Where the local copy of the audit trail goes (the function's /tmp; the project in a rehearsal). */
  readonly projectDir: string;
  /** Between polls of a waiting step. @default 15000 */
  readonly pollMs?: number;
  /** @default STEP_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

export interface RunRecord {
  readonly action: Action | "off" | "already-promoted";
  readonly reason: string;
  readonly paged?: string;
  /** When the sustained quorum began (ISO), once detected. */
  readonly detectedAt?: string;
  readonly promotion?: PromoteResult;
}

function readState(raw: string | undefined, out: Output): DetectorState {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as DetectorState;
  } catch {
    out.warn(`the state parameter holds no JSON ("${raw.slice(0, 40)}"): starting afresh`);
    return {};
  }
}

export async function autoPromote(deps: AutoDeps): Promise<RunRecord> {
  const { ctx, aws, controls, clock, out } = deps;
  const { failover, alarms, database } = ctx.config;
  if (!failover.automatic) {
    return { action: "off", reason: "failover.automatic is false: nothing promotes on its own" };
  }
  const names = ctx.names.autoPromotion;
  const replica = await aws.database.describe(ctx.names.replica);
  if (replica && !replica.source) {
    return {
      action: "already-promoted",
      reason: `${replica.identifier} is already a writer: nothing to promote (set failover.promoted: true and deploy failover)`,
    };
  }
  const [armed, latch, rawState] = await Promise.all([
    controls.read(names.switch),
    controls.read(names.latch),
    controls.read(names.state),
  ]);
  const probeA = (target: Parameters<typeof probe>[0]) =>
    probe(target, { statusOf: deps.statusOf, clock });
  const signals = await gatherSignals({ ctx, aws, regionA: deps.regionA, probe: probeA });
  const now = clock.now();
  const decision = decide({
    now,
    signals,
    inMaintenance: inMaintenanceWindow(database.maintenanceWindow, now),
    armed: armed === ARMED,
    latchUsed: latch !== LATCH_UNUSED,
    state: readState(rawState, out),
    guards: { ...failover.automation, rpoSeconds: alarms.rpoSeconds },
  });
  const switchText = `switch ${names.switch} reads ${armed ?? "nothing (missing)"}, latch ${names.latch} reads ${latch ?? "nothing (missing)"}`;
  const reason = `${decision.reason}; ${switchText}`;
  await controls.write(names.state, JSON.stringify(decision.state));
  const record: RunRecord = {
    action: decision.action,
    reason,
    paged: decision.page?.subject,
    detectedAt: decision.detectedAt?.toISOString(),
  };
  if (!decision.page) return record;

  // Pages and promotions go to the audit trail of `npm run dr`; minutes of watching do not.
  const run = runId(clock);
  const audit = await openAudit({
    file: auditFile(deps.projectDir, ctx.environment),
    logs: aws.logs,
    group: ctx.names.auditLogGroup,
    run,
    environment: ctx.environment,
    command: "promote (automatic)",
    clock,
    out,
  });
  await audit.record({ step: "auto-decide", event: "start" });
  await audit.record({
    step: "auto-decide",
    event: "end",
    outcome: decision.action,
    detail: reason,
  });
  if (decision.action !== "promote") {
    await page(controls, decision.page.subject, [reason, nextMove(ctx, decision.action)], out);
    return record;
  }
  await controls.write(names.latch, `used by automatic run ${run} at ${now.toISOString()}`);
  await page(
    controls,
    decision.page.subject,
    [
      reason,
      `Run ${run} runs the steps of npm run dr -- promote now. If no page says it finished within 15 minutes, run npm run dr -- promote --env ${ctx.environment}: finished steps are skipped.`,
    ],
    out,
  );
  const promotion = await promoteNow(deps, audit);
  const lines = formatTimeline(promotion.timeline);
  const stopped = promotion.timeline.find((t) => t.outcome === "failed" || t.outcome === "refused");
  await page(
    controls,
    promotion.ok
      ? "automatic promotion finished: region B serves as the writer"
      : `automatic promotion stopped at ${stopped?.step}: finish it by hand`,
    [
      ...(promotion.ok
        ? [
            `Now set failover.promoted: true in config/environments/${ctx.environment}.ts and deploy failover (docs/disaster-recovery.md).`,
          ]
        : [
            `${stopped?.step}: ${stopped?.detail}`,
            `Fix that and run npm run dr -- promote --env ${ctx.environment}; the latch keeps this function from trying again.`,
          ]),
      ...lines,
    ],
    out,
  );
  return { ...record, promotion };
}

async function promoteNow(deps: AutoDeps, audit: AuditSink): Promise<PromoteResult> {
  const { ctx, clock, out } = deps;
  return runSteps(
    PROMOTE_STEPS,
    {
      aws: deps.aws,
      regionA: deps.regionA,
      ctx,
      clock,
      say: (line) => out.line(line),
      probe: (target) => probe(target, { statusOf: deps.statusOf, clock }),
      // No --force: the steps' own checks of region A hold for the function as for a person.
      options: {
        force: false,
        dryRun: false,
        pollMs: deps.pollMs ?? 15_000,
        timeoutMs: deps.timeoutMs ?? STEP_TIMEOUT_MS,
      },
    },
    audit,
  );
}

/** What a person does after a page that did not promote. */
function nextMove(ctx: DrContext, action: Action): string {
  const { switch: sw, latch } = ctx.names.autoPromotion;
  const promote = `npm run dr -- status --env ${ctx.environment}, then npm run dr -- promote --env ${ctx.environment}`;
  switch (action) {
    case "holding":
      return `To stop it, disarm now: aws ssm put-parameter --region ${ctx.regionB} --overwrite --name ${sw} --value disarmed`;
    case "watch":
    case "vetoed-writer":
    case "suppressed":
      return "Nothing to do: the automatic promotion stands down and watches on.";
    case "latched":
      return `Decide by hand (${promote}); reset the latch afterwards: aws ssm put-parameter --region ${ctx.regionB} --overwrite --name ${latch} --value ${LATCH_UNUSED}`;
    default:
      return `Decide by hand: ${promote}`;
  }
}

/** A page never stops a run: a topic that refuses is a warning in the function's log. */
async function page(controls: AutoControls, subject: string, lines: string[], out: Output) {
  try {
    await controls.page(subject, lines.join("\n"));
  } catch (error) {
    out.warn(`page "${subject}" not sent: ${error instanceof Error ? error.message : error}`);
  }
}
