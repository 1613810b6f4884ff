#!/usr/bin/env node
// Prints what a synth produced, for review before `cdktf diff`/`deploy`: per stack, where its
// state goes, its regions, image, network and sizes, resources per type, outputs, and each
// warning the stacks raised, once, and what each stack costs a month at list prices with the pilot
// light's share of the primary (cost/estimate.ts). Everything is read from the synthesized JSON.
// Usage: node scripts/summary.mjs [outdir]   (default: cdktf.out)
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { pruneBundles, writeAtomically } from "./bundle-cache.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * cost/estimate.ts as one CommonJS file in .gen/, rebuilt with esbuild when a file of cost/ (it
 * imports nothing outside) or esbuild changes: loading tsx for one module would cost more than
 * the summary itself. Written through a temporary name, so parallel synths never read half a file.
 */
function loadEstimator() {
  const hash = createHash("sha256");
  const sources = readdirSync(join(root, "cost"))
    .filter((f) => f.endsWith(".ts"))
    .sort();
  for (const file of [...sources.map((f) => join("cost", f)), "node_modules/esbuild/package.json"])
    hash.update(file).update(readFileSync(join(root, file)));
  const bundle = join(root, ".gen", `cost-${hash.digest("hex").slice(0, 16)}.cjs`);
  const require = createRequire(import.meta.url);
  if (!existsSync(bundle)) {
    // Loaded only to build: a run that finds its bundle does without.
    const { buildSync } = require("esbuild");
    const [out] = buildSync({
      absWorkingDir: root,
      entryPoints: ["cost/estimate.ts"],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      logLevel: "silent",
    }).outputFiles;
    mkdirSync(dirname(bundle), { recursive: true });
    writeAtomically(bundle, out.contents);
    pruneBundles(dirname(bundle), /^cost-\w+\.cjs$/, bundle);
  }
  return require(bundle);
}

const values = (json, type) => Object.values(json.resource?.[type] ?? {});

function stateLine(json, stackDir) {
  const { backend, cloud } = json.terraform ?? {};
  if (cloud) return `Terraform Cloud ${cloud.organization}, workspace ${cloud.workspaces.name}`;
  if (backend?.s3) {
    const s3 = backend.s3;
    const lock = s3.dynamodb_table ? `DynamoDB table ${s3.dynamodb_table}` : "S3 lock file";
    return `S3 s3://${s3.bucket}/${s3.key} (${s3.region}, encrypted, locked with ${lock})`;
  }
  if (backend?.local) {
    const file = resolve(stackDir, backend.local.path);
    const shown = relative(process.cwd(), file);
    return `local file ${shown.startsWith("..") || isAbsolute(shown) ? file : shown}`;
  }
  return "none (Terraform's default: terraform.tfstate in the stack's directory)";
}

/** The VPC, its NAT gateways (or NAT instance), then one line of subnet CIDRs per tier. */
function network(json) {
  const vpcs = values(json, "aws_vpc").map((v) => v.cidr_block);
  const nats = values(json, "aws_nat_gateway").length;
  // An instance that forwards others' packets is the pilot light's NAT instance.
  const natInstances = values(json, "aws_instance")
    .filter((i) => i.source_dest_check === false)
    .map((i) => `NAT instance ${i.instance_type}`);
  const tiers = {};
  for (const s of values(json, "aws_subnet"))
    (tiers[s.tags?.tier ?? "other"] ??= []).push(s.cidr_block);
  const order = ["public", "app", "data"];
  const rank = (tier) => (order.includes(tier) ? order.indexOf(tier) : order.length);
  return [
    `VPC ${vpcs.join(", ")}, ${natInstances.length ? natInstances.join(", ") : `${nats} NAT gateway(s)`}`,
    ...Object.entries(tiers)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([tier, cidrs]) => `${tier.padEnd(7)}${cidrs.join(" ")}`),
  ];
}

function service(json) {
  const task = values(json, "aws_ecs_task_definition")[0];
  if (!task) return {};
  const container = JSON.parse(task.container_definitions)[0];
  const svc = values(json, "aws_ecs_service")[0] ?? {};
  const scaling = values(json, "aws_appautoscaling_target")[0];
  const arch = task.runtime_platform?.cpu_architecture ?? "X86_64";
  const bounds = scaling ? `, autoscaled ${scaling.min_capacity}-${scaling.max_capacity}` : "";
  const wait = svc.wait_for_steady_state ? ", apply waits for a steady service" : "";
  return {
    image: container.image,
    tasks: `${task.cpu} CPU units, ${task.memory} MiB, ${arch}; ${svc.desired_count} task(s) at creation${bounds}${wait}`,
  };
}

function databases(json) {
  const writersFirst = (db) => (db.replicate_source_db ? 1 : 0);
  const instances = values(json, "aws_db_instance").sort(
    (a, b) => writersFirst(a) - writersFirst(b),
  );
  return instances.map((db) => {
    const role = db.replicate_source_db ? "replica" : "writer";
    const engine = db.engine_version ? ` PostgreSQL ${db.engine_version},` : "";
    const storage = db.allocated_storage
      ? ` ${db.allocated_storage}-${db.max_allocated_storage} GiB,`
      : "";
    return `${role} ${db.instance_class},${engine}${storage} ${db.multi_az ? "Multi-AZ" : "single-AZ"}`;
  });
}

/** `items` after `label`, comma-separated, in lines of at most 100 characters. */
function wrap(label, items) {
  const lines = [label];
  for (const item of items) {
    const last = lines.length - 1;
    const sep = lines[last] === label ? "" : ", ";
    if (lines[last].length + sep.length + item.length > 100 && lines[last] !== label) {
      lines[last] += ",";
      lines.push(`${" ".repeat(label.length)}${item}`);
    } else lines[last] += `${sep}${item}`;
  }
  return lines;
}

