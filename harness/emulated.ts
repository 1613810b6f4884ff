/**
 * Real Terraform and the real AWS provider against an emulated AWS (moto on loopback).
 *
 *   npm run plan:emulated -- [env|variant] [--unreachable <region>|route53|iam ...] [--stacks a,b]
 *     Synthesizes the environment (default dev) or verification variant (harness/variants.ts), applies into the emulator every stack that
 *     another stack reads (so that cross-stack references resolve, as after a real deploy; that
 *     apply is the stack's plan), then takes the unreachable zones down and plans the chosen
 *     stacks (default: all; with zones down, the applied ones again too). Prints, per stack, the
 *     plan's counts, or the failure and every call that went to a dead zone.
 *
 *   npm run deploy:emulated -- [env] [--rehearse] [--release]
 *     The user's own path: `cdktf deploy <every stack>` against the emulator, then
 *     `cdktf destroy`. Prints resources created and destroyed, what is left and the times. With
 *     `--rehearse`, between the two: region A and Route53 go down and `npm run dr -- promote`
 *     runs, fails on an injected fault, resumes, and is checked (emulator/rehearsal.ts). With
 *     `--release`, before that: `npm run release` with a failing, then a passing migration
 *     (emulator/release-rehearsal.ts).
 *
 * Nothing here can reach a real account: AWS and backend variables are dropped, every provider
 * is pointed at the proxy, and state goes to a scratch folder.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../config";
import { writeOverride } from "./emulator/overrides";
import { rehearse } from "./emulator/rehearsal";
import { rehearseRelease } from "./emulator/release-rehearsal";
import type { RefusedCall } from "./emulator/proxy";
import { log, run, type SynthesizedStack, stacksInOrder, tail } from "./emulator/run";
import { type Emulator, seedLookups, startEmulator } from "./emulator/session";
import { type TerraformTools, terraformEnv, terraformTools } from "./emulator/tools";
import { skipReason, TEST_IMAGE_DIGEST, terraformStacks, VARIANTS, variantSlug } from "./variants";

export interface Options {
  readonly command: "plan" | "deploy";
  readonly environment: string;
  /** Zones (regions, `route53`, `iam`) taken down before planning. */
  readonly unreachable: string[];
  /** Stacks to plan; all when undefined. */
  readonly stacks?: string[];
  /** deploy: rehearse `npm run dr -- promote` between deploy and destroy (emulator/rehearsal.ts). */
  readonly rehearse?: boolean;
  /** deploy: rehearse `npm run release` right after the deploy (emulator/release-rehearsal.ts). */
  readonly release?: boolean;
}

/**
 * Shortens the provider's fixed RDS waiter sleeps (about 80 s per instance, see
 * harness/terraform-tools.sh): the emulator answers at once, and the calls stay the same.
 */
const EMULATED = { HELLO_YOU_EMULATED_PACE: "0.05" };

interface Counts {
  add: number;
  change: number;
  destroy: number;
}

const USAGE = `usage: emulated.ts plan [env|variant] [--unreachable <zone> ...] [--stacks a,b]
       emulated.ts deploy [env|variant] [--rehearse] [--release]`;

