/**
 * Runs the promote steps in order: inspect, then act only when needed, each start and end in
 * the audit trail. A failure stops the run (a re-run resumes there); a dry run inspects every
 * step, acts on none and writes nothing.
 */
import type { AuditSink } from "../audit";
import { Refusal, type Step, type StepEnv } from "./step";

export type Outcome = "done" | "already done" | "checked" | "planned" | "refused" | "failed";

export interface TimelineEntry {
  readonly step: string;
  readonly title: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly outcome: Outcome;
  readonly detail: string;
}

export interface PromoteResult {
  readonly ok: boolean;
  readonly timeline: readonly TimelineEntry[];
}

const NO_AUDIT: AuditSink = { record: async () => {} };

export async function runSteps(
  steps: readonly Step[],
  env: Omit<StepEnv, "pending">,
  audit: AuditSink = NO_AUDIT,
): Promise<PromoteResult> {
  const { clock, say, options } = env;
  const pending = new Set<string>();
  const timeline: TimelineEntry[] = [];
  let ok = true;
  for (const [index, step] of steps.entries()) {
    const startedAt = clock.now();
    say(`[${index + 1}/${steps.length}] ${step.title}`);
    await audit.record({ step: step.id, event: "start" });
    let outcome: Outcome;
    let detail: string;
    try {
      const inspection = await step.inspect({ ...env, pending });
      if (inspection.done) {
        outcome = inspection.checkOnly ? "checked" : "already done";
        detail = inspection.detail;
      } else if (options.dryRun) {
        outcome = "planned";
        detail = inspection.plan;
        pending.add(step.id);
      } else {
        say(`  ${inspection.plan}`);
        detail = await step.act({ ...env, pending });
        outcome = "done";
      }
    } catch (error) {
      outcome = error instanceof Refusal ? "refused" : "failed";
      detail = error instanceof Error ? error.message : String(error);
      ok = false;
    }
    const durationMs = clock.now().getTime() - startedAt.getTime();
    say(`  ${options.dryRun && outcome === "planned" ? "would" : `${outcome}:`} ${detail}`);
    await audit.record({ step: step.id, event: "end", outcome, detail, durationMs });
    timeline.push({ step: step.id, title: step.title, startedAt, durationMs, outcome, detail });
    // A dry run goes on to show the rest of the plan; a real run stops where it failed.
    if (!ok && !options.dryRun) break;
  }
  return { ok, timeline };
}

function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The timeline as a table: when each step started, how long it took, how it ended. */
export function formatTimeline(timeline: readonly TimelineEntry[]): string[] {
  const width = Math.max(...timeline.map((t) => t.step.length), 4);
  return [
    "Timeline:",
    ...timeline.map(
      (t) =>
        `  ${t.startedAt.toISOString().slice(11, 19)}Z  ${t.step.padEnd(width)}  ${seconds(t.durationMs).padStart(10)}  ${t.outcome}`,
    ),
  ];
}
