#!/usr/bin/env node
// Measures the speed targets of docs/performance.md: median wall time and peak memory of
//   1. the app command alone (cdktf.json's "app": what `cdktf synth` runs to build the JSON),
//   2. `cdktf synth` (CLI included),
//   3. the full `npm test`,
// then prints each target beside the measurement, MISSED where it is not met.
// Usage: npm run bench [-- --runs N] [--env dev|prod]. Needs GNU time (/usr/bin/time).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
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
    // As `npm run synth` runs cdktf (scripts/synth.mjs explains each variable).
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      DISABLE_VERSION_CHECK: "1",
      CI: "true",
      DEPLOY_ENV: environment,
      ...env,
    },
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

const app = JSON.parse(readFileSync("cdktf.json", "utf8")).app;
const outdir = mkdtempSync(join(tmpdir(), "bench-out-"));
const cases = [
  {
    name: `app command (${app})`,
    command: app,
    env: { CDKTF_OUTDIR: outdir },
    maxSeconds: 0.5,
    maxMiB: 300,
  },
  // From node_modules/.bin as npm scripts run it: npx would add its own start-up (0.3-0.7 s here).
  {
    name: "cdktf synth",
    command: `node_modules/.bin/cdktf synth --output ${outdir}`,
    maxSeconds: 2.5,
  },
  { name: "npm test", command: "npx jest --silent", maxSeconds: 20 },
];

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
console.log(`Environment ${environment}, ${runs} runs each, ${new Date().toISOString()}`);
console.log(`Load average before: ${load()} (1, 5, 15 min) on a machine with 2 cores`);
const missed = [];
for (const c of cases) {
  measure(c.command, c.env); // warm the file cache; not counted
  const samples = Array.from({ length: runs }, () => measure(c.command, c.env));
  const seconds = median(samples.map((s) => s.seconds));
  const peak = Math.max(...samples.map((s) => s.mib));
  const misses = [
    seconds > c.maxSeconds ? `${seconds.toFixed(2)} s > ${c.maxSeconds} s` : "",
    c.maxMiB && peak > c.maxMiB ? `${peak.toFixed(0)} MiB > ${c.maxMiB} MiB` : "",
  ].filter(Boolean);
  const target = `<= ${c.maxSeconds} s${c.maxMiB ? `, <= ${c.maxMiB} MiB` : ""}`;
  console.log(
    `${c.name.padEnd(38)} median ${seconds.toFixed(2)} s   peak ${peak.toFixed(0)} MiB   target ${target.padEnd(20)} ${misses.length ? `MISSED (${misses.join(", ")})` : "met"}`,
  );
  if (misses.length) missed.push(c.name);
}
rmSync(outdir, { recursive: true, force: true });
console.log(`Load average after: ${load()}`);
console.log(
  missed.length
    ? `${missed.length} of ${cases.length} targets MISSED: ${missed.join("; ")}. On a busy machine, measure again when it is quieter.`
    : `All ${cases.length} targets met.`,
);
