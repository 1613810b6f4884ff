import { DeployRole, type DeployRoleProps, type RolloutTarget } from "../../constructs/deploy-role";
import { listOf, policiesOf, synthJson, testStack } from "../helpers";
import { ACCOUNT, decide as simulate, sessionOf } from "../iam-simulator";

const GITHUB = "token.actions.githubusercontent.com";

/** One region's service as the stacks name it. */
function target(region: string, code: string) {
  const prefix = `hello-you-prod-${code}`;
  return {
    region,
    serviceArn: `arn:aws:ecs:${region}:${ACCOUNT}:service/${prefix}-hello-you/${prefix}-hello-you`,
    taskFamilyArn: `arn:aws:ecs:${region}:${ACCOUNT}:task-definition/${prefix}-hello-you`,
    executionRole: `arn:aws:iam::${ACCOUNT}:role/${prefix}-task-execution`,
    taskRole: `arn:aws:iam::${ACCOUNT}:role/${prefix}-task`,
    clusterArn: `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${prefix}-hello-you`,
    taskArnPrefix: `arn:aws:ecs:${region}:${ACCOUNT}:task/${prefix}-hello-you`,
    logGroupArn: `arn:aws:logs:${region}:${ACCOUNT}:log-group:/ecs/${prefix}-hello-you`,
  };
}
const A = target("us-east-1", "use1");
const B = target("us-west-2", "usw2");
const targetOf = (t: typeof A, runsMigrations = t === A): RolloutTarget => ({
  region: t.region,
  serviceArn: t.serviceArn,
  taskFamilyArn: t.taskFamilyArn,
  passRoleArns: [t.executionRole, t.taskRole],
  clusterArn: t.clusterArn,
  taskArnPrefix: t.taskArnPrefix,
  logGroupArn: t.logGroupArn,
  runsMigrations,
});

