/** Small process helpers shared by the Terraform layers: run, time, report. */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

export interface RunResult {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/**
 * Runs a command, streaming nothing; resolves with its exit code and combined output so that a
 * failure can be shown in full and a success in one line.
 */
export function run(
  command: string,
  args: readonly string[],
  { cwd, env, input }: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => {
      output += `${error.message}\n`;
    });
    child.on("close", (code) =>
      resolve({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }),
    );
    child.stdin.end(input ?? "");
  });
}

/** Runs `tasks` (functions returning promises) with at most `limit` at once, in order. */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Stacks of a synthesized output folder, in the order cdktf deploys them. */
export interface SynthesizedStack {
  readonly name: string;
  /** Folder holding its cdk.tf.json. */
  readonly dir: string;
  /** Stacks whose outputs it reads. */
  readonly dependencies: readonly string[];
}

interface ManifestStack {
  name: string;
  workingDirectory: string;
  dependencies: string[];
}

export function stacksInOrder(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, ManifestStack>;
  };
  const stacks = Object.values(manifest.stacks);
  const done: ManifestStack[] = [];
  const names = new Set(readdirSync(join(outdir, "stacks")));
  while (done.length < stacks.length) {
    const ready = stacks.find(
      (s) => !done.includes(s) && s.dependencies.every((d) => done.some((x) => x.name === d)),
    );
    if (!ready) throw new Error(`${outdir}: the stacks' dependencies form a cycle`);
    done.push(ready);
  }
  return done
    .filter((s) => names.has(s.name))
    .map((s) => ({
      name: s.name,
      dir: join(outdir, s.workingDirectory),
      dependencies: s.dependencies,
    }));
}

/** Terraform's diagnostics, trimmed to what a reader needs when a step fails. */
export function tail(output: string, lines = 40): string {
  const all = output.trimEnd().split("\n");
  return (all.length > lines ? ["…", ...all.slice(-lines)] : all).join("\n");
}
