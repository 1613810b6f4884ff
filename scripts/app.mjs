#!/usr/bin/env node
// The app command in cdktf.json. Bundles main.ts, the project's sources and the provider classes
// they import with esbuild, then runs the bundle: transpiling TypeScript at run time (tsx) and its
// source maps took about half of the app's time, and resolving a hundred provider modules one by
// one another tenth. cdktf and constructs stay plain requires: one instance, shared with
// everything else that loads them.
// The bundle stays in .gen/ under a hash of the contents of the sources it was built from, and is
// rebuilt when any of them changes: hashing them takes milliseconds, a build about a hundred.
// Files are written under a temporary name and renamed, so that parallel synths (tests, CI) never
// read a half-written one.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pruneBundles, writeAtomically } from "./bundle-cache.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const gen = join(root, ".gen");
const index = join(gen, "app.json");
const options = {
  absWorkingDir: root,
  entryPoints: ["main.ts"],
  bundle: true,
  // esbuild too: constructs/auto-promoter-code.ts runs it, and its binary cannot be bundled.
  external: ["cdktf", "constructs", "esbuild"],
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: false,
};

/** The bundle's name for these sources (paths relative to the project); null if one is gone. */
function bundleFor(inputs) {
  const hash = createHash("sha256").update(JSON.stringify(options));
  try {
    // esbuild's own version too: another release may bundle the same sources differently.
    for (const file of [...inputs, "node_modules/esbuild/package.json"]) {
      hash.update(file).update(readFileSync(join(root, file)));
    }
  } catch {
    return null;
  }
  return join(gen, `app-${hash.digest("hex").slice(0, 16)}.js`);
}

/** Where editors point for an esbuild message: file, line, column counted from 1. */
const at = (location) =>
  location ? `${location.file}:${location.line}:${location.column + 1}: ` : "";

async function build() {
  // Loaded only to build: a run that finds its bundle does without.
  const { buildSync } = await import("esbuild");
  let result;
  try {
    // Errors and warnings are reported below, once, in the project's own words.
    result = buildSync({ ...options, metafile: true, write: false, logLevel: "silent" });
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
  for (const w of result.warnings)
    process.stderr.write(`app: warning: ${at(w.location)}${w.text}\n`);
  const inputs = Object.keys(result.metafile.inputs).sort();
  const bundle = bundleFor(inputs);
  mkdirSync(gen, { recursive: true });
  writeAtomically(bundle, result.outputFiles[0].contents);
  writeAtomically(index, JSON.stringify({ inputs }));
  pruneBundles(gen, /^app-\w+\.js/, bundle);
  return bundle;
}

function cached() {
  if (!existsSync(index)) return null;
  const bundle = bundleFor(JSON.parse(readFileSync(index, "utf8")).inputs);
  return bundle && existsSync(bundle) ? bundle : null;
}

createRequire(import.meta.url)(cached() ?? (await build()));