/** The summary of the synth in `outdir`, as lines; `env` is the environment the synth ran with. */
export function summarize(outdir, env = process.env) {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
  // Dependencies first: the order `cdktf deploy` takes them in.
  const stacks = Object.values(manifest.stacks).sort(
    (a, b) => a.dependencies.length - b.dependencies.length || a.name.localeCompare(b.name),
  );
  const deployEnv = env.DEPLOY_ENV?.trim() || "dev";
  const lines = [];
  const tagged = new Set();
  let warnings = 0;
  const parsed = stacks.map((stack) => ({
    name: stack.name,
    json: JSON.parse(readFileSync(join(outdir, stack.synthesizedStackPath), "utf8")),
  }));
  const costing = loadEstimator();
  const cost = costing.estimate(parsed);
  for (const [i, stack] of stacks.entries()) {
    const { json } = parsed[i];
    const providers = json.provider?.aws ?? [];
    for (const p of providers)
      for (const t of p.default_tags ?? []) tagged.add(t.tags?.environment);
    const regions = providers.map((p) => (p.alias ? `${p.region} (${p.alias})` : p.region));
    const counts = Object.entries(json.resource ?? {})
      .map(([type, byId]) => [type, Object.keys(byId).length])
      .sort(([a], [b]) => a.localeCompare(b));
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const deps = stack.dependencies.length
      ? `, deployed after ${stack.dependencies.join(", ")}`
      : "";
    const { image, tasks } = service(json);
    lines.push("", `Stack ${stack.name}: ${total} resources${deps}`);
    lines.push(`  state     ${stateLine(json, join(outdir, stack.workingDirectory))}`);
    lines.push(`  regions   ${regions.join(", ")}`);
    if (image) lines.push(`  image     ${image}`);
    if (values(json, "aws_vpc").length) {
      lines.push(...network(json).map((l, i) => `${i ? "            " : "  network   "}${l}`));
    }
    if (tasks) lines.push(`  tasks     ${tasks}`);
    for (const db of databases(json)) lines.push(`  database  ${db}`);
    lines.push(
      ...wrap(
        "  resources ",
        counts.map(([type, n]) => `${n} ${type}`),
      ),
    );
    const outputs = Object.keys(json.output ?? {}).filter((name) => !json.output[name].sensitive);
    if (outputs.length) lines.push(`  outputs   ${outputs.join(", ")}`);
    const stackCost = cost.stacks[i];
    const top = costing
      .byResource(stackCost)
      .slice(0, 3)
      .filter((r) => r.monthlyUsd >= 0.005)
      .map((r) => `${r.path.split("/").slice(1).join("/")} ${costing.usd(r.monthlyUsd)}`);
    lines.push(
      `  cost      ${costing.usd(stackCost.monthlyUsd)} a month${top.length ? `; most: ${top.join(", ")}` : ""}`,
    );
    const messages = new Set(
      stack.annotations.filter((a) => a.level !== "@cdktf/info").map((a) => a.message),
    );
    for (const message of messages) lines.push(`  WARNING   ${message}`);
    warnings += messages.size;
  }
  const vars = [
    `DEPLOY_ENV=${deployEnv}`,
    ...(env.IMAGE_TAG ? [`IMAGE_TAG=${env.IMAGE_TAG}`] : []),
  ];
  const head = [`Environment ${deployEnv}`];
  tagged.delete(undefined);
  if (tagged.size && !tagged.has(deployEnv)) {
    head.push(
      `NOTE: ${outdir} was synthesized for environment ${[...tagged].join(", ")}, not ${deployEnv}`,
    );
  }
  const costLines = [
    "",
    `Cost at AWS list prices as of ${cost.pricesAsOf} (entered by hand in cost/prices.ts: re-check before budgeting), with the usage assumed in cost/usage.ts (lines: \`npm run cost -- ${deployEnv}\`)`,
  ];
  if (cost.standbyRatio !== null) {
    costLines.push(
      `Pilot light (failover + link) ${costing.usd(cost.standbyUsd)} a month = ${costing.percent(cost.standbyRatio)} of primary ${costing.usd(cost.primaryUsd)}`,
    );
  }
  for (const type of cost.unpricedTypes) {
    costLines.push(`WARNING   no price for resource type ${type}: add it to cost/resources.ts`);
  }
  for (const problem of cost.problems) costLines.push(`WARNING   no price: ${problem}`);
  warnings += cost.unpricedTypes.length + cost.problems.length;
  return [
    ...head,
    ...lines,
    ...costLines,
    "",
    `${stacks.length} stack(s), ${warnings} warning(s). Review with \`${review(
      vars,
      stacks.map((s) => s.name),
    )}\`.`,
  ];
}

/** `cdktf diff` plans one stack per call (it ignores further names): one call per stack. */
function review(vars, names) {
  const env = vars.length ? `${vars.join(" ")} ` : "";
  if (names.length === 1) return `${env}npx cdktf diff ${names[0]}`;
  return `for stack in ${names.join(" ")}; do ${env}npx cdktf diff "$stack"; done`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = process.argv[2] ?? "cdktf.out";
  if (!existsSync(join(outdir, "manifest.json"))) {
    console.error(
      `summary: ${join(outdir, "manifest.json")} not found; run \`npx cdktf synth\` first`,
    );
    process.exit(1);
  }
  console.log(summarize(outdir).join("\n"));
}
