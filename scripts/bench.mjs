#!/usr/bin/env node
// Measures the speed targets of docs/performance.md: median wall time and peak memory of
//   1. the app command alone (what `cdktf synth` runs to build the JSON),
//   2. `npx cdktf synth` (CLI included),
//   3. the full `npm test`.
// Usage: npm run bench [-- --runs N] [--env dev|prod]. Needs GNU time (/usr/bin/time).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(option("runs", 5));
const environment = option("env", "dev");
if (!existsSync("/usr/bin/time")) {
  console.error("bench: /usr/bin/time (GNU time) is required: apt-get install time");
  process.exit(1);
}

function measure(command, env = {}) {
  const stats = join(mkdtempSync(join(tmpdir(), "bench-")), "time");
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", "-o", stats, "bash", "-c", command], {
    env: { ...process.env, CHECKPOINT_DISABLE: "1", DEPLOY_ENV: environment, ...env },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) {
    console.error(`bench: \`${command}\` failed:\n${result.stderr}`);
    process.exit(1);
  }
  const [seconds, kib] = readFileSync(stats, "utf8")
    .trim()
    .split("\n")
    .pop()
    .split(" ")
    .map(Number);
  return { seconds, mib: kib / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const outdir = mkdtempSync(join(tmpdir(), "bench-out-"));
const cases = [
  {
    name: "app command (node --import tsx main.ts)",
    command: "node --import tsx main.ts",
    env: { CDKTF_OUTDIR: outdir },
    target: "<= 1 s, <= 300 MiB",
  },
  { name: "npx cdktf synth", command: `npx cdktf synth --output ${outdir}`, target: "<= 4 s" },
  { name: "npm test", command: "npx jest --silent", target: "<= 60 s" },
];

console.log(`Environment ${environment}, ${runs} runs each, ${new Date().toISOString()}`);
const results = [];
for (const c of cases) {
  measure(c.command, c.env); // warm the file cache; not counted
  const samples = Array.from({ length: runs }, () => measure(c.command, c.env));
  const row = {
    name: c.name,
    medianSeconds: median(samples.map((s) => s.seconds)),
    peakMiB: Math.max(...samples.map((s) => s.mib)),
    target: c.target,
  };
  results.push(row);
  console.log(
    `${row.name.padEnd(42)} median ${row.medianSeconds.toFixed(2)} s   peak ${row.peakMiB.toFixed(0)} MiB   (target ${row.target})`,
  );
}
rmSync(outdir, { recursive: true, force: true });
