/**
 * The automatic promotion's code, built at synth time: dr/auto/lambda.ts and what it imports (the
 * promote steps of `npm run dr`, the config and the AWS SDK clients) bundled by esbuild into one
 * file, with the stack's validated settings beside it as context.json. Built once per process into
 * .gen/ (ignored by git, never committed), then one folder per distinct settings, named by their
 * hash, so that parallel synths never write into a folder another is reading.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { buildSync as BuildSync } from "esbuild";

/** The entry, relative to the project. */
export const AUTO_PROMOTER_ENTRY = path.join("dr", "auto", "lambda.ts");
/** The settings file the entry reads beside itself (dr/auto/lambda.ts CONTEXT_FILE). */
export const AUTO_PROMOTER_CONTEXT_FILE = "context.json";

/** The project's root: the folder above this file (or above .gen/, for the app's bundle). */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, AUTO_PROMOTER_ENTRY))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`AutoPromoter: ${AUTO_PROMOTER_ENTRY} not found above ${__dirname}`);
    }
  }
}

let bundled: Buffer | undefined;

/** The bundle's bytes, built on first use in this process. */
function bundle(root: string): Buffer {
  if (bundled) return bundled;
  // Loaded only when a stack has the function: most synths never need esbuild.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require("esbuild") as { buildSync: typeof BuildSync };
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [AUTO_PROMOTER_ENTRY],
    bundle: true,
    platform: "node",
    // The function's runtime (nodejs22.x).
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  bundled = Buffer.from(result.outputFiles[0].contents);
  return bundled;
}

/** Writes `contents` to `file` through a temporary name, so no reader sees half of it. */
function writeAtomically(file: string, contents: string | Buffer): void {
  writeFileSync(`${file}.${process.pid}`, contents);
  renameSync(`${file}.${process.pid}`, file);
}

/**
 * The folder to archive for the function: index.js (the bundle) and context.json (`settings`,
 * already JSON). Same bundle and settings, same folder and same archive hash: a synth that
 * changed neither plans no change to the function.
 */
export function autoPromoterCode(settings: string): string {
  const root = projectRoot();
  const code = bundle(root);
  const hash = createHash("sha256").update(code).update(settings).digest("hex").slice(0, 16);
  const dir = path.join(root, ".gen", "auto-promoter", hash);
  const index = path.join(dir, "index.js");
  if (
    existsSync(index) &&
    readFileSync(path.join(dir, AUTO_PROMOTER_CONTEXT_FILE), "utf8") === settings
  ) {
    return dir;
  }
  mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, AUTO_PROMOTER_CONTEXT_FILE), settings);
  writeAtomically(index, code);
  return dir;
}
