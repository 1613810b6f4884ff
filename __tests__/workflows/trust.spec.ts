import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The delivery trust boundaries that live in workflow files: what a pull request's workflow can
 * reach, where the apply credential lives, which refs deploy, and how actions are pinned.
 * Line-based on purpose (no YAML parser among the dependencies): the files keep one key per line.
 */
const ROOT = join(__dirname, "../..");
const WORKFLOWS = join(ROOT, ".github/workflows");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const workflows: Record<string, string> = Object.fromEntries(
  readdirSync(WORKFLOWS)
    .filter((f) => f.endsWith(".yml"))
    .map((f) => [`.github/workflows/${f}`, read(`.github/workflows/${f}`)]),
);
const APP_SAMPLE = "docs/delivery/app-deploy-workflow.yml";
const everyWorkflow: Record<string, string> = { ...workflows, [APP_SAMPLE]: read(APP_SAMPLE) };

/** `uses:` of a published action: owner/repo[/path]@<40-hex commit> # v<tag>. */
const PINNED = /^\s*(?:- )?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/;

describe("workflow trust boundaries", () => {
  it.each(Object.keys(everyWorkflow))("%s pins every action by commit, with its tag", (file) => {
    const uses = everyWorkflow[file]
      .split("\n")
      .filter((l) => /^\s*(- )?uses: /.test(l) && !l.includes("uses: ./"));
    expect(uses.filter((l) => !PINNED.test(l))).toEqual([]);
  });

  it("passes no secret on wholesale", () => {
    for (const [file, text] of Object.entries(everyWorkflow)) {
      expect([file, /^\s*secrets:\s*inherit/m.test(text)]).toEqual([file, false]);
    }
  });

  it("gives pull requests the plan-only token and no environment", () => {
    const plan = workflows[".github/workflows/plan.yml"];
    expect(plan).toMatch(/^ {2}pull_request:/m);
    // A job-level environment (four spaces in); the matrix entry of that name is not one.
    expect(plan).not.toMatch(/^ {4}environment:/m);
    expect([...plan.matchAll(/secrets\.(\w+)/g)].map((m) => m[1])).toEqual(["TF_PLAN_TOKEN"]);
    expect(plan).toContain("role-to-assume: ${{ vars.AWS_PLAN_ROLE_ARN }}");
  });

  it("reads the apply token and the deploy role only in a job of a protected environment, on main", () => {
    const holders = Object.entries(workflows).filter(([, t]) =>
      /TF_APPLY_TOKEN|AWS_DEPLOY_ROLE_ARN/.test(t),
    );
    expect(holders.map(([f]) => f)).toEqual([".github/workflows/deploy-environment.yml"]);
    const [, text] = holders[0];
    expect(text).toMatch(/^on:\n {2}workflow_call:/m);
    expect(text).toMatch(
      /^ {2}deploy:\n {4}#.*\n {4}if: github\.ref == 'refs\/heads\/main'\n(?: {4}#.*\n)* {4}environment: \$\{\{ inputs\.environment \}\}/m,
    );
    // The caller declares no secret: the token is the environment's own.
    expect(text).not.toMatch(/^ {4}secrets:/m);
  });

  it("deploys only from main, even when dispatched by hand", () => {
    const deploy = workflows[".github/workflows/deploy.yml"];
    const jobs = deploy
      .split(/^jobs:\n/m)[1]
      .split(/^ {2}(?=\w)/m)
      .filter(Boolean);
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(job).toMatch(/github\.ref == 'refs\/heads\/main'/);
    expect(everyWorkflow[APP_SAMPLE]).toMatch(/^ {4}if: github\.ref == 'refs\/heads\/main'$/m);
  });

  it("keeps the pins current with Dependabot", () => {
    const dependabot = read(".github/dependabot.yml");
    expect(dependabot).toMatch(/package-ecosystem: github-actions\n\s+directory: \//);
  });
});
