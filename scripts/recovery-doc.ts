// Writes docs/disaster-recovery.md from the config: `npm run docs:dr`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderDisasterRecovery } from "../docs-gen/disaster-recovery";

writeFileSync(join(__dirname, "..", "docs", "disaster-recovery.md"), renderDisasterRecovery());
