import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { BackendChoice } from "../../config/backend";
import type { AppConfig, EnvironmentInput } from "../../config/schema";
import { buildStacks } from "../../stacks";
import { buildTestStacks, configWith, listOf, type SynthJson } from "../helpers";

type Delivery = NonNullable<EnvironmentInput["delivery"]>;
const TFC = {
  enabled: true,
  organization: "acme",
  policyArns: ["arn:aws:iam::123456789012:policy/hello-you-terraform"],
};

function deliveryConfig(delivery: Delivery = {}, patch = (c: EnvironmentInput) => c): AppConfig {
  return configWith((c) => patch({ ...c, delivery: { enabled: true, ...delivery } }), "prod");
}

/** Every stack as `cdktf synth` writes it, and the manifest. */
function synth(config: AppConfig) {
  const { app } = buildTestStacks(config);
  app.synth();
  const read = (path: string) => JSON.parse(readFileSync(join(app.outdir, path), "utf8"));
  return {
    read: (stack: string) => read(`stacks/${stack}/cdk.tf.json`) as SynthJson,
    manifest: read("manifest.json") as {
      stacks: Record<string, { dependencies: string[]; annotations: { message: string }[] }>;
    },
  };
}

const variablesOf = (json: SynthJson) =>
  Object.fromEntries(
    listOf(json, "github_actions_environment_variable").map((v) => [v.variable_name, v.value]),
  );

/** Resource and data types of a stack's JSON. */
const typesOf = (json: SynthJson) => [
  ...Object.keys(json.resource ?? {}),
  ...Object.keys(json.data ?? {}),
];

