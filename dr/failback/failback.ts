/**
 * `dr failback --plan`: the ordered steps and checks that return service to region A after a
 * promote, with this environment's real names. Printed, not run: failback needs region A's APIs
 * back and a maintenance window in which writes stop, which an operator schedules. Every step
 * uses what today's stacks and settings offer (failover.promoted is the only setting it
 * changes); RDS and Terraform commands do what the stacks cannot.
 */
import type { DrContext } from "../context";
import { checkStart, fenceA, keepOldWriter, replaceWriter } from "./failback-prepare";
import { type FailbackStep, failbackEnv } from "./failback-step";
import { liftFence, promoteA, rebuildB, restoreA, stopB } from "./failback-window";

export type { FailbackStep } from "./failback-step";

export const FAILBACK_REFUSAL =
  "only --plan is supported: failback needs a maintenance window and region A rebuilt; run npm run dr -- failback --plan and follow it";

/** Region B's writes stop at this step (1-based) and resume, in region A, at WINDOW_END. */
const WINDOW_START = 5;
const WINDOW_END = 8;

export function failbackPlan(ctx: DrContext): FailbackStep[] {
  const env = failbackEnv(ctx);
  return [
    checkStart(env),
    fenceA(env),
    keepOldWriter(env),
    replaceWriter(env),
    stopB(env),
    promoteA(env),
    // Before A's tasks: region A's fence enforcer would hold them at zero while it reads fenced.
    liftFence(env),
    restoreA(env),
    rebuildB(env),
  ];
}

export function formatFailbackPlan(ctx: DrContext, plan: readonly FailbackStep[]): string[] {
  const lines = [
    `Failback of ${ctx.config.project} ${ctx.environment} to region A (${ctx.regionA}) from region B (${ctx.regionB})`,
    `Printed, not run. Run each step's commands in one bash shell (later steps reuse its variables), and go on only when every check holds.`,
    `Writes stop from step ${WINDOW_START} to step ${WINDOW_END}: schedule a maintenance window.`,
  ];
  plan.forEach((step, i) => {
    lines.push("", `${i + 1}. ${step.title}`, `   why: ${step.why}`);
    if (step.warning) lines.push(`   WARNING: ${step.warning}`);
    lines.push(...step.commands.map((c) => `   $ ${c}`));
    lines.push(...step.checks.map((c) => `   check: ${c}`));
  });
  return lines;
}
