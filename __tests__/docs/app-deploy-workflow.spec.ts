import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildTestStacks, configWith, listOf, synthJson } from "../helpers";

const workflow = readFileSync(
  join(__dirname, "../../docs/delivery/app-deploy-workflow.yml"),
  "utf8",
);

describe("the app repository's sample deploy workflow", () => {
  it("reads exactly the variables the delivery-github stack sets in its environment", () => {
    const config = configWith(
      (c) => ({ ...c, delivery: { ...c.delivery, enabled: true } }),
      "prod",
    );
    const { deliveryGithub } = buildTestStacks(config);
    const set = listOf(synthJson(deliveryGithub!), "github_actions_environment_variable")
      .map((v) => String(v.variable_name))
      .sort();
    const read = [...new Set([...workflow.matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1]))];
    expect(read.sort()).toEqual(set);
  });

  it("signs in with its OIDC token in the environment the deploy role trusts, holding no secret", () => {
    expect(workflow).toMatch(/^\s+id-token: write/m);
    expect(workflow).toMatch(/^\s+environment:\n\s+name: \$\{\{ inputs\.environment \}\}/m);
    expect(workflow).toContain("role-to-assume: ${{ vars.AWS_ROLE_ARN }}");
    expect(workflow).not.toMatch(/secrets\./);
  });
});

describe("the sample workflow's release order", () => {
  const steps = [...workflow.matchAll(/^ {6}- name: (.+)$/gm)].map((m) => m[1]);
  const script = (name: string) => {
    const start = workflow.indexOf(`cat >"$RUNNER_TEMP/${name}" <<'SCRIPT'`);
    return workflow.slice(start, workflow.indexOf("SCRIPT\n", start + 40));
  };

  it("migrates once, after registering and before either region rolls out", () => {
    expect(steps).toEqual([
      "Check the image reference",
      "Write the release scripts",
      "Register the release's revisions",
      "Migrate the database",
      "Roll out in region A",
      "Check region A answers",
      "Roll out in region B",
    ]);
    expect(workflow.match(/migrate\.sh" "\$/g)).toHaveLength(2); // one branch runs: A or B
  });

  it("runs the migration command as a one-off task, fails unless it exited 0 and shows its log", () => {
    const migrate = script("migrate.sh");
    expect(migrate).toContain("aws ecs run-task");
    expect(migrate).toContain('--argjson cmd "$MIGRATION_COMMAND"');
    expect(migrate).toContain("aws logs get-log-events");
    expect(migrate).toMatch(/if \[ "\$code" != 0 \]; then\n.*\n\s+exit 1/);
    expect(migrate).not.toContain("update-service");
  });

  it("moves a service only in the roll-out script, and fails when ECS rolled it back", () => {
    expect(workflow.match(/update-service/g)).toHaveLength(1);
    expect(script("roll-out.sh")).toContain("update-service");
    expect(script("roll-out.sh")).toMatch(/rolled back to/);
  });
});
