/**
 * One stack of a verification variant, synthesized into the rehearsal's scratch folder and pointed
 * at the emulator and the deployment's state: what the rehearsal plans and applies after
 * `dr promote` (the promoted failover stack, the unpromoted one that must fail).
 */
import { join } from "node:path";
import { writeOverride } from "./overrides";
import type { RehearsalContext } from "./rehearsal";
import { run, type RunResult } from "./run";

/** Terraform in `stack`'s folder of `slug`'s synth, under `folder` of the emulator's scratch. */
export function variantStack(
  ctx: RehearsalContext,
  slug: string,
  folder: string,
  stack = "failover",
): (args: string[]) => Promise<RunResult> {
  const outdir = ctx.synthesizeVariant(slug, join(ctx.emulator.work, folder));
  const dir = join(outdir, "stacks", stack);
  writeOverride(dir, {
    stack,
    stateDir: ctx.emulator.stateDir,
    proxyPort: ctx.emulator.proxy.port,
    providers: ctx.tools.providers,
  });
  return (args) => run(ctx.tools.terraform, [...args, "-no-color"], { cwd: dir, env: ctx.env });
}
