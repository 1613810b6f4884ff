import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DrOperatorRole, type DrTargets } from "../../constructs/dr-operator-role";
import { policiesOf, synthJson, testStack, listOf } from "../helpers";
import { ACCOUNT, decide as simulate, sessionOf } from "../iam-simulator";

const B = "us-west-2";
const A = "us-east-1";
const prefix = "hello-you-prod-usw2";
const T: DrTargets = {
  replicaArn: `arn:aws:rds:${B}:${ACCOUNT}:db:${prefix}-db-replica`,
  fenceRuleArn: `arn:aws:elasticloadbalancing:${B}:${ACCOUNT}:listener-rule/app/${prefix}-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`,
  failoverConnectionSecretArn: `arn:aws:secretsmanager:${B}:${ACCOUNT}:secret:${prefix}-database-AbCdEf`,
  primaryConnectionSecretArn: `arn:aws:secretsmanager:${B}:${ACCOUNT}:secret:hello-you-prod-use1-database-GhIjKl`,
  keyArn: `arn:aws:kms:${B}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  replicaKeyArn: `arn:aws:kms:${B}:${ACCOUNT}:key/9876abcd-12ab-34cd-56ef-1234567890ab`,
  serviceArn: `arn:aws:ecs:${B}:${ACCOUNT}:service/${prefix}-hello-you/${prefix}-hello-you`,
  scalableTargetArn: `arn:aws:application-autoscaling:${B}:${ACCOUNT}:scalable-target/0ec5a1b2c3d4e5f6`,
  auditLogGroupArn: `arn:aws:logs:${B}:${ACCOUNT}:log-group:/dr/${prefix}-recovery`,
  primaryEndpointParameterArn: `arn:aws:ssm:${B}:${ACCOUNT}:parameter/hello-you/prod/dr/primary-endpoint`,
  imageCacheRepositoryArn: `arn:aws:ecr:${B}:${ACCOUNT}:repository/${prefix}-ghcr/diogo-pessoa/hello-you-api/hello-you-api`,
  primaryUnreachableAlarmArn: `arn:aws:cloudwatch:${B}:${ACCOUNT}:alarm:${prefix}-primary-unreachable`,
  primaryWriterArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db:hello-you-prod-use1-db`,
};

function build(targets: Partial<DrTargets> = {}, region = B) {
  const { stack, naming } = testStack(B);
  new DrOperatorRole(stack, "dr", {
    naming,
    aws: { accountId: ACCOUNT, partition: "aws" },
    region,
    targets: { ...T, ...targets },
  });
  return synthJson(stack);
}
const json = build();
const [policy] = policiesOf(json, "aws_iam_role_policy");
const operator = { arn: sessionOf(`${prefix}-dr-operator`), policies: { "npm-run-dr": policy } };
const inB = { "aws:RequestedRegion": B };
/** B's key policy delegates to IAM, as EncryptionKey writes it: the role's policy decides. */
const KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};
const decide = (
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
) =>
  simulate(
    operator,
    action,
    resource,
    { ...inB, ...context },
    action.startsWith("kms:") ? KEY_POLICY : undefined,
  );

/**
 * The AWS calls `npm run dr` makes, read from its source: every `XCommand` imported from an
 * `@aws-sdk/client-*` package, as the IAM action it needs. The tool lives in `scripts/dr/`
 * (moving to `dr/`): whichever exists is read.
 */