export function parseArgs(argv: readonly string[]): Options {
  const [command, ...rest] = argv;
  if (command !== "plan" && command !== "deploy") throw new Error(USAGE);
  const options: { -readonly [K in keyof Options]: Options[K] } = {
    command,
    environment: "dev",
    unreachable: [],
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--unreachable" && command === "plan") {
      const zone = rest[++i];
      if (!zone || zone.startsWith("--"))
        throw new Error("--unreachable needs a region, route53 or iam");
      options.unreachable.push(zone);
    } else if (arg === "--stacks" && command === "plan") {
      options.stacks = (rest[++i] ?? "").split(",").filter(Boolean);
      if (!options.stacks.length)
        throw new Error("--stacks needs a comma-separated list of stacks");
    } else if (arg === "--rehearse" && command === "deploy") {
      options.rehearse = true;
    } else if (arg === "--release" && command === "deploy") {
      options.release = true;
    } else if (!arg.startsWith("--")) {
      options.environment = arg;
    } else {
      throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  // `npm run dr` takes an environment, and the rehearsal needs its "after promotion" variant.
  if (options.release && !Object.hasOwn(ENVIRONMENTS, options.environment)) {
    throw new Error(
      `--release needs an environment (${Object.keys(ENVIRONMENTS).join(", ")}), not "${options.environment}": npm run release loads one`,
    );
  }
  if (options.rehearse && !Object.hasOwn(ENVIRONMENTS, options.environment)) {
    throw new Error(
      `--rehearse needs an environment (${Object.keys(ENVIRONMENTS).join(", ")}), not "${options.environment}"`,
    );
  }
  return options;
}

/**
 * Synthesizes an environment as users do (`cdktf synth` with DEPLOY_ENV), or a verification
 * variant of harness/variants.ts by its slug. Returns the folder that holds manifest.json.
 */
function synthesize(target: string, outdir: string, env: NodeJS.ProcessEnv): string {
  if (Object.hasOwn(ENVIRONMENTS, target)) {
    log(`synth: DEPLOY_ENV=${target} into ${outdir}`);
    // Like CI's synth, the release under test where the file names no image (prod takes its
    // release from the delivery path), unless the caller passes one.
    const { imageTag, imageDigest } = ENVIRONMENTS[target].service;
    const release =
      (imageTag ?? imageDigest ?? env.IMAGE_TAG ?? env.IMAGE_DIGEST)
        ? {}
        : { IMAGE_DIGEST: TEST_IMAGE_DIGEST };
    execFileSync("npx", ["cdktf", "synth", "--output", outdir], {
      env: { ...env, ...release, DEPLOY_ENV: target, CI: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    return outdir;
  }
  const slugs = VARIANTS.map(variantSlug);
  if (!slugs.includes(target)) {
    throw new Error(
      `"${target}" is neither an environment (${Object.keys(ENVIRONMENTS).join(", ")}) nor a variant (${slugs.join(", ")})`,
    );
  }
  return synthesizeVariant(target, outdir, env);
}

/** A variant of harness/variants.ts, by slug, into `<outdir>/<slug>`. */
function synthesizeVariant(target: string, outdir: string, env: NodeJS.ProcessEnv): string {
  log(`synth: variant ${target} into ${outdir}`);
  execFileSync("node", ["--import", "tsx", join(__dirname, "synth-variants.ts"), outdir, target], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return join(outdir, target);
}

function terraform(tools: TerraformTools, env: NodeJS.ProcessEnv, dir: string, args: string[]) {
  return run(tools.terraform, [...args, "-no-color"], { cwd: dir, env });
}

/** The synthesized stacks, in deploy order, but those whose providers cannot be built here. */
function buildableStacks(target: string, outdir: string): SynthesizedStack[] {
  const all = stacksInOrder(outdir);
  const kept = terraformStacks(
    target,
    all.map((s) => s.name),
  );
  for (const s of all.filter((x) => !kept.includes(x.name))) {
    log(`skip ${s.name}: ${skipReason(s.name)}`);
  }
  return all.filter((s) => kept.includes(s.name));
}

/**
 * Synthesizes `target` into the emulator's work folder and readies each buildable stack for it:
 * override file (endpoints, scratch state, remote state) and the lookups it expects to exist.
 */
function prepareStacks(
  emulator: Emulator,
  tools: TerraformTools,
  target: string,
  env: NodeJS.ProcessEnv,
): { outdir: string; stacks: SynthesizedStack[] } {
  const outdir = synthesize(target, join(emulator.work, "out"), env);
  const stacks = buildableStacks(target, outdir);
  for (const stack of stacks) {
    writeOverride(stack.dir, {
      stack: stack.name,
      stateDir: emulator.stateDir,
      proxyPort: emulator.proxy.port,
      providers: tools.providers,
    });
    seedLookups(emulator, stack.dir);
  }
  return { outdir, stacks };
}

/**
 * The emulated runs' own declaration: every service's tasks start and pass their health checks.
 * Nothing is healthy unless a run says so (shims/control.py); the rehearsal declares otherwise
 * where a scenario needs it.
 */
function declareHealthyTasks(emulator: Emulator): void {
  emulator.declareTasks({ "*": "healthy" });
  log(
    "emulator: declared every service's tasks healthy (moto runs none; nothing is healthy by default)",
  );
}

/**
 * A plan passes only when Terraform succeeded and made no call to a zone the run took down:
 * a provider that retries or tolerates a dead endpoint can still exit 0.
 */
export function planOutcome(
  code: number,
  refused: readonly RefusedCall[],
): { ok: boolean; problems: string[] } {
  const problems = code === 0 ? [] : [`terraform plan exited ${code}`];
  const calls = [...new Set(refused.map((c) => `${c.zone}: ${c.service} ${c.operation}`))];
  if (calls.length) {
    problems.push(`called ${refused.length} time(s) into unreachable zones: ${calls.join("; ")}`);
  }
  return { ok: problems.length === 0, problems };
}

/** `{ add, change, destroy }` of a saved plan. */
async function planCounts(
  tools: TerraformTools,
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<Counts> {
  const show = await run(tools.terraform, ["show", "-json", "plan.out"], { cwd: dir, env });
  const plan = JSON.parse(show.output) as {
    resource_changes?: { change: { actions: string[] } }[];
  };
  const counts: Counts = { add: 0, change: 0, destroy: 0 };
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions;
    if (actions.includes("create")) counts.add += 1;
    if (actions.includes("update")) counts.change += 1;
    if (actions.includes("delete")) counts.destroy += 1;
  }
  return counts;
}

async function plan(options: Options): Promise<boolean> {
  const tools = terraformTools();
  const env = terraformEnv(tools, EMULATED);
  const emulator = await startEmulator("plan-emulated");
  declareHealthyTasks(emulator);
  const started = Date.now();
  const results: { stack: string; ok: boolean; counts?: Counts; refused: RefusedCall[] }[] = [];
  try {
    const { stacks } = prepareStacks(emulator, tools, options.environment, env);
    const unknown = (options.stacks ?? []).filter((s) => !stacks.some((x) => x.name === s));
    if (unknown.length)
      throw new Error(`no stack named ${unknown.join(", ")} in ${options.environment}`);
    const targets = options.stacks ?? stacks.map((s) => s.name);
    const seeded = new Set<string>();
    const needed = new Set(stacks.flatMap((s) => (targets.includes(s.name) ? s.dependencies : [])));

    for (const stack of stacks) {
      const init = await terraform(tools, env, stack.dir, ["init", "-input=false"]);
      if (init.code !== 0)
        throw new Error(`${stack.name}: terraform init failed\n${tail(init.output)}`);
      if (!needed.has(stack.name)) continue;
      log(`seed: applying ${stack.name} (other stacks read its outputs)`);
      const apply = await terraform(tools, env, stack.dir, [
        "apply",
        "-auto-approve",
        "-input=false",
      ]);
      if (apply.code !== 0)
        throw new Error(`${stack.name}: seeding apply failed\n${tail(apply.output)}`);
      const applied = /Resources: (\d+) added, (\d+) changed, (\d+) destroyed/.exec(apply.output);
      const counts = applied
        ? { add: Number(applied[1]), change: Number(applied[2]), destroy: Number(applied[3]) }
        : { add: 0, change: 0, destroy: 0 };
      log(
        `seed: ${stack.name} planned and applied in ${apply.seconds.toFixed(0)} s: ${counts.add} added`,
      );
      // The apply was this stack's plan, against the same emulator. Planning it again would
      // measure moto's fidelity (attributes it does not store show as drift), not our stack;
      // with zones taken down, though, a fresh plan is the point.
      if (targets.includes(stack.name) && !options.unreachable.length) {
        results.push({ stack: stack.name, ok: true, counts, refused: [] });
        seeded.add(stack.name);
      }
    }

    for (const zone of options.unreachable) emulator.proxy.unreachable.add(zone);
    if (options.unreachable.length)
      log(`emulator: now unreachable: ${options.unreachable.join(", ")}`);

    for (const stack of stacks.filter((s) => targets.includes(s.name) && !seeded.has(s.name))) {
      const before = emulator.proxy.refused.length;
      const result = await terraform(tools, env, stack.dir, [
        "plan",
        "-input=false",
        "-out=plan.out",
      ]);
      const refused = emulator.proxy.refused.slice(before);
      const outcome = planOutcome(result.code, refused);
      if (outcome.ok) {
        const counts = await planCounts(tools, env, stack.dir);
        log(
          `plan ${stack.name}: ok in ${result.seconds.toFixed(0)} s: ${counts.add} to add, ${counts.change} to change, ${counts.destroy} to destroy`,
        );
        results.push({ stack: stack.name, ok: true, counts, refused });
      } else {
        log(
          `plan ${stack.name}: FAILED in ${result.seconds.toFixed(0)} s: ${outcome.problems.join("; ")}${result.code === 0 ? "" : `\n${tail(result.output)}`}`,
        );
        results.push({ stack: stack.name, ok: false, refused });
      }
    }
  } finally {
    await emulator.stop();
  }
  const failed = results.filter((r) => !r.ok);
  log(
    `plan:emulated ${options.environment}${options.unreachable.length ? ` (unreachable: ${options.unreachable.join(", ")})` : ""}: ${
      results.length - failed.length
    } of ${results.length} stacks planned in ${((Date.now() - started) / 1000).toFixed(0)} s (${tools.versions})`,
  );
  return failed.length === 0 && results.length > 0;
}

/**
 * The managed resources in a stack's state (data sources are read, not created or destroyed).
 * A failing `terraform state list` throws: an unreadable state is not an empty one.
 */
async function stateList(
  tools: TerraformTools,
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<string[]> {
  const r = await run(tools.terraform, ["state", "list", "-no-color"], { cwd: dir, env });
  return managedResources(r.code, r.output, dir);
}

/** `terraform state list`'s answer as a list, or an error naming the stack's folder. */
export function managedResources(code: number, output: string, dir: string): string[] {
  // Terraform never ran there (the deploy stopped before this stack): nothing was created.
  if (code !== 0 && /No state file was found/.test(output)) return [];
  if (code !== 0) {
    throw new Error(`terraform state list failed in ${dir} (exit ${code}):\n${tail(output, 10)}`);
  }
  return output.split("\n").filter((line) => line && !/^(.*\.)?data\./.test(line));
}

async function deploy(options: Options): Promise<boolean> {
  const tools = terraformTools();
  const env = terraformEnv(tools, EMULATED);
  const emulator = await startEmulator("deploy-emulated");
  declareHealthyTasks(emulator);
  let ok = false;
  try {
    const { outdir, stacks } = prepareStacks(emulator, tools, options.environment, env);
    const names = stacks.map((s) => s.name);
    const cdktf = (verb: string, list: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
      run(
        "npx",
        [
          "cdktf",
          verb,
          ...list,
          "--skip-synth",
          "--output",
          outdir,
          "--auto-approve",
          "--skip-provider-lock",
          "--no-color",
        ],
        { env: { ...env, ...extraEnv, DEPLOY_ENV: options.environment, CI: "1" } },
      );

    log(`deploy: cdktf deploy ${names.join(" ")}`);
    const deployed = await cdktf("deploy", names);
    if (deployed.code !== 0) log(`deploy: FAILED\n${tail(deployed.output, 60)}`);
    const created: Record<string, number> = {};
    for (const s of stacks) created[s.name] = (await stateList(tools, env, s.dir)).length;
    const planned = countPlanned(stacks);
    log(
      `deploy: ${deployed.code === 0 ? "ok" : "FAILED"} in ${deployed.seconds.toFixed(0)} s; resources created: ${stacks
        .map((s) => `${s.name} ${created[s.name]} of ${planned[s.name]}`)
        .join(", ")}`,
    );

    let released = true;
    if (options.release) {
      released =
        deployed.code === 0 &&
        (await rehearseRelease({
          emulator,
          environment: options.environment,
          // The release's image means a new synth; its stacks keep the emulator's overrides.
          cdktf: async (args, releaseEnv) => {
            const image = {
              IMAGE_TAG: releaseEnv.IMAGE_TAG,
              IMAGE_DIGEST: releaseEnv.IMAGE_DIGEST,
            };
            prepareStacks(emulator, tools, options.environment, { ...env, ...image });
            const [verb, ...list] = args.filter((a) => a !== "--auto-approve");
            const result = await cdktf(verb, list, image);
            if (result.code !== 0) log(tail(result.output, 40));
            return result.code;
          },
        }));
      if (deployed.code !== 0) log("release rehearsal: not run, the deploy failed");
    }

    let rehearsed = true;
    if (options.rehearse) {
      rehearsed =
        deployed.code === 0 &&
        (await rehearse({
          tools,
          env,
          emulator,
          environment: options.environment,
          synthesizeVariant: (slug, dir) => synthesizeVariant(slug, dir, env),
        }));
      if (deployed.code !== 0) log("rehearsal: not run, the deploy failed");
    }

    log(`destroy: cdktf destroy ${[...names].reverse().join(" ")}`);
    const destroyed = await cdktf("destroy", [...names].reverse());
    log(`destroy: ${destroyed.code === 0 ? "ok" : "FAILED"} in ${destroyed.seconds.toFixed(0)} s`);
    if (destroyed.code !== 0) log(tail(destroyed.output, 60));
    const left: Record<string, string[]> = {};
    for (const s of stacks) left[s.name] = await stateList(tools, env, s.dir);
    const leftCount = Object.values(left).flat().length;
    log(`destroy: left in state: ${leftCount}`);
    for (const [stack, list] of Object.entries(left))
      for (const r of list) log(`  left: ${stack} ${r}`);
    const allCreated = stacks.every((s) => created[s.name] === planned[s.name]);
    ok =
      deployed.code === 0 &&
      destroyed.code === 0 &&
      allCreated &&
      leftCount === 0 &&
      rehearsed &&
      released;
  } finally {
    await emulator.stop();
  }
  log(`deploy:emulated ${options.environment}: ${ok ? "passed" : "FAILED"} (${tools.versions})`);
  return ok;
}

/** Managed resources each stack declares (instances of `count`/`for_each` aside: we use none). */
function countPlanned(stacks: SynthesizedStack[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of stacks) {
    const json = JSON.parse(readFileSync(join(s.dir, "cdk.tf.json"), "utf8")) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    out[s.name] = Object.values(json.resource ?? {}).reduce(
      (n, byName) => n + Object.keys(byName).length,
      0,
    );
  }
  return out;
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    log((error as Error).message);
    process.exit(2);
  }
  const ok = await (options.command === "plan" ? plan(options) : deploy(options)).catch(
    (error: Error) => {
      log(`${options.command}:emulated failed: ${error.message}`);
      return false;
    },
  );
  process.exit(ok ? 0 : 1);
}

if (require.main === module) void main();
