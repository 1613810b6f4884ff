import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

describe("npm run synth (scripts/synth.mjs)", () => {
  // Runs the real cdktf CLI once; what it prints is what a reviewer and CI read.
  const outdir = join(mkdtempSync(join(tmpdir(), "synth-spec-")), "out");
  const env: NodeJS.ProcessEnv = { ...process.env, DEPLOY_ENV: "dev" };
  // Only what the project controls: no Terraform CLI configuration of this machine, no CI flags.
  delete env.IMAGE_TAG;
  delete env.TF_CLI_CONFIG_FILE;
  delete env.CI;
  delete env.CHECKPOINT_DISABLE;
  const result = spawnSync(process.execPath, ["scripts/synth.mjs", "--output", outdir], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  const output = `${result.stdout}${result.stderr}`;

  it("synthesizes every stack and prints the summary", () => {
    expect(result.status).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["failover", "link", "primary"]);
    expect(result.stdout).toMatch(/^Stack primary: \d+ resources$/m);
    expect(result.stdout).toMatch(
      /Review with `for stack in primary failover link; do DEPLOY_ENV=dev npx cdktf diff "\$stack"; done`/,
    );
  });

  it("prints each warning once", () => {
    for (const warning of ['service.imageTag is "latest"', "failover.standbyTasks is 0"]) {
      expect([warning, output.split(warning).length - 1]).toEqual([warning, 1]);
    }
  });

  it("may skip cdktf's library-against-CLI version check: package.json pins both alike", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.dependencies.cdktf).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies["cdktf-cli"]).toBe(pkg.dependencies.cdktf);
  });

  it("prints no spinner control codes and no version-check errors", () => {
    // eslint-disable-next-line no-control-regex
    expect(output).not.toMatch(/\u001b\[(2K|1A|G)/);
    expect(output).not.toMatch(/checkpoint/i);
  });
});
