import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_SOURCES } from "./helpers";

const ROOT = join(__dirname, "..");
const APP_FILES = [...APP_SOURCES, "scripts", "package.json", "tsconfig.json"];

/** Runs the app command as `cdktf synth` does, with `env` added (undefined removes a variable). */
function runApp(env: Record<string, string | undefined>) {
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  const merged: Record<string, string | undefined> = {
    ...process.env,
    CDKTF_OUTDIR: outdir,
    ...env,
  };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  // cdktf.json's app command (scripts/app.mjs), so these checks cover what `cdktf synth` runs.
  const { app } = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string };
  const result = spawnSync(app, { cwd: ROOT, shell: true, env: merged, encoding: "utf8" });
  return { ...result, outdir };
}

describe("main.ts", () => {
  it("synthesizes primary, failover and link for the default environment", () => {
    const { status, outdir, stderr } = runApp({ DEPLOY_ENV: undefined, IMAGE_TAG: undefined });
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(existsSync(join(outdir, "stacks/primary/cdk.tf.json"))).toBe(true);
    expect(existsSync(join(outdir, "stacks/failover/cdk.tf.json"))).toBe(true);
    expect(existsSync(join(outdir, "stacks/link/cdk.tf.json"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["failover", "link", "primary"]);
  });

  it("fails before building anything when config is bad, listing every problem", () => {
    const { status, stderr, outdir } = runApp({ DEPLOY_ENV: "dev", IMAGE_TAG: "bad tag!" });
    expect(status).toBe(1);
    expect(stderr).toMatch(/Invalid configuration for environment "dev" \(1 problem\):/);
    expect(stderr).toMatch(/- IMAGE_TAG: "bad tag!" must be an image tag/);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
  });

  it("fails on an unknown or blank environment", () => {
    expect(runApp({ DEPLOY_ENV: "qa" }).stderr).toMatch(/DEPLOY_ENV: unknown environment "qa"/);
    const blank = runApp({ DEPLOY_ENV: " " });
    expect(blank.status).toBe(1);
    expect(blank.stderr).toMatch(/DEPLOY_ENV: is set but empty/);
  });

  it("lists config and backend problems in one message, without a stack trace", () => {
    const { status, stderr } = runApp({
      DEPLOY_ENV: "prod",
      IMAGE_TAG: "-x",
      TF_CLOUD_ORGANIZATION: "acme corp",
      TF_STATE_BUCKET: undefined,
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Invalid configuration for environment "prod" \(2 problems\):\n/);
    expect(stderr).toMatch(/- IMAGE_TAG: "-x"/);
    expect(stderr).toMatch(
      /- TF_CLOUD_ORGANIZATION: "acme corp" is not an HCP Terraform organization name/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a syntax error in an environment file once, with file and line, and no stack", () => {
    const copy = mkdtempSync(join(tmpdir(), "app-"));
    try {
      // The sources and the app command's scripts; nothing large a tool may have left there.
      const small = (path: string) =>
        !/(node_modules|\.venv|\.gen)$/.test(path) && statSync(path).size < 1_000_000;
      for (const entry of APP_FILES) {
        cpSync(join(ROOT, entry), join(copy, entry), { recursive: true, filter: small });
      }
      symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
      const file = join(copy, "config/environments/dev.ts");
      const lines = readFileSync(file, "utf8").split("\n");
      const broken = lines.findIndex((l) => l.includes("allowHttpOnly")) + 1;
      lines.splice(broken, 0, "  region us-east-1,");
      writeFileSync(file, lines.join("\n"));

      // The command `cdktf synth` runs, so the check follows cdktf.json if it changes.
      const { app } = JSON.parse(readFileSync(join(copy, "cdktf.json"), "utf8")) as { app: string };
      const outdir = mkdtempSync(join(tmpdir(), "synth-"));
      const result = spawnSync(app, {
        cwd: copy,
        shell: true,
        env: { ...process.env, CDKTF_OUTDIR: outdir, DEPLOY_ENV: "dev" },
        encoding: "utf8",
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^Invalid configuration \\(1 problem\\):\\n  - config/environments/dev\\.ts:${broken + 1}:\\d+: syntax error: .+; correct the file and synthesize again\\n$`,
        ),
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
