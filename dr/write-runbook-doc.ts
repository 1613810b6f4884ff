// Writes docs/disaster-recovery.md from the config: `npm run docs:dr`.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderDisasterRecovery } from "./runbook-doc";

writeFileSync(join(__dirname, "..", "docs", "disaster-recovery.md"), renderDisasterRecovery());
