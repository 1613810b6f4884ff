/**
 * `npm run cost -- [env] [--json] [--usage <file.json>] [--from <cdktf.out>]`: synthesizes the
 * environment (default: DEPLOY_ENV, else dev) and prints what each stack costs a month at list
 * prices, line by line, with the pilot light's share of the primary. `--from` prices an existing
 * synth instead. Exits 1 when a resource type or setting has no price.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_ENVIRONMENT, ENVIRONMENTS, validateConfig } from "../config";
import { withInspectionImage } from "../config/image";
import { readSynth, synthesizeStacks } from "../stacks/synthesized";
import { byResource, type Estimate, estimate, percent, usd } from "./estimate";
import { HOURS_PER_MONTH } from "./prices";
import { usageWith } from "./usage";

export function render(environment: string, e: Estimate): string[] {
  const lines = [
    `Monthly cost of ${environment} at AWS list prices as of ${e.pricesAsOf} (entered by hand in cost/prices.ts: re-check before budgeting) (${HOURS_PER_MONTH} h a month; usage assumptions in cost/usage.ts)`,
  ];
  for (const stack of e.stacks) {
    lines.push("", `${stack.stack} (${stack.role}): ${usd(stack.monthlyUsd)}`);
    for (const r of byResource(stack)) {
      if (r.monthlyUsd >= 0.005) lines.push(`  ${usd(r.monthlyUsd).padStart(9)}  ${r.path}`);
    }
  }
  lines.push("");
  if (e.standbyRatio !== null) {
    lines.push(
      `Pilot light (failover + link) ${usd(e.standbyUsd)} = ${percent(e.standbyRatio)} of primary ${usd(e.primaryUsd)}`,
    );
  }
  for (const t of e.unpricedTypes) lines.push(`NO PRICE: resource type ${t} (cost/resources.ts)`);
  for (const p of e.problems) lines.push(`NO PRICE: ${p}`);
  return lines;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      usage: { type: "string" },
      from: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: npm run cost -- [env] [--json] [--usage <file.json>] [--from <cdktf.out>]\n",
    );
    return;
  }
  const environment = positionals[0] ?? process.env.DEPLOY_ENV?.trim() ?? DEFAULT_ENVIRONMENT;
  if (!values.from && !Object.hasOwn(ENVIRONMENTS, environment)) {
    throw new Error(
      `unknown environment "${environment}"; use one of ${Object.keys(ENVIRONMENTS).join(", ")}`,
    );
  }
  const usage = usageWith(
    values.usage ? JSON.parse(readFileSync(values.usage, "utf8")) : undefined,
    values.usage ?? "usage",
  );
  const stacks = values.from
    ? readSynth(values.from)
    : synthesizeStacks(
        validateConfig(
          withInspectionImage(structuredClone(ENVIRONMENTS[environment])),
          environment,
        ),
      );
  const result = estimate(stacks, usage);
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ environment, usage, ...result }, null, 2)}\n`
      : `${render(values.from ?? environment, result).join("\n")}\n`,
  );
  if (result.unpricedTypes.length || result.problems.length) process.exitCode = 1;
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`cost: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
