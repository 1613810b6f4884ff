// What the app command (app.mjs) and the synth summary (summary.mjs) share about the esbuild
// bundles they keep in .gen/: written through a temporary name, so parallel runs never read half
// a file, and old ones removed after an hour's grace (a parallel run may be loading one).
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes `contents` to `file` through a temporary file and a rename. */
export function writeAtomically(file, contents) {
  writeFileSync(`${file}.${process.pid}`, contents);
  renameSync(`${file}.${process.pid}`, file);
}

/** Removes the bundles in `dir` named like `pattern`, but `current`, that are over an hour old. */
export function pruneBundles(dir, pattern, current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!pattern.test(name) || file === current) continue;
    // Another run may remove or rename it meanwhile.
    const mtime = statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (mtime < hourAgo) rmSync(file, { force: true });
  }
}
