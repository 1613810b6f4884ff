#!/usr/bin/env node
// Prints what a synth produced, for review before `cdktf diff`/`deploy`: stacks and their order,
// resources per type, outputs, and the warnings the stacks raised.
// Usage: node scripts/summary.mjs [outdir]   (default: cdktf.out)
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const outdir = process.argv[2] ?? "cdktf.out";
const manifestPath = join(outdir, "manifest.json");
if (!existsSync(manifestPath)) {
  console.error(`summary: ${manifestPath} not found; run \`npx cdktf synth\` first`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const environment = process.env.DEPLOY_ENV || "dev";
const stacks = Object.values(manifest.stacks);
let warnings = 0;

console.log(`\nEnvironment: ${environment}`);
for (const stack of stacks) {
  const json = JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), "utf8"));
  const counts = Object.entries(json.resource ?? {})
    .map(([type, byId]) => [type, Object.keys(byId).length])
    .sort(([a], [b]) => a.localeCompare(b));
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  const regions = (json.provider?.aws ?? []).map((p) =>
    p.alias ? `${p.region} (${p.alias})` : p.region,
  );
  const deps = stack.dependencies.length ? `, after ${stack.dependencies.join(", ")}` : "";
  console.log(`\nStack ${stack.name}: ${total} resources in ${regions.join(", ")}${deps}`);
  for (const [type, n] of counts) console.log(`  ${String(n).padStart(3)}  ${type}`);
  const outputs = Object.entries(json.output ?? {}).filter(([, o]) => !o.sensitive);
  if (outputs.length) {
    console.log("  outputs:");
    for (const [name, o] of outputs)
      console.log(`    ${name}${o.description ? `: ${o.description}` : ""}`);
  }
  for (const a of stack.annotations.filter((a) => a.level !== "@cdktf/info")) {
    warnings += 1;
    console.log(`  WARNING: ${a.message}`);
  }
}
console.log(`\n${stacks.length} stack(s), ${warnings} warning(s). Review with \`npx cdktf diff\`.`);
