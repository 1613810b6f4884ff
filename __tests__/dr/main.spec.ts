import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type MainDeps, main } from "../../dr/main";
import type { Terminal } from "../../dr/promote/confirm";
import { contextFor } from "../../dr/context";
import { loadConfig } from "../../config";
import { PROMOTE_STEPS } from "../../dr/promote/steps";
import { FakeClock, FakeRegionA, FakeRegionB } from "./fake-region";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** main() against one in-memory region B; `regions` lists every region a client was made for. */
function setup(terminal: Terminal = { isTTY: false, ask: async () => "" }, environment = "prod") {
  const clock = new FakeClock();
  const aws = new FakeRegionB(contextFor(loadConfig(environment)), clock);
  const regions: string[] = [];
  const regionA = (region: string) => new FakeRegionA(region);
  const out = { lines: [] as string[], warnings: [] as string[], errors: [] as string[] };
  const projectDir = mkdtempSync(path.join(tmpdir(), "dr-main-"));
  made.push(projectDir);
  const deps: MainDeps = {
    env: {},
    out: {
      line: (t) => out.lines.push(t),
      warn: (t) => out.warnings.push(t),
      error: (t) => out.errors.push(t),
    },
    terminal,
    projectDir,
    regionB: (region) => {
      regions.push(region);
      return aws;
    },
    regionA: (region) => regionA(region),
    clock,
    // Region A does not answer.
    statusOf: async () => {
      throw new Error("connect ETIMEDOUT");
    },
  };
  const auditPath = path.join(projectDir, "state", environment, "dr-audit.log");
  return { aws, deps, out, regions, auditPath, run: (...argv: string[]) => main(argv, deps) };
}

const fast = ["--env", "prod", "--poll-seconds", "1"];

