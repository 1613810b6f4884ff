/** Builds a promote run against the in-memory region B, with a scripted region A probe. */
import { loadConfig } from "../../config";
import { contextFor } from "../../dr/context";
import type { AuditSink } from "../../dr/audit";
import { type ProbeTarget, describeProbe } from "../../dr/promote/probe";
import { runSteps } from "../../dr/promote/promote";
import type { PromoteOptions, Step } from "../../dr/promote/step";
import { PROMOTE_STEPS } from "../../dr/promote/steps";
import { FakeClock, FakeRegionA, FakeRegionB } from "./fake-region";

export function harness(environment = "prod") {
  const ctx = contextFor(loadConfig(environment));
  const clock = new FakeClock();
  const aws = new FakeRegionB(ctx, clock);
  const regionA = new FakeRegionA(ctx.regionA);
  const lines: string[] = [];
  const probed: ProbeTarget[] = [];
  let primaryUp = false;
  const run = (
    options: Partial<PromoteOptions> = {},
    steps: readonly Step[] = PROMOTE_STEPS,
    audit?: AuditSink,
  ) =>
    runSteps(
      steps,
      {
        aws,
        regionA,
        ctx,
        clock,
        say: (line) => lines.push(line),
        probe: async (target) => {
          probed.push(target);
          const what = describeProbe(target);
          return { up: primaryUp, detail: `${what} ${primaryUp ? "answered 200" : "gave no 2xx"}` };
        },
        options: { force: false, dryRun: false, pollMs: 5000, timeoutMs: 3_600_000, ...options },
      },
      audit,
    );
  return {
    ctx,
    clock,
    aws,
    regionA,
    lines,
    probed,
    run,
    setPrimaryUp: (up: boolean) => {
      primaryUp = up;
    },
  };
}

export const outcomes = (result: { timeline: readonly { step: string; outcome: string }[] }) =>
  Object.fromEntries(result.timeline.map((t) => [t.step, t.outcome]));

/** What one step of a run said. */
export const detailOf = (
  result: { timeline: readonly { step: string; detail: string }[] },
  step: string,
) => result.timeline.find((t) => t.step === step)?.detail;
