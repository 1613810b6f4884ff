import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { BackendChoice } from "../../config/backend";
import { buildStacks } from "../../stacks";
import { configWith } from "../helpers";

const ROOT = join(__dirname, "..", "..");

/** Synthesizes `environment` to disk as `cdktf synth` does; returns the output directory. */
function synthesize(environment: string, backend: BackendChoice): string {
  const app = Testing.app();
  buildStacks(
    app,
    configWith((c) => c, environment),
    backend,
  );
  app.synth();
  return app.outdir;
}

/** Runs the summary over `outdir` with `env` as the synth's environment variables. */
function summary(outdir: string, env: Record<string, string>): string {
  const result = spawnSync(process.execPath, ["scripts/summary.mjs", outdir], {
    cwd: ROOT,
    env: { ...process.env, IMAGE_TAG: undefined, ...env },
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

/** The lines of one stack's block. */
const block = (text: string, stack: string) =>
  text.split(/\n(?=Stack |\n)/).find((b) => b.startsWith(`Stack ${stack}:`)) ?? "";

describe("synth summary", () => {
  const prodOut = synthesize("prod", { kind: "s3", bucket: "acme-tf-state" });
  const devOut = synthesize("dev", { kind: "local" });
  const prod = { text: summary(prodOut, { DEPLOY_ENV: "prod" }) };
  const dev = { text: summary(devOut, { DEPLOY_ENV: "dev" }) };

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
    // Region B too: the key that encrypts B's copies of its secrets.
    expect(primary).toMatch(/^ {2}regions {3}us-east-1, us-west-2 \(failover_region\)$/m);
    expect(primary).toMatch(
      /^ {2}image {5}ghcr\.io\/diogo-pessoa\/hello-you-api\/hello-you-api@sha256:[0-9a-f]{64}$/m,
    );
    expect(block(dev.text, "primary")).toMatch(
      /^ {2}image {5}ghcr\.io\/diogo-pessoa\/hello-you-api\/hello-you-api:latest$/m,
    );
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
    expect(failover).toMatch(/^ {2}regions {3}us-west-2$/m);
    expect(failover).toMatch(/^ {2}network {3}VPC 10\.20\.0\.0\/16, NAT instance t4g\.nano$/m);
    const link = block(prod.text, "link");
    expect(link).toMatch(/^Stack link: \d+ resources, deployed after primary, failover$/m);
    expect(link).toMatch(
      /^ {2}regions {3}us-west-2, us-east-1 \(primary\), us-east-1 \(route53_metrics\)$/m,
    );
    expect(link).toMatch(/^ {2}outputs {3}fence_check_id, health_check_id, peering_id$/m);
    expect(link).not.toMatch(/^ {2}(network|tasks|database) /m);
  });

  it("prints each warning once, under its stack", () => {
    for (const [text, stack, warning] of [
      [dev.text, "primary", 'service.imageTag is "latest"'],
      [dev.text, "failover", "failover.standbyTasks is 0"],
    ]) {
      expect(text.split(warning)).toHaveLength(2);
      expect(block(text, stack)).toContain(`WARNING   ${warning}`);
    }
    expect(dev.text).toMatch(/\n3 stack\(s\), 4 warning\(s\)\./);
  });

  it("hints at the review command with the DEPLOY_ENV (and IMAGE_TAG) the synth used", () => {
    expect(prod.text).toMatch(
      /Review with `for stack in primary failover link; do DEPLOY_ENV=prod npx cdktf diff "\$stack"; done`\.\n$/,
    );
    const tagged = summary(devOut, { DEPLOY_ENV: "dev", IMAGE_TAG: "sha-1a2b3c4" });
    expect(tagged).toMatch(
      /Review with `for stack in .+; do DEPLOY_ENV=dev IMAGE_TAG=sha-1a2b3c4 npx cdktf diff/,
    );
  });

  it("shows each stack's monthly cost and the pilot light's share of the primary", () => {
    for (const stack of ["primary", "failover", "link"]) {
      expect(block(prod.text, stack)).toMatch(
        /^ {2}cost {6}\$\d+\.\d\d a month; most: .+ \$\d+\.\d\d/m,
      );
    }
    const [, standby, ratio, primary] =
      /^Pilot light \(failover \+ link\) \$([\d.]+) a month = ([\d.]+)% of primary \$([\d.]+)$/m.exec(
        prod.text,
      ) ?? [];
    expect(Number(ratio)).toBeCloseTo((100 * Number(standby)) / Number(primary), 1);
    expect(prod.text).toMatch(
      /^Cost at AWS list prices as of \d{4}-\d\d-\d\d \(entered by hand in cost\/prices.ts: re-check before budgeting\), .*`npm run cost -- prod`\)$/m,
    );
    expect(prod.text).not.toMatch(/no price/);
  });

  it("says so when the output was synthesized for another environment", () => {
    expect(summary(devOut, { DEPLOY_ENV: "prod" })).toMatch(
      /^NOTE: .* was synthesized for environment dev, not prod$/m,
    );
  });
});
