import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { BackendChoice } from "../../config/backend";
import type { AppConfig, EnvironmentInput } from "../../config/schema";
import { buildStacks } from "../../stacks";
import { buildTestStacks, configWith, listOf, type SynthJson } from "../helpers";

type Delivery = NonNullable<EnvironmentInput["delivery"]>;
const policy = (stack: string) => [`arn:aws:iam::123456789012:policy/hello-you-terraform-${stack}`];
const TFC = {
  enabled: true,
  organization: "acme",
  policyArns: {
    primary: policy("primary"),
    failover: policy("failover"),
    link: policy("link"),
    delivery: policy("delivery"),
  },
};

/** Prod with delivery on; prod refuses an environment nobody approves, so a team approves. */
function deliveryConfig(delivery: Delivery = {}, patch = (c: EnvironmentInput) => c): AppConfig {
  return configWith(
    (c) =>
      patch({
        ...c,
        delivery: { enabled: true, reviewers: { teams: ["platform"] }, ...delivery },
      }),
    "prod",
  );
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
    expect(out.manifest.stacks["delivery-github"].dependencies.sort()).toEqual([
      "delivery",
      "failover",
      "primary",
    ]);
  });

  it("read no state of primary or failover (it holds secrets); delivery-github reads delivery's only", () => {
    expect(delivery.data?.terraform_remote_state).toBeUndefined();
    expect(Object.keys(github.data!.terraform_remote_state)).toEqual([
      "cross-stack-reference-input-delivery",
    ]);
  });

  it("name the services and roles exactly as the regional stacks call them", () => {
    const {
      primary,
      failover,
      delivery: stack,
    } = buildTestStacks(deliveryConfig({ terraformCloud: TFC }));
    const actual = [primary, failover!].map((s) => ({
      region: s.naming.region,
      cluster: s.service.cluster.nameInput,
      service: s.service.service.nameInput,
      taskFamily: s.service.taskDefinition.familyInput,
      executionRole: s.service.roles.executionRole.nameInput,
      taskRole: s.service.roles.taskRole.nameInput,
      loadBalancer: s.loadBalancer.alb.nameInput,
      logGroup: s.service.logGroup.nameInput,
    }));
    expect(stack!.regions).toEqual(actual);
  });

  it("keeps delivery AWS only: no GitHub provider, resource or data source", () => {
    expect(Object.keys(delivery.provider!)).toEqual(["aws"]);
    expect(JSON.stringify(delivery.terraform)).not.toContain("github");
    expect(typesOf(delivery).filter((t) => !t.startsWith("aws_"))).toEqual([]);
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
    // The Terraform Cloud roles are new: one per run phase replaces the shared one
    // (docs/delivery.md, "Plan and apply roles"), under new names, so new addresses.
    expect(Object.keys(delivery.resource!.aws_iam_role).sort()).toEqual([
      "deploy-role_94C806C7",
      ...["apply", "plan"].flatMap((phase) =>
        ["delivery", "failover", "link", "primary"].map((w) =>
          expect.stringMatching(new RegExp(`^terraform-cloud-roles_${phase}-${w}_`)),
        ),
      ),
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
      ECS_CLUSTER: "hello-you-prod-use1-hello-you",
      FAILOVER_ECS_TASK_FAMILY: "hello-you-prod-usw2-hello-you",
      HEALTH_URL: "https://api.example.com/health",
    });
  });

  it("lets the deploy role touch exactly both regions' services, families and roles", () => {
    const policy = JSON.parse(String(listOf(delivery, "aws_iam_role_policy")[0].policy));
    const text = JSON.stringify(policy);
    // By derived ARN, with delivery's own account and partition lookups.
    const arn = (service: string, rest: string) =>
      expect.stringMatching(
        new RegExp(
          `^arn:\\$\\{data\\.aws_partition\\.[^}]+\\}:${service}:\\$\\{data\\.aws_caller_identity\\.[^}]+\\}:${rest}$`,
        ),
      );
    const resources = policy.Statement.flatMap((st: { Resource: unknown }) => [st.Resource].flat());
    for (const [region, code] of [
      ["us-east-1", "use1"],
      ["us-west-2", "usw2"],
    ]) {
      const p = `hello-you-prod-${code}`;
      expect(resources).toEqual(
        expect.arrayContaining([
          arn(`ecs:${region}`, `service/${p}-hello-you/${p}-hello-you`),
          arn(`ecs:${region}`, `task-definition/${p}-hello-you:\\*`),
          arn("iam:", `role/${p}-task-execution`),
          arn("iam:", `role/${p}-task`),
        ]),
      );
    }
    expect(text).not.toContain("cross-stack");
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
      expect.stringMatching(/:ecs:us-east-1:.*:task-definition\/hello-you-prod-use1-hello-you:\*$/),
    ]);
    const promoted = synth(
      deliveryConfig({}, (c) => ({ ...c, failover: { ...c.failover!, promoted: true } })),
    );
    expect(runs(promoted.read("delivery"))).toEqual([
      expect.stringMatching(/:ecs:us-west-2:.*:task-definition\/hello-you-prod-usw2-hello-you:\*$/),
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

  it("gives each of the environment's workspaces a plan role and an apply role", () => {
    const names = listOf(delivery, "aws_iam_role")
      .map((r) => r.name)
      .sort();
    const workspaces = ["delivery", "failover", "link", "primary"];
    expect(names).toEqual([
      "hello-you-prod-use1-github-deploy",
      ...workspaces.flatMap((w) => [
        `hello-you-prod-use1-tfc-${w}-apply`,
        `hello-you-prod-use1-tfc-${w}-plan`,
      ]),
    ]);
    const outputs = Object.keys(delivery.output!).filter((o) => !o.startsWith("cross-stack-"));
    expect(outputs.sort()).toEqual([
      "deploy_role_arn",
      ...workspaces.map((w) => `tfc_apply_role_arn_${w}`),
      ...workspaces.map((w) => `tfc_plan_role_arn_${w}`),
    ]);
    expect(
      listOf(delivery, "aws_iam_openid_connect_provider")
        .map((p) => p.url)
        .sort(),
    ).toEqual(["https://app.terraform.io", "https://token.actions.githubusercontent.com"]);
  });

  it("confines each apply role to the IAM and the regions of its own stack", () => {
    const boundary = (w: string) => {
      const policy = listOf(delivery, "aws_iam_policy").find(
        (p) => p.name === `hello-you-prod-use1-tfc-${w}-boundary`,
      )!;
      const statements = JSON.parse(String(policy.policy)).Statement as Record<string, unknown>[];
      const sid = (id: string) => statements.find((st) => st.Sid === id)!;
      const own = (sid("NoIamChangesOutsideThisStack").NotResource as string[])
        .filter((a) => !a.endsWith(":role/aws-service-role/*"))
        .map((a) => a.replace(/^arn:.*?:iam::.*?:/, ""));
      const regions = (
        sid("OnlyThisStacksRegions").Condition as Record<string, Record<string, unknown>>
      ).StringNotEquals["aws:RequestedRegion"];
      const ceiling = sid("CeilingForTheAttachedPolicies").Action as string[];
      return { own, regions, ceiling };
    };
    const primary = boundary("primary");
    expect(primary.own).toContain("role/hello-you-prod-use1-task-execution");
    expect(primary.own.every((a) => a.includes("hello-you-prod-use1-"))).toBe(true);
    // Region B too: primary keeps the key there that encrypts B's copies of its secrets.
    expect(primary.regions).toEqual(["us-east-1", "us-west-2"]);
    const failover = boundary("failover");
    expect(failover.own).toContain("role/hello-you-prod-usw2-task-execution");
    expect(failover.own.every((a) => a.includes("hello-you-prod-usw2-"))).toBe(true);
    expect(failover.regions).toEqual(["us-west-2"]);
    expect(boundary("link").regions).toEqual(["us-east-1", "us-west-2"]);
    // Ceilings: the services each stack's resource types use.
    expect(primary.ceiling).toEqual(
      expect.arrayContaining(["rds:*", "ecs:*", "wafv2:*", "iam:Get*"]),
    );
    expect(boundary("link").ceiling).not.toContain("rds:*");
    expect(boundary("link").ceiling.some((a) => a.startsWith("iam:"))).toBe(false);
    // prod has a DNS zone: delivery looks up no load balancer, so IAM and STS only.
    expect(boundary("delivery").ceiling.filter((a) => !a.startsWith("iam:"))).toEqual(["sts:*"]);
    // The deploy role and GitHub's OIDC provider; never the Terraform Cloud roles themselves.
    expect(boundary("delivery").own).toEqual([
      "oidc-provider/token.actions.githubusercontent.com",
      "role/hello-you-prod-use1-github-deploy",
    ]);
    for (const w of ["primary", "failover", "link", "delivery"]) {
      expect(JSON.stringify(boundary(w).own)).not.toContain("-tfc-");
    }
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

  it("warns when nobody approves deployments outside production", () => {
    const dev = configWith((c) => ({ ...c, delivery: { enabled: true } }), "dev");
    const messages = synth(dev).manifest.stacks["delivery-github"].annotations.map(
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
