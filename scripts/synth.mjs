#!/usr/bin/env node
// `npm run synth`: `cdktf synth`, then the summary (scripts/summary.mjs). cdktf echoes every
// warning annotation as it finishes and the summary lists them under their stack: the echo is
// dropped so that each warning appears once. Everything else cdktf prints is passed on.
// CI=true: no spinner control codes. CHECKPOINT_DISABLE: no call to HashiCorp's version service
// (an error line without network). DISABLE_VERSION_CHECK: no `npm list cdktf` (about 0.5 s) to
// compare library and CLI versions; package.json pins both to one version, and a spec checks it.
// Usage: npm run synth [-- <cdktf synth options>], e.g. -- --output cdktf.out/prod
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { summarize } from "./summary.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const flag = args.findIndex((a) => a === "--output" || a === "-o");
const outdir = flag >= 0 ? args[flag + 1] : "cdktf.out";
const env = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1", ...process.env, CI: "true" };

console.log(`Synthesizing DEPLOY_ENV=${env.DEPLOY_ENV?.trim() || "dev"} into ${outdir}`);
const cdktf = spawnSync(join(root, "node_modules", ".bin", "cdktf"), ["synth", ...args], {
  env,
  encoding: "utf8",
  stdio: ["inherit", "pipe", "pipe"],
});
if (cdktf.status !== 0) {
  process.stdout.write(cdktf.stdout ?? "");
  process.stderr.write(cdktf.stderr ?? cdktf.error?.message ?? "");
  process.exit(cdktf.status ?? 1);
}

const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
const echoes = new Set(
  Object.values(manifest.stacks).flatMap((s) =>
    s.annotations.map((a) => `WARN [${a.constructPath}]: ${a.message}`),
  ),
);
const passOn = (text) =>
  text
    .split("\n")
    .filter((line) => line.trim() && !echoes.has(line))
    .map((line) => `${line}\n`)
    .join("");
process.stdout.write(passOn(cdktf.stdout));
process.stderr.write(passOn(cdktf.stderr));
console.log(summarize(outdir, env).join("\n"));
