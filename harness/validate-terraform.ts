/**
 * `npm run validate:terraform`: `terraform validate` with the real AWS and random providers on
 * every stack of every verification variant (harness/variants.ts: each environment, plus the
 * variants the invariants cover). Needs no cloud and no registry: the providers come from
 * harness/terraform-tools.sh. Exits non-zero, with Terraform's diagnostics, on any failure.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { writeProviderOverride } from "./emulator/overrides";
import { log, pool, run, tail } from "./emulator/run";
import { terraformEnv, terraformTools } from "./emulator/tools";
import { skipReason, terraformStacks } from "./variants";

async function main(): Promise<void> {
  const started = Date.now();
  const tools = terraformTools();
  const env = terraformEnv(tools);
  const work = mkdtempSync(join(tmpdir(), "validate-terraform-"));

  log(`validate: synthesizing every variant into ${work}`);
  execFileSync("node", ["--import", "tsx", "harness/synth-variants.ts", work], {
    stdio: ["ignore", "ignore", "inherit"],
  });

  const targets = readdirSync(work).flatMap((variant) => {
    const all = readdirSync(join(work, variant, "stacks"));
    const kept = terraformStacks(variant, all);
    for (const stack of all.filter((s) => !kept.includes(s))) {
      log(`  skip ${variant}/${stack}: ${skipReason(stack)}`);
    }
    return kept.map((stack) => ({
      name: `${variant}/${stack}`,
      dir: join(work, variant, "stacks", stack),
    }));
  });

  const results = await pool(
    targets.map((t) => async () => {
      writeProviderOverride(t.dir, tools.providers);
      const init = await run(
        tools.terraform,
        ["init", "-backend=false", "-input=false", "-no-color"],
        {
          cwd: t.dir,
          env,
        },
      );
      if (init.code !== 0) return { ...t, ok: false, step: "init", output: init.output };
      const validate = await run(tools.terraform, ["validate", "-no-color"], { cwd: t.dir, env });
      const seconds = init.seconds + validate.seconds;
      log(`  ${validate.code === 0 ? "ok  " : "FAIL"} ${t.name} (${seconds.toFixed(1)} s)`);
      return { ...t, ok: validate.code === 0, step: "validate", output: validate.output };
    }),
    Math.max(1, cpus().length),
  );

  const failed = results.filter((r) => !r.ok);
  for (const f of failed) log(`\n--- ${f.name}: terraform ${f.step} failed\n${tail(f.output)}`);
  log(
    `validate: ${results.length - failed.length} of ${results.length} stacks valid in ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s (${tools.versions})`,
  );
  if (!failed.length) rmSync(work, { recursive: true, force: true });
  process.exit(failed.length ? 1 : 0);
}

void main();
