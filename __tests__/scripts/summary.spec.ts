import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { BackendChoice } from "../../config/backend";
import { buildStacks } from "../../stacks";
import { configWith } from "../helpers";

const ROOT = join(__dirname, "..", "..");

/** Synthesizes `environment` to disk as `cdktf synth` does, then runs the summary over it. */
function summary(environment: string, backend: BackendChoice, env: Record<string, string> = {}) {
  const app = Testing.app();
  const config = configWith((c) => c, environment);
  buildStacks(app, config, backend);
  app.synth();
  const result = spawnSync(process.execPath, ["scripts/summary.mjs", app.outdir], {
    cwd: ROOT,
    env: { ...process.env, DEPLOY_ENV: environment, IMAGE_TAG: undefined, ...env },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return { text: result.stdout, config };
}

/** The lines of one stack's block. */
const block = (text: string, stack: string) =>
  text.split(/\n(?=Stack |\n)/).find((b) => b.startsWith(`Stack ${stack}:`)) ?? "";

describe("synth summary", () => {
  const prod = summary("prod", { kind: "s3", bucket: "acme-tf-state" });
  const dev = summary("dev", { kind: "local" });

  it("shows where each stack's state goes", () => {
    expect(block(prod.text, "primary")).toMatch(
      /^ {2}state {5}S3 s3:\/\/acme-tf-state\/hello-you\/prod\/primary\.tfstate \(us-east-1, encrypted, locked with S3 lock file\)$/m,
    );
    expect(block(dev.text, "failover")).toMatch(
      /^ {2}state {5}local file state\/dev\/failover\.tfstate$/m,
    );
  });

  it("shows regions, image, CIDRs and sizes per stack", () => {
    const primary = block(prod.text, "primary");
    expect(primary).toMatch(/^ {2}regions {3}us-east-1$/m);
    expect(primary).toMatch(/^ {2}image {5}ghcr\.io\/diogo-pessoa\/hello-you-api:latest$/m);
    expect(primary).toMatch(/^ {2}network {3}VPC 10\.10\.0\.0\/16, 3 NAT gateway\(s\)$/m);
    expect(primary).toMatch(
      /^ {12}data {3}10\.10\.128\.0\/20 10\.10\.144\.0\/20 10\.10\.160\.0\/20$/m,
    );
    expect(primary).toMatch(
      /^ {2}tasks {5}512 CPU units, 1024 MiB, X86_64; 2 task\(s\) at creation, autoscaled 2-6, apply waits for a steady service$/m,
    );
    expect(primary).toMatch(
      /^ {2}database {2}writer db\.t4g\.small, PostgreSQL 16, 20-200 GiB, Multi-AZ$/m,
    );
    const failover = block(prod.text, "failover");
    expect(failover).toMatch(/^ {2}regions {3}us-west-2, us-east-1 \(primary\), us-east-1/m);
    expect(failover).toMatch(/^ {2}network {3}VPC 10\.20\.0\.0\/16, 1 NAT gateway\(s\)$/m);
  });

  it("prints each warning once, under its stack", () => {
    for (const [text, stack, warning] of [
      [dev.text, "primary", "alarms.emails is empty"],
      [dev.text, "failover", "failover.standbyTasks is 0"],
    ]) {
      expect(text.split(warning)).toHaveLength(2);
      expect(block(text, stack)).toContain(`WARNING   ${warning}`);
    }
    expect(dev.text).toMatch(/\n2 stack\(s\), 5 warning\(s\)\./);
  });

  it("hints at the review command with the DEPLOY_ENV (and IMAGE_TAG) the synth used", () => {
    expect(prod.text).toMatch(/Review with `DEPLOY_ENV=prod npx cdktf diff primary failover`\.\n$/);
    const tagged = summary("dev", { kind: "local" }, { IMAGE_TAG: "sha-1a2b3c4" });
    expect(tagged.text).toMatch(/Review with `DEPLOY_ENV=dev IMAGE_TAG=sha-1a2b3c4 npx cdktf diff/);
  });

  it("says so when the output was synthesized for another environment", () => {
    const app = Testing.app();
    buildStacks(app, configWith(), { kind: "local" });
    app.synth();
    const { stdout } = spawnSync(process.execPath, ["scripts/summary.mjs", app.outdir], {
      cwd: ROOT,
      env: { ...process.env, DEPLOY_ENV: "prod" },
      encoding: "utf8",
    });
    expect(stdout).toMatch(/^NOTE: .* was synthesized for environment dev, not prod$/m);
  });
});
