// Writes docs/configuration.md from the config schema: `npm run docs:config`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigReference } from "../docs-gen/configuration-reference";

writeFileSync(join(__dirname, "..", "docs", "configuration.md"), renderConfigReference());
