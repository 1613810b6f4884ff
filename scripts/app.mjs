#!/usr/bin/env node
// The app command in cdktf.json. Bundles main.ts and the project's sources with esbuild (tens of
// milliseconds), leaving node_modules as plain requires, then runs the bundle: transpiling
// TypeScript at run time (tsx) and its source maps took about half of the app's time.
// Each run writes its own bundle, so that parallel synths (tests, CI) never read another's
// half-written file; it is removed when the process exits.
import { buildSync } from "esbuild";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, ".gen", `app-${process.pid}.js`);

/** Where an esbuild message points, as editors count: file, line, column from 1. */
const at = (location) =>
  location ? `${location.file}:${location.line}:${location.column + 1}: ` : "";

let result;
try {
  result = buildSync({
    absWorkingDir: root,
    entryPoints: ["main.ts"],
    outfile: bundle,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: false,
    // Reported below, once, in the project's own words.
    logLevel: "silent",
  });
} catch (error) {
  if (!error.errors?.length) throw error;
  // Worded as main.ts words a syntax error in a file it loads (config/load-error.ts).
  const lines = error.errors.map(
    (e) => `${at(e.location)}syntax error: ${e.text}; correct the file and synthesize again`,
  );
  const count = `${lines.length} problem${lines.length === 1 ? "" : "s"}`;
  process.stderr.write(
    `Invalid configuration (${count}):\n${lines.map((l) => `  - ${l}\n`).join("")}`,
  );
  process.exit(1);
}
for (const w of result.warnings) process.stderr.write(`app: warning: ${at(w.location)}${w.text}\n`);

process.on("exit", () => rmSync(bundle, { force: true }));
createRequire(import.meta.url)(bundle);
