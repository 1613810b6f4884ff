import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

describe("the app command (scripts/app.mjs)", () => {
  const { app } = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string };

  it("is what cdktf.json runs, with no TypeScript loader at run time", () => {
    expect(app).toBe("node scripts/app.mjs");
  });

  it("synthesizes from a bundle it removes afterwards", () => {
    const outdir = mkdtempSync(join(tmpdir(), "app-spec-"));
    const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: outdir, DEPLOY_ENV: "prod" };
    delete env.IMAGE_TAG;
    const result = spawnSync(process.execPath, ["scripts/app.mjs"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["failover", "primary"]);
    expect(existsSync(join(ROOT, ".gen", `app-${result.pid}.js`))).toBe(false);
  });
});
