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