const SERVICE_PREFIX: Record<string, string> = {
  "application-auto-scaling": "application-autoscaling",
  cloudwatch: "cloudwatch",
  "cloudwatch-logs": "logs",
  ec2: "ec2",
  ecr: "ecr",
  ecs: "ecs",
  "elastic-load-balancing-v2": "elasticloadbalancing",
  rds: "rds",
  "secrets-manager": "secretsmanager",
  ssm: "ssm",
};
function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}
function actionsTheToolCalls(): string[] {
  const root = join(__dirname, "../..");
  // The automatic promotion's own calls (its switch, latch, state and page) are its role's, not
  // the operator's: __tests__/constructs/auto-promoter.spec.ts checks them there.
  const own = join(root, "dr", "auto", "controls.ts");
  const files = [
    ...sourceFiles(join(root, "scripts/dr")),
    ...sourceFiles(join(root, "dr")).filter((f) => f !== own),
  ];
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(
      /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-([a-z0-9-]+)"/g,
    )) {
      const service = SERVICE_PREFIX[m[2]];
      if (!service) throw new Error(`${file}: no IAM prefix known for @aws-sdk/client-${m[2]}`);
      for (const name of m[1].split(",").map((n) => n.trim().replace(/^type\s+/, ""))) {
        if (name.endsWith("Command")) actions.add(`${service}:${name.slice(0, -"Command".length)}`);
      }
    }
  }
  return [...actions].sort();
}

