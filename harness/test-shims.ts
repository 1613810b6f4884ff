/**
 * `npm run test:shims`: the emulator shims' own tests (harness/emulator/shims/test_shims.py),
 * each showing a shim failing where AWS would, in moto's virtualenv (installed on first use).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureMoto } from "./emulator/moto";
import { log } from "./emulator/run";

const python = ensureMoto(log);
const result = spawnSync(python, ["-m", "unittest", "-v", "shims.test_shims"], {
  cwd: join(__dirname, "emulator"),
  stdio: "inherit",
});
process.exit(result.status ?? 1);
