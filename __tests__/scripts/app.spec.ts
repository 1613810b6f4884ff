import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_SOURCES } from "../helpers";

const ROOT = join(__dirname, "..", "..");
const SOURCES = [...APP_SOURCES, "scripts"];

/** Runs the app command of cdktf.json in `cwd` as `cdktf synth` does. */
function runApp(cwd: string, env: Record<string, string>) {
  const { app } = JSON.parse(readFileSync(join(cwd, "cdktf.json"), "utf8")) as { app: string };
  const outdir = mkdtempSync(join(tmpdir(), "app-spec-out-"));
  const merged: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, ...env };
  delete merged.IMAGE_TAG;
  const result = spawnSync(app, { cwd, shell: true, env: merged, encoding: "utf8" });
  return { ...result, outdir };
}

describe("the app command (scripts/app.mjs)", () => {
  it("runs without a TypeScript loader (synth.spec runs it through cdktf in full)", () => {
    const { app } = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string };
    expect(app).toMatch(/^node scripts\/app\.mjs$/);
  });

  it("reuses its bundle while the sources are unchanged and rebuilds when one changes", () => {
    const copy = mkdtempSync(join(tmpdir(), "app-spec-"));
    try {
      for (const entry of SOURCES)
        cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
      const bundles = () =>
        readdirSync(join(copy, ".gen"))
          .filter((f) => /^app-\w+\.js$/.test(f))
          .sort();
      // An unknown environment stops the app right after it has loaded: enough to see the bundle.
      const quick = () => {
        const { status, stderr } = runApp(copy, { DEPLOY_ENV: "none" });
        expect([status, stderr]).toEqual([1, expect.stringContaining("unknown environment")]);
      };

      quick();
      const [first] = bundles();
      expect(bundles()).toEqual([first]);
      const built = statSync(join(copy, ".gen", first)).mtimeMs;

      quick();
      expect(bundles()).toEqual([first]);
      expect(statSync(join(copy, ".gen", first)).mtimeMs).toBe(built);

      appendFileSync(join(copy, "constructs", "common.ts"), "\n// changed\n");
      quick();
      expect(bundles()).toHaveLength(2);
      expect(bundles()).toContain(first);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