describe("npm run dr -- promote", () => {
  it("refuses without --yes when there is no terminal, and changes nothing", async () => {
    const s = setup();
    expect(await s.run("promote", ...fast)).toBe(1);
    expect(s.out.errors.join("\n")).toContain("there is no terminal to confirm on; pass --yes");
    expect(s.aws.changes).toEqual([]);
    expect(existsSync(s.auditPath)).toBe(false);
  });

  it("asks on a terminal and refuses when the typed name is not the environment's", async () => {
    const asked: string[] = [];
    const s = setup({ isTTY: true, ask: async (q) => (asked.push(q), "dev") });
    expect(await s.run("promote", ...fast)).toBe(1);
    expect(asked[0]).toContain("Type the environment name (prod)");
    expect(s.out.errors.join("\n")).toContain('not confirmed: typed "dev", not "prod"');
    expect(s.aws.changes).toEqual([]);
  });

  it("goes on when the environment's name is typed, calling region B only", async () => {
    const s = setup({ isTTY: true, ask: async () => "prod\n" });
    expect(await s.run("promote", ...fast)).toBe(0);
    expect(s.regions).toEqual(["us-west-2"]);
    expect(s.aws.db?.source).toBeUndefined();
    expect(s.out.lines.join("\n")).toContain("Timeline:");
    expect(s.out.lines.at(-1)).toContain("set failover.promoted: true");
  });

  it("audits every step's start and end, locally and in CloudWatch Logs, without the password", async () => {
    const s = setup();
    expect(await s.run("promote", "--yes", ...fast)).toBe(0);
    const records = readFileSync(s.auditPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(2 * PROMOTE_STEPS.length);
    expect(records[0]).toMatchObject({
      environment: "prod",
      step: "confirm-primary-down",
      event: "start",
    });
    expect(records.at(-1)).toMatchObject({ step: "make-multi-az", event: "end", outcome: "done" });
    expect(s.aws.logEvents).toEqual(readFileSync(s.auditPath, "utf8").trim().split("\n"));
    expect(readFileSync(s.auditPath, "utf8")).not.toContain("p-4ss_w0rd");
    expect(s.out.lines.join("\n")).not.toContain("p-4ss_w0rd");
  });

  it("warns and keeps the local trail when CloudWatch Logs refuses", async () => {
    const s = setup();
    s.aws.logsFail = true;
    expect(await s.run("promote", "--yes", ...fast)).toBe(0);
    expect(s.out.warnings).toHaveLength(1);
    expect(s.out.warnings[0]).toContain("/dr/hello-you-prod-usw2-recovery");
    expect(readFileSync(s.auditPath, "utf8").trim().split("\n")).toHaveLength(
      2 * PROMOTE_STEPS.length,
    );
  });

  it("dry run needs no confirmation, changes nothing and writes no audit", async () => {
    const s = setup();
    expect(await s.run("promote", "--dry-run", ...fast)).toBe(0);
    expect(s.aws.changes).toEqual([]);
    expect(s.aws.logEvents).toEqual([]);
    expect(existsSync(s.auditPath)).toBe(false);
    expect(s.out.lines.at(-1)).toBe("Nothing changed. To do it: npm run dr -- promote --env prod");
  });

  it("says how to resume when a step fails", async () => {
    const s = setup();
    s.aws.failNext.set("putSecretValue", new Error("throttled"));
    expect(await s.run("promote", "--yes", ...fast)).toBe(1);
    expect(s.out.errors.join("\n")).toContain("stopped at repoint-secret: throttled");
    expect(s.out.errors.join("\n")).toContain("re-run npm run dr -- promote --env prod");
    expect(await s.run("promote", "--yes", ...fast)).toBe(0);
  });
});

describe("npm run dr -- status", () => {
  it("exits 0 when region B is ready and 1 once it was promoted", async () => {
    const s = setup();
    expect(await s.run("status", "--env", "prod")).toBe(0);
    expect(s.out.lines.at(-1)).toContain("READY");
    await s.run("promote", "--yes", ...fast);
    s.out.lines.length = 0;
    expect(await s.run("status", "--env", "prod")).toBe(1);
    expect(s.out.lines.at(-1)).toMatch(/^NOT READY: .*replica.*fence/);
  });
});

describe("npm run dr -- failback", () => {
  it("refuses without --plan", async () => {
    const s = setup();
    expect(await s.run("failback", "--env", "prod")).toBe(1);
    expect(s.out.errors[0]).toContain(
      "only --plan is supported: failback needs a maintenance window and region A rebuilt",
    );
  });

  it("prints the plan without calling AWS", async () => {
    const s = setup();
    expect(await s.run("failback", "--plan", "--env", "prod")).toBe(0);
    expect(s.regions).toEqual([]);
    expect(s.out.lines[0]).toContain("Failback of hello-you prod");
  });
});

describe("command line", () => {
  it("exits 2 with the usage on a mistake", async () => {
    const s = setup();
    expect(await s.run("promote", "--env")).toBe(2);
    expect(s.out.errors[0]).toMatch(/^--env needs a value\n\nUsage:/);
  });

  it("exits 2 naming the problem of an unknown environment", async () => {
    const s = setup();
    expect(await s.run("status", "--env", "staging")).toBe(2);
    expect(s.out.errors[0]).toContain('DEPLOY_ENV: unknown environment "staging"');
  });

  it("runs with a TF_STATE_BUCKET in the shell that a deploy would refuse", async () => {
    const s = setup();
    const deps = { ...s.deps, env: { TF_STATE_BUCKET: "Bad_Bucket!", IMAGE_TAG: "not a tag" } };
    expect(await main(["status", "--env", "prod"], deps)).toBe(0);
    expect(s.out.errors).toEqual([]);
    expect(s.out.lines.at(-1)).toContain("READY");
  });

  it("takes the environment from DEPLOY_ENV when --env is absent", async () => {
    const s = setup();
    const deps = { ...s.deps, env: { DEPLOY_ENV: "prod" } };
    expect(await main(["failback", "--plan"], deps)).toBe(0);
    expect(s.out.lines[0]).toContain("hello-you prod");
  });
});