describe("delivery stacks", () => {
  const out = synth(deliveryConfig({ reviewers: { teams: ["platform"] }, terraformCloud: TFC }));
  const delivery = out.read("delivery");
  const github = out.read("delivery-github");

  it("exist only when delivery is on", () => {
    expect(Object.keys(out.manifest.stacks).sort()).toEqual([
      "delivery",
      "delivery-github",
      "failover",
      "link",
      "primary",
    ]);
    const off = synth(configWith((c) => c, "prod"));
    expect(Object.keys(off.manifest.stacks).sort()).toEqual(["failover", "link", "primary"]);
  });

  it("deploy in order: primary and failover, then delivery, then delivery-github", () => {
    expect(out.manifest.stacks.delivery.dependencies.sort()).toEqual(["failover", "primary"]);
    expect(Object.keys(delivery.data!.terraform_remote_state).sort()).toEqual([
      "cross-stack-reference-input-failover",
      "cross-stack-reference-input-primary",
    ]);
    expect(out.manifest.stacks["delivery-github"].dependencies.sort()).toEqual([
      "delivery",
      "failover",
      "primary",
    ]);
    expect(Object.keys(github.data!.terraform_remote_state).sort()).toEqual([
      "cross-stack-reference-input-delivery",
      "cross-stack-reference-input-failover",
      "cross-stack-reference-input-primary",
    ]);
  });

  it("keeps delivery AWS only: no GitHub provider, resource or data source", () => {
    expect(Object.keys(delivery.provider!)).toEqual(["aws"]);
    expect(JSON.stringify(delivery.terraform)).not.toContain("github");
    expect(typesOf(delivery).filter((t) => !t.startsWith("aws_"))).toEqual([
      "terraform_remote_state",
    ]);
  });

  it("keeps delivery-github GitHub only: no AWS provider, resource or data source", () => {
    expect(Object.keys(github.provider!)).toEqual(["github"]);
    expect(JSON.stringify(github.terraform)).not.toContain("aws");
    expect(typesOf(github).filter((t) => !t.startsWith("github_"))).toEqual([
      "terraform_remote_state",
    ]);
  });

  it("signs in to GitHub as the app repository's owner, with nothing secret in the JSON", () => {
    expect(github.provider!.github).toEqual([{ owner: "diogo-pessoa" }]);
    expect(JSON.stringify(github)).not.toMatch(/"token"|app_auth|pem/);
  });

  it("reads the GitHub App's credentials from the environment when configured", () => {
    const app = synth(deliveryConfig({ githubAuth: "app" })).read("delivery-github");
    expect(app.provider!.github).toEqual([{ owner: "diogo-pessoa", app_auth: {} }]);
  });

  it("keeps the addresses the single delivery stack gave its parts", () => {
    expect(Object.keys(delivery.resource!.aws_iam_role).sort()).toEqual([
      "deploy-role_94C806C7",
      "terraform-cloud-roles_role-delivery_B943AC7B",
      "terraform-cloud-roles_role-failover_C55E2A4F",
      "terraform-cloud-roles_role-link_EF6002F2",
      "terraform-cloud-roles_role-primary_7ED000EF",
    ]);
    expect(Object.keys(github.resource!.github_repository_environment)).toEqual([
      "github-environment_E84CD99B",
    ]);
  });

  it("creates the prod environment of the app repository with its reviewers and branch policy", () => {
    expect(listOf(github, "github_repository_environment")).toEqual([
      expect.objectContaining({
        repository: "hello-you-api",
        environment: "prod",
        deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
        reviewers: [{ teams: [expect.stringContaining("data.github_team")], users: [] }],
      }),
    ]);
  });

  it("gives the deploy workflow both regions' names, the role and the health URL", () => {
    const vars = variablesOf(github);
    expect(Object.keys(vars).sort()).toEqual([
      "AWS_REGION",
      "AWS_ROLE_ARN",
      "ECS_CLUSTER",
      "ECS_CONTAINER_NAME",
      "ECS_SERVICE",
      "ECS_TASK_FAMILY",
      "FAILOVER_AWS_REGION",
      "FAILOVER_ECS_CLUSTER",
      "FAILOVER_ECS_SERVICE",
      "FAILOVER_ECS_TASK_FAMILY",
      "HEALTH_URL",
      "IMAGE_REPOSITORY",
      "MIGRATION_COMMAND",
      "MIGRATION_REGION",
    ]);
    expect(vars).toMatchObject({
      MIGRATION_REGION: "us-east-1",
      MIGRATION_COMMAND: '["flask","db","upgrade"]',
      AWS_REGION: "us-east-1",
      FAILOVER_AWS_REGION: "us-west-2",
      IMAGE_REPOSITORY: "ghcr.io/diogo-pessoa/hello-you-api/hello-you-api",
      ECS_CONTAINER_NAME: "hello-you",
      AWS_ROLE_ARN:
        "${data.terraform_remote_state.cross-stack-reference-input-delivery.outputs.cross-stack-output-aws_iam_roledeploy-role_94C806C7arn}",
      ECS_CLUSTER: expect.stringContaining("cross-stack-reference-input-primary"),
      FAILOVER_ECS_TASK_FAMILY: expect.stringContaining("cross-stack-reference-input-failover"),
      HEALTH_URL: "https://api.example.com/health",
    });
  });

  it("lets the deploy role touch exactly both regions' services, families and roles", () => {
    const policy = JSON.parse(String(listOf(delivery, "aws_iam_role_policy")[0].policy));
    const text = JSON.stringify(policy);
    for (const stack of ["primary", "failover"]) {
      for (const output of [
        "aws_ecs_serviceservice_E7C408F2arn",
        "aws_ecs_task_definitionservice_task_93374F48arn_without_revision",
        "aws_iam_roleservice_roles_execution_A3A302E1arn",
        "aws_iam_roleservice_roles_task_35C327FAarn",
      ]) {
        expect(text).toContain(
          `cross-stack-reference-input-${stack}.outputs.cross-stack-output-${output}`,
        );
      }
    }
    const [trust] = listOf(delivery, "aws_iam_role")
      .filter((r) => r.name === "hello-you-prod-use1-github-deploy")
      .map((r) => JSON.parse(String(r.assume_role_policy)));
    expect(trust.Statement[0].Condition.StringEquals).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": "repo:diogo-pessoa/hello-you-api:environment:prod",
    });
  });

  it("lets the pipeline migrate in region A only, and in region B only once it is promoted", () => {
    const runs = (json: typeof delivery) =>
      JSON.parse(String(listOf(json, "aws_iam_role_policy")[0].policy))
        .Statement.filter((st: { Action: string }) => st.Action === "ecs:RunTask")
        .map((st: { Resource: string }) => st.Resource);
    expect(runs(delivery)).toEqual([
      expect.stringContaining("cross-stack-reference-input-primary"),
    ]);
    const promoted = synth(
      deliveryConfig({}, (c) => ({ ...c, failover: { ...c.failover!, promoted: true } })),
    );
    expect(runs(promoted.read("delivery"))).toEqual([
      expect.stringContaining("cross-stack-reference-input-failover"),
    ]);
    expect(variablesOf(promoted.read("delivery-github")).MIGRATION_REGION).toBe("us-west-2");
  });

  it("hands the running revision to the pipeline in both regions", () => {
    // prod's region A rolls out blue/green, where ECS also picks the serving target group.
    for (const [stack, extra] of [
      ["primary", ["load_balancer"]],
      ["failover", []],
    ] as const) {
      const [service] = listOf(out.read(stack), "aws_ecs_service");
      expect(service.lifecycle).toEqual({
        ignore_changes: ["desired_count", "task_definition", ...extra],
      });
    }
  });

  it("gives each of the environment's workspaces a Terraform Cloud role", () => {
    const names = listOf(delivery, "aws_iam_role")
      .map((r) => r.name)
      .sort();
    expect(names).toEqual([
      "hello-you-prod-use1-github-deploy",
      "hello-you-prod-use1-tfc-delivery",
      "hello-you-prod-use1-tfc-failover",
      "hello-you-prod-use1-tfc-link",
      "hello-you-prod-use1-tfc-primary",
    ]);
    const outputs = Object.keys(delivery.output!).filter((o) => !o.startsWith("cross-stack-"));
    expect(outputs.sort()).toEqual([
      "deploy_role_arn",
      "tfc_role_arn_delivery",
      "tfc_role_arn_failover",
      "tfc_role_arn_link",
      "tfc_role_arn_primary",
    ]);
    expect(
      listOf(delivery, "aws_iam_openid_connect_provider")
        .map((p) => p.url)
        .sort(),
    ).toEqual(["https://app.terraform.io", "https://token.actions.githubusercontent.com"]);
  });

  it("looks up OIDC providers another environment of the account created", () => {
    const shared = synth(
      deliveryConfig({
        githubOidcProvider: "existing",
        terraformCloud: { ...TFC, oidcProvider: "existing" },
      }),
    ).read("delivery");
    expect(shared.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    expect(Object.values(shared.data!.aws_iam_openid_connect_provider).map((d) => d.url)).toEqual([
      "https://token.actions.githubusercontent.com",
      "https://app.terraform.io",
    ]);
  });

  it("without failover, rolls out region A only", () => {
    const single = synth(
      deliveryConfig({}, (c) => ({ ...c, failover: { ...c.failover, enabled: false } })),
    );
    expect(single.manifest.stacks.delivery.dependencies).toEqual(["primary"]);
    expect(single.manifest.stacks["delivery-github"].dependencies.sort()).toEqual([
      "delivery",
      "primary",
    ]);
    expect(
      Object.keys(variablesOf(single.read("delivery-github"))).filter((v) =>
        v.startsWith("FAILOVER_"),
      ),
    ).toEqual([]);
  });

  it("warns when nobody approves deployments", () => {
    const messages = synth(deliveryConfig()).manifest.stacks["delivery-github"].annotations.map(
      (a) => a.message,
    );
    expect(messages).toContain(
      "delivery.reviewers is empty: any run of the app's deploy workflow in this environment rolls out without approval",
    );
  });

  it("refuses Terraform Cloud roles for another organization than the backend's", () => {
    const backend: BackendChoice = { kind: "cloud", organization: "other" };
    const config = deliveryConfig({ terraformCloud: TFC });
    expect(() => buildStacks(Testing.app(), config, backend)).toThrow(
      'DeliveryStack: TF_CLOUD_ORGANIZATION is "other" but delivery.terraformCloud.organization is "acme"',
    );
  });
});
