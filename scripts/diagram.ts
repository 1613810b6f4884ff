/**
 * `npm run docs:diagram`: synthesizes prod (every part of the architecture is on there) and
 * writes images/architecture.svg, laid out by Graphviz from the stacks (docs-gen/diagram.ts).
 * `--check` writes nothing and exits 1 when the committed picture differs from the stacks.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS, validateConfig } from "../config";
import { withInspectionImage } from "../config/image";
import { architectureDot, renderSvg } from "../docs-gen/diagram";
import { synthesizeStacks } from "../stacks/synthesized";

export const DIAGRAM_ENVIRONMENT = "prod";
export const DIAGRAM_FILE = join(__dirname, "..", "images", "architecture.svg");

export async function diagramSvg(): Promise<string> {
  return renderSvg(
    architectureDot(
      synthesizeStacks(
        validateConfig(
          withInspectionImage(structuredClone(ENVIRONMENTS[DIAGRAM_ENVIRONMENT])),
          DIAGRAM_ENVIRONMENT,
        ),
      ),
      `Drawn by Graphviz from the synthesized ${DIAGRAM_ENVIRONMENT} stacks: npm run docs:diagram`,
    ),
  );
}

async function main(): Promise<void> {
  const svg = await diagramSvg();
  if (process.argv.includes("--check")) {
    if (readFileSync(DIAGRAM_FILE, "utf8") !== svg) {
      process.stderr.write(
        "images/architecture.svg no longer matches the synthesized stacks; run `npm run docs:diagram` and commit it\n",
      );
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(DIAGRAM_FILE, svg);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`diagram: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
