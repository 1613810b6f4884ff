import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs the app command as `cdktf synth` does, with `env` added. */
function runApp(env: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  const result = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], {
    cwd: join(__dirname, ".."),
    env: { ...process.env, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
  });
  return { ...result, outdir };
}

describe("main.ts", () => {
  it("synthesizes primary and failover for the default environment", () => {
    const { status, outdir, stderr } = runApp({ DEPLOY_ENV: "" });
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(existsSync(join(outdir, "stacks/primary/cdk.tf.json"))).toBe(true);
    expect(existsSync(join(outdir, "stacks/failover/cdk.tf.json"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["failover", "primary"]);
  });

  it("fails before building anything when config is bad, listing every problem", () => {
    const { status, stderr, outdir } = runApp({ DEPLOY_ENV: "dev", IMAGE_TAG: "bad tag!" });
    expect(status).toBe(1);
    expect(stderr).toMatch(/Invalid configuration for environment "dev" \(1 problem\):/);
    expect(stderr).toMatch(/- service.imageTag: must be a valid image tag/);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
  });

  it("fails on an unknown environment", () => {
    const { status, stderr } = runApp({ DEPLOY_ENV: "qa" });
    expect(status).toBe(1);
    expect(stderr).toMatch(/DEPLOY_ENV: unknown environment "qa"/);
  });
});