function build(patch: Partial<DeployRoleProps> = {}) {
  const { stack, naming } = testStack();
  new DeployRole(stack, "deploy", {
    naming,
    oidcProvider: { arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}`, host: GITHUB },
    subject: { repository: "diogo-pessoa/hello-you-api", environment: "prod" },
    targets: [targetOf(A), targetOf(B)],
    ...patch,
  });
  return synthJson(stack);
}

const json = build();
const [permissions] = policiesOf(json, "aws_iam_role_policy");

/** IAM's decision on one request by the deploy role, from its synthesized policy alone. */
const decide = (
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
) =>
  simulate(
    {
      arn: sessionOf("hello-you-prod-use1-github-deploy"),
      policies: { "roll-out-images": permissions },
    },
    action,
    resource,
    context,
  );

const toEcsTasks = { "iam:PassedToService": "ecs-tasks.amazonaws.com" };

describe("DeployRole", () => {
  it("trusts exactly one repository's jobs in one environment, for the STS audience", () => {
    const [trust] = policiesOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust.Statement).toEqual([
      {
        Sid: "AppRepositoryInItsEnvironmentOnly",
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB}:aud`]: "sts.amazonaws.com",
            [`${GITHUB}:sub`]: "repo:diogo-pessoa/hello-you-api:environment:prod",
          },
        },
      },
    ]);
    expect(JSON.stringify(trust)).not.toContain("*");
    expect(listOf(json, "aws_iam_role")[0].name).toBe("hello-you-test-use1-github-deploy");
  });

  it("grants only the actions a rollout calls", () => {
    const actions = [...new Set(permissions.Statement.flatMap((s) => [s.Action].flat()))].sort();
    expect(actions).toEqual([
      "ecs:DescribeServices",
      "ecs:DescribeTaskDefinition",
      "ecs:DescribeTasks",
      "ecs:RegisterTaskDefinition",
      "ecs:RunTask",
      "ecs:UpdateService",
      "iam:PassRole",
      "logs:GetLogEvents",
    ]);
    const wildcards = permissions.Statement.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcards.map((s) => s.Action)).toEqual(["ecs:DescribeTaskDefinition"]);
    expect(wildcards[0].Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["us-east-1", "us-west-2"] },
    });
  });

  describe.each([
    ["region A", A],
    ["region B", B],
  ])("allows a rollout in %s", (_name, t) => {
    const revision = `${t.taskFamilyArn}:42`;
    it.each([
      [
        "read the current task definition",
        "ecs:DescribeTaskDefinition",
        "*",
        { "aws:RequestedRegion": t.region },
      ],
      ["register a revision of the service's family", "ecs:RegisterTaskDefinition", revision, {}],
      [
        "point the service at it",
        "ecs:UpdateService",
        t.serviceArn,
        { "ecs:task-definition": revision },
      ],
      [
        "point it there saying ECS Exec stays off",
        "ecs:UpdateService",
        t.serviceArn,
        { "ecs:task-definition": revision, "ecs:enable-execute-command": "false" },
      ],
      ["watch the service settle", "ecs:DescribeServices", t.serviceArn, {}],
      ["pass the execution role to ECS tasks", "iam:PassRole", t.executionRole, toEcsTasks],
      ["pass the task role to ECS tasks", "iam:PassRole", t.taskRole, toEcsTasks],
    ])("%s", async (_what, action, resource, context) => {
      expect(await decide(action, resource, context)).toBe("Allowed");
    });
  });

  describe("the migration, in region A only until promotion", () => {
    const task = `${A.taskArnPrefix}/0123456789abcdef`;
    it.each([
      [
        "run one task of the family in the service's cluster",
        "ecs:RunTask",
        `${A.taskFamilyArn}:43`,
        { "ecs:cluster": A.clusterArn },
      ],
      ["watch it to its exit code", "ecs:DescribeTasks", task, { "ecs:cluster": A.clusterArn }],
      [
        "read its log",
        "logs:GetLogEvents",
        `${A.logGroupArn}:log-stream:hello-you/hello-you/0123456789abcdef`,
        {},
      ],
      ["pass the task role to it", "iam:PassRole", A.taskRole, toEcsTasks],
    ])("%s", async (_what, action, resource, context) => {
      expect(await decide(action, resource, context)).toBe("Allowed");
    });

    it("moves to region B with promotion", () => {
      const promoted = build({ targets: [targetOf(A, false), targetOf(B, true)] });
      const [policy] = policiesOf(promoted, "aws_iam_role_policy");
      const runs = policy.Statement.filter((st) => st.Action === "ecs:RunTask");
      expect(runs.map((st) => st.Resource)).toEqual([`${B.taskFamilyArn}:*`]);
    });

    it("is refused unless exactly one region migrates", () => {
      expect(() => build({ targets: [targetOf(A, true), targetOf(B, true)] })).toThrow(
        "DeployRole: 2 targets have runsMigrations; exactly one region",
      );
      expect(() => build({ targets: [targetOf(A, false), targetOf(B, false)] })).toThrow(
        "DeployRole: 0 targets have runsMigrations",
      );
    });
  });

  it.each([
    [
      "another service",
      "ecs:UpdateService",
      A.serviceArn.replace(/hello-you$/, "other"),
      {
        "ecs:task-definition": `${A.taskFamilyArn}:42`,
      },
    ],
    [
      "a service moved to another family",
      "ecs:UpdateService",
      A.serviceArn,
      {
        "ecs:task-definition": `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/attacker:1`,
      },
    ],
    [
      "region A's service on region B's family",
      "ecs:UpdateService",
      A.serviceArn,
      {
        "ecs:task-definition": `${B.taskFamilyArn}:1`,
      },
    ],
    [
      "a revision of another family",
      "ecs:RegisterTaskDefinition",
      `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/attacker:1`,
      {},
    ],
    ["passing an admin role", "iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, toEcsTasks],
    [
      "passing the task role to Lambda",
      "iam:PassRole",
      A.taskRole,
      {
        "iam:PassedToService": "lambda.amazonaws.com",
      },
    ],
    [
      "reading the app's secrets",
      "secretsmanager:GetSecretValue",
      `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hello-you-prod-use1-database-AbCdEf`,
      {},
    ],
    ["creating a role", "iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/escalate`, {}],
    [
      "widening its own policy",
      "iam:PutRolePolicy",
      `arn:aws:iam::${ACCOUNT}:role/hello-you-prod-use1-github-deploy`,
      {},
    ],
    ["assuming another role", "sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/admin`, {}],
    ["deleting the service", "ecs:DeleteService", A.serviceArn, {}],
    ["deregistering revisions", "ecs:DeregisterTaskDefinition", "*", {}],
    [
      "reading task definitions in a third region",
      "ecs:DescribeTaskDefinition",
      "*",
      { "aws:RequestedRegion": "eu-west-1" },
    ],
    [
      "turning on ECS Exec with a rollout",
      "ecs:UpdateService",
      A.serviceArn,
      { "ecs:task-definition": `${A.taskFamilyArn}:42`, "ecs:enable-execute-command": "true" },
    ],
    [
      "giving the tasks a public IP",
      "ecs:UpdateService",
      A.serviceArn,
      { "ecs:task-definition": `${A.taskFamilyArn}:42`, "ecs:auto-assign-public-ip": "true" },
    ],
    [
      "moving the service to other subnets",
      "ecs:UpdateService",
      A.serviceArn,
      { "ecs:task-definition": `${A.taskFamilyArn}:42`, "ecs:subnet": ["subnet-0public"] },
    ],
    [
      "a one-off task in another cluster",
      "ecs:RunTask",
      `${A.taskFamilyArn}:42`,
      { "ecs:cluster": `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/other` },
    ],
    [
      "a one-off task of another family",
      "ecs:RunTask",
      `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/attacker:1`,
      { "ecs:cluster": A.clusterArn },
    ],
    [
      "a migration in region B, whose database is a replica before promotion",
      "ecs:RunTask",
      `${B.taskFamilyArn}:42`,
      { "ecs:cluster": B.clusterArn },
    ],
    [
      "watching tasks of another cluster",
      "ecs:DescribeTasks",
      `arn:aws:ecs:us-east-1:${ACCOUNT}:task/other/0123456789abcdef`,
      { "ecs:cluster": `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/other` },
    ],
    [
      "reading another log group",
      "logs:GetLogEvents",
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/x:log-stream:y`,
      {},
    ],
    ["stopping tasks", "ecs:StopTask", `${A.taskArnPrefix}/0123456789abcdef`, {}],
    [
      "a shell in a task",
      "ecs:ExecuteCommand",
      `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/hello-you-prod-use1-hello-you`,
      {},
    ],
    ["deleting a bucket", "s3:DeleteBucket", "arn:aws:s3:::hello-you-prod-use1-alb-logs", {}],
    [
      "deleting the database",
      "rds:DeleteDBInstance",
      `arn:aws:rds:us-east-1:${ACCOUNT}:db:hello-you-prod-use1-db`,
      {},
    ],
    [
      "decrypting with the key",
      "kms:Decrypt",
      `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      {},
    ],
    [
      "deleting logs",
      "logs:DeleteLogGroup",
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/ecs/hello-you-prod-use1-hello-you`,
      {},
    ],
  ])("denies %s", async (_what, action, resource, context) => {
    expect(await decide(action, resource, context)).toBe("ImplicitlyDenied");
  });

  it("rejects wildcards and foreign names before synth", () => {
    expect(() => build({ subject: { repository: "diogo-pessoa/*", environment: "prod" } })).toThrow(
      'DeployRole: subject.repository "diogo-pessoa/*" must be owner/name without wildcards',
    );
    expect(() =>
      build({ subject: { repository: "o/n", environment: "prod:ref:refs/heads/x" } }),
    ).toThrow(
      'DeployRole: subject.environment "prod:ref:refs/heads/x" must be a GitHub environment',
    );
    expect(() => build({ targets: [] })).toThrow("DeployRole: targets is empty");
    expect(() =>
      build({ targets: [{ ...targetOf(A), passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/*`] }] }),
    ).toThrow('DeployRole: targets[0].passRoleArns contains "*"');
    expect(() => build({ targets: [{ ...targetOf(A), passRoleArns: [] }] })).toThrow(
      "DeployRole: targets[0].passRoleArns is empty",
    );
  });
});