describe("DrOperatorRole", () => {
  it("grants exactly the actions npm run dr calls, each only in region B", () => {
    const granted = policy.Statement.flatMap((s) => [s.Action as string | string[]].flat());
    const called = actionsTheToolCalls();
    expect(called.length).toBeGreaterThan(15);
    // Plus the KMS calls Secrets Manager and SSM make for the caller on B's key (ViaService only).
    expect([...new Set(granted)].sort()).toEqual(
      [...called, "kms:Decrypt", "kms:GenerateDataKey"].sort(),
    );
    // B only, but the promote guard's read of A's writer, in A.
    for (const s of policy.Statement.filter((s) => s.Sid !== "AskRegionAWhetherItsWriterIsThere")) {
      expect(s.Condition).toMatchObject({ StringEquals: { "aws:RequestedRegion": B } });
    }
    expect(policy.Statement.find((s) => s.Sid === "AskRegionAWhetherItsWriterIsThere")).toEqual({
      Sid: "AskRegionAWhetherItsWriterIsThere",
      Effect: "Allow",
      Action: "rds:DescribeDBInstances",
      Resource: T.primaryWriterArn,
      Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
    });
    const wildcards = policy.Statement.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcards.map((s) => s.Sid)).toEqual([
      "ReadRecoveryStateWithoutResourceLevelPermissions",
    ]);
  });

  it("is assumed by principals the account's IAM allows", () => {
    const [role] = listOf(json, "aws_iam_role");
    expect(role.name).toBe("hello-you-test-usw2-dr-operator");
    expect(JSON.parse(String(role.assume_role_policy)).Statement).toEqual([
      {
        Sid: "PrincipalsTheAccountAllows",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: "sts:AssumeRole",
      },
    ]);
  });

  it.each([
    ["flip the fence", "elasticloadbalancing:ModifyRule", T.fenceRuleArn, {}],
    ["promote the replica", "rds:PromoteReadReplica", T.replicaArn, {}],
    ["make the promoted replica Multi-AZ", "rds:ModifyDBInstance", T.replicaArn, {}],
    ["read B's watch on A", "cloudwatch:DescribeAlarms", T.primaryUnreachableAlarmArn, {}],
    ["watch the replica", "rds:DescribeDBInstances", T.replicaArn, {}],
    ["read A's connection", "secretsmanager:GetSecretValue", T.primaryConnectionSecretArn, {}],
    ["repoint B's connection", "secretsmanager:PutSecretValue", T.failoverConnectionSecretArn, {}],
    [
      "encrypt B's connection with B's key",
      "kms:GenerateDataKey",
      T.keyArn,
      { "kms:ViaService": `secretsmanager.${B}.amazonaws.com` },
    ],
    ["scale B's service", "ecs:UpdateService", T.serviceArn, {}],
    [
      "raise B's scaling minimum",
      "application-autoscaling:RegisterScalableTarget",
      T.scalableTargetArn,
      {},
    ],
    [
      "write the audit trail",
      "logs:PutLogEvents",
      `${T.auditLogGroupArn}:log-stream:promote-1`,
      {},
    ],
    ["read A's endpoint", "ssm:GetParameter", T.primaryEndpointParameterArn, {}],
    [
      "decrypt its copy of A's connection",
      "kms:Decrypt",
      T.replicaKeyArn,
      { "kms:ViaService": `secretsmanager.${B}.amazonaws.com` },
    ],
    [
      "decrypt A's endpoint parameter",
      "kms:Decrypt",
      T.keyArn,
      { "kms:ViaService": `ssm.${B}.amazonaws.com` },
    ],
    ["find the fence rule", "elasticloadbalancing:DescribeRules", "*", {}],
  ])("can %s", async (_what, action, resource, context) => {
    expect(await decide(action, resource, context)).toBe("Allowed");
  });

  it.each([
    [
      "change another listener rule",
      "elasticloadbalancing:ModifyRule",
      T.fenceRuleArn.replace(/9683b2d02a6cabee$/, "1111111111111111"),
      {},
    ],
    ["delete the fence rule", "elasticloadbalancing:DeleteRule", T.fenceRuleArn, {}],
    ["reorder the listener's rules", "elasticloadbalancing:SetRulePriorities", T.fenceRuleArn, {}],
    [
      "change the listener",
      "elasticloadbalancing:ModifyListener",
      T.fenceRuleArn.replace("listener-rule", "listener").replace(/\/9683b2d02a6cabee$/, ""),
      {},
    ],
    [
      "promote another database",
      "rds:PromoteReadReplica",
      `arn:aws:rds:${B}:${ACCOUNT}:db:other`,
      {},
    ],
    ["delete the replica", "rds:DeleteDBInstance", T.replicaArn, {}],
    [
      "modify another instance",
      "rds:ModifyDBInstance",
      `arn:aws:rds:${B}:${ACCOUNT}:db:another-db`,
      {},
    ],
    [
      "overwrite A's replicated secret",
      "secretsmanager:PutSecretValue",
      T.primaryConnectionSecretArn,
      {},
    ],
    [
      "read the app's SECRET_KEY",
      "secretsmanager:GetSecretValue",
      `arn:aws:secretsmanager:${B}:${ACCOUNT}:secret:hello-you-prod-use1-secret-key-MnOpQr`,
      {},
    ],
    ["decrypt with B's key directly", "kms:Decrypt", T.keyArn, {}],
    [
      "turn on ECS Exec",
      "ecs:UpdateService",
      T.serviceArn,
      { "ecs:enable-execute-command": "true" },
    ],
    [
      "move the service's network",
      "ecs:UpdateService",
      T.serviceArn,
      { "ecs:subnet": ["subnet-1"] },
    ],
    [
      "open a shell in a task",
      "ecs:ExecuteCommand",
      `arn:aws:ecs:${B}:${ACCOUNT}:cluster/${prefix}-hello-you`,
      {},
    ],
    ["delete the service", "ecs:DeleteService", T.serviceArn, {}],
    ["delete the audit trail", "logs:DeleteLogGroup", T.auditLogGroupArn, {}],
    [
      "promote in region A",
      "rds:PromoteReadReplica",
      T.replicaArn.replace(B, A),
      { "aws:RequestedRegion": A },
    ],
    [
      "describe in region A",
      "elasticloadbalancing:DescribeRules",
      "*",
      { "aws:RequestedRegion": A },
    ],
    ["change IAM", "iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/${prefix}-dr-operator`, {}],
    ["assume another role", "sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:role/admin`, {}],
  ])("cannot %s", async (_what, action, resource, context) => {
    expect(await decide(action, resource, context)).toBe("ImplicitlyDenied");
  });

  it("refuses wildcards and empty targets", () => {
    expect(() => build({ replicaArn: `arn:aws:rds:${B}:${ACCOUNT}:db:*` })).toThrow(
      'DrOperatorRole: targets.replicaArn "arn:aws:rds:us-west-2:123456789012:db:*" contains "*"',
    );
    expect(() => build({ fenceRuleArn: "" })).toThrow(
      "DrOperatorRole: targets.fenceRuleArn is empty",
    );
    expect(() => build({}, "west")).toThrow('DrOperatorRole: region "west" is not a region');
  });
});
