/**
 * Synthesizes every verification variant (harness/variants.ts) with local state into
 * `<outdir>/<variant>/stacks/<stack>/cdk.tf.json`, for the Terraform layers that need files.
 * Usage: node --import tsx harness/synth-variants.ts <outdir> [variant-slug ...]
 */
import { App } from "cdktf";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { validateConfig } from "../config";
import { buildStacks } from "../stacks";
import { VARIANTS, variantInput, variantSlug } from "./variants";

const [outdir, ...only] = process.argv.slice(2);
if (!outdir) {
  process.stderr.write("usage: synth-variants.ts <outdir> [variant-slug ...]\n");
  process.exit(2);
}
for (const variant of VARIANTS) {
  const slug = variantSlug(variant);
  if (only.length && !only.includes(slug)) continue;
  const config = validateConfig(variantInput(variant), variant.environment);
  mkdirSync(join(outdir, slug), { recursive: true });
  const app = new App({ outdir: join(outdir, slug), stackTraces: false });
  buildStacks(app, config, { kind: "local" });
  app.synth();
  process.stdout.write(`${slug}\n`);
}
