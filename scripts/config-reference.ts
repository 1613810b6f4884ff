// Writes docs/configuration.md from the config schema: `npm run docs:config`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigReference } from "../config/reference";

writeFileSync(join(__dirname, "..", "docs", "configuration.md"), renderConfigReference());
