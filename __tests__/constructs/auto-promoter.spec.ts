import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AutoPromoter, type AutoPromoterProps } from "../../constructs/auto-promoter";
import { autoPromoterCode } from "../../constructs/auto-promoter-code";
import { type DrTargets, drStatements } from "../../constructs/dr-operator-role";
import { EncryptionKey } from "../../constructs/encryption-key";
import { buildTestStacks, configWith, listOf, synthJson, testStack } from "../helpers";

const B = "us-west-2";
const ACCOUNT = "123456789012";
const arn = (service: string, resource: string, region = B) =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
const TARGETS: DrTargets = {
  replicaArn: arn("rds", "db:r"),
  fenceRuleArn: arn("elasticloadbalancing", "listener-rule/app/b/1/2/3"),
  failoverConnectionSecretArn: arn("secretsmanager", "secret:b-AbCdEf"),
  primaryConnectionSecretArn: arn("secretsmanager", "secret:a-GhIjKl"),
  keyArn: arn("kms", "key/b"),
  replicaKeyArn: arn("kms", "key/r"),
  serviceArn: arn("ecs", "service/c/s"),
  scalableTargetArn: arn("application-autoscaling", "scalable-target/0ec5"),
  auditLogGroupArn: arn("logs", "log-group:/dr/recovery"),
  primaryEndpointParameterArn: arn("ssm", "parameter/p/dr/primary-endpoint"),
  primaryUnreachableAlarmArn: arn("cloudwatch", "alarm:primary-unreachable"),
  primaryWriterArn: arn("rds", "db:a", "us-east-1"),
};
const TOPIC = arn("sns", "alarms");
const PARAMETERS = {
  switch: "/p/test/dr/auto-promotion/switch",
  latch: "/p/test/dr/auto-promotion/latch",
  state: "/p/test/dr/auto-promotion/state",
};
const SETTINGS = JSON.stringify({ environment: "test" });

function build(patch: Partial<AutoPromoterProps> = {}) {
  const { stack, naming } = testStack(B);
  const aws = { accountId: ACCOUNT, partition: "aws", region: B };
  const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
  new AutoPromoter(stack, "auto", {
    naming,
    aws,
    region: B,
    kmsKey,
    topicArn: TOPIC,
    targets: TARGETS,
    parameters: PARAMETERS,
    settings: SETTINGS,
    logRetentionDays: 30,
    ...patch,
  });
  return synthJson(stack);
}

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
const json = build();
const statements = JSON.parse(String(listOf(json, "aws_iam_role_policy")[0].policy))
  .Statement as Statement[];
const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));

describe("AutoPromoter", () => {
  it("is one Node function at a time, with the time a promotion takes, paging B's topic", () => {
    const [fn] = listOf(json, "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "hello-you-test-usw2-auto-promoter",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      timeout: 900,
      reserved_concurrent_executions: 1,
      environment: { variables: { ALARM_TOPIC_ARN: TOPIC } },
    });
    expect(fn.source_code_hash).toEqual(expect.stringContaining("filebase64sha256"));
  });

  it("ships dr/auto/lambda.ts bundled, with the stack's settings beside it", () => {
    const dir = autoPromoterCode(SETTINGS);
    expect(readFileSync(join(dir, "context.json"), "utf8")).toBe(SETTINGS);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(join(dir, "index.js")) as { handler: unknown };
    expect(typeof bundle.handler).toBe("function");
    // Same settings, same folder: a synth that changed nothing plans nothing.
    expect(autoPromoterCode(SETTINGS)).toBe(dir);
    expect(autoPromoterCode(JSON.stringify({ environment: "other" }))).not.toBe(dir);
  });

  it("runs every minute, invoked only by its own schedule", () => {
    expect(listOf(json, "aws_cloudwatch_event_rule")).toEqual([
      expect.objectContaining({ schedule_expression: "rate(1 minute)" }),
    ]);
    expect(listOf(json, "aws_lambda_permission")).toEqual([
      expect.objectContaining({
        principal: "events.amazonaws.com",
        source_arn: expect.stringContaining("aws_cloudwatch_event_rule"),
      }),
    ]);
  });

  it("creates the switch armed and the latch unused, and no deploy changes them again", () => {
    const parameters = listOf(json, "aws_ssm_parameter");
    expect(parameters.map((p) => [p.name, p.value, p.type])).toEqual([
      [PARAMETERS.latch, "unused", "String"],
      [PARAMETERS.state, "{}", "String"],
      [PARAMETERS.switch, "armed", "String"],
    ]);
    for (const p of parameters) expect(p.lifecycle).toEqual({ ignore_changes: ["value"] });
  });

  it("holds every statement of the DR operator role, shared, not copied", () => {
    const shared = drStatements(B, TARGETS);
    for (const s of shared) expect(bySid[s.Sid as string]).toEqual(s);
  });

  it("may write the latch and its state, never the switch; pages only B's topic", () => {
    expect(bySid.WriteLatchAndStateOnly).toMatchObject({
      Action: "ssm:PutParameter",
      Resource: [
        `${arn("ssm", "parameter")}${PARAMETERS.latch}`,
        `${arn("ssm", "parameter")}${PARAMETERS.state}`,
      ],
    });
    const writes = statements.filter((s) => [s.Action].flat().includes("ssm:PutParameter"));
    expect(writes.flatMap((s) => [s.Resource].flat()).join()).not.toContain("switch");
    expect(bySid.PageTheAlarmTopic).toMatchObject({ Action: "sns:Publish", Resource: TOPIC });
    expect(bySid.UseBsKeyThroughSnsOnly.Condition).toEqual({
      StringEquals: { "kms:ViaService": `sns.${B}.amazonaws.com` },
    });
    const wildcards = statements.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcards.map((s) => s.Sid)).toEqual([
      "ReadRecoveryStateWithoutResourceLevelPermissions",
    ]);
  });

  it("grants every call dr/auto/controls.ts makes", () => {
    const text = readFileSync(join(__dirname, "../../dr/auto/controls.ts"), "utf8");
    const prefix: Record<string, string> = { ssm: "ssm", sns: "sns" };
    const called = [
      ...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-([a-z0-9-]+)"/g),
    ].flatMap((m) =>
      m[1]
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n.endsWith("Command"))
        .map((n) => `${prefix[m[2]]}:${n.slice(0, -"Command".length)}`),
    );
    const granted = new Set(statements.flatMap((s) => [s.Action].flat()));
    expect(called.sort()).toEqual(["sns:Publish", "ssm:GetParameter", "ssm:PutParameter"]);
    for (const action of called) expect(granted).toContain(action);
  });

  it.each([
    [
      { parameters: { ...PARAMETERS, latch: "dr/latch" } },
      'parameters.latch "dr/latch" must be a path',
    ],
    [{ settings: "not json" }, "settings must be the settings as JSON"],
  ])("refuses %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });
});

describe("AutoPromoter in the failover stack", () => {
  const failoverOf = (config: ReturnType<typeof configWith>) => {
    const stacks = buildTestStacks(config);
    return { stack: stacks.failover, json: synthJson(stacks.failover!) };
  };

  it("with failover.automatic (dev), pages B's alarm topic and shares the operator's targets", () => {
    const { stack, json: failover } = failoverOf(configWith());
    expect(stack?.autoPromoter).toBeDefined();
    const [fn] = listOf(failover, "aws_lambda_function").filter((f) =>
      String(f.function_name).endsWith("auto-promoter"),
    );
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    expect(variables.ALARM_TOPIC_ARN).toMatch(/^\$\{aws_sns_topic\.alarm-topic_\w+\.arn\}$/);
    const policies = listOf(failover, "aws_iam_role_policy");
    const operator = policies.find((p) => p.name === "npm-run-dr");
    const auto = policies.find((p) => p.name === "promote-region-b-when-region-a-is-lost");
    const operatorStatements = JSON.parse(String(operator?.policy)).Statement;
    expect(JSON.parse(String(auto?.policy)).Statement).toEqual(
      expect.arrayContaining(operatorStatements),
    );
    const names = listOf(failover, "aws_ssm_parameter").map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "/hello-you/dev/dr/auto-promotion/switch",
        "/hello-you/dev/dr/auto-promotion/latch",
        "/hello-you/dev/dr/auto-promotion/state",
      ]),
    );
  });

  it("has no function with failover.automatic false (prod)", () => {
    const { stack, json: failover } = failoverOf(configWith(undefined, "prod"));
    expect(stack?.autoPromoter).toBeUndefined();
    expect(
      listOf(failover, "aws_lambda_function").filter((f) =>
        String(f.function_name).endsWith("auto-promoter"),
      ),
    ).toEqual([]);
    expect(listOf(failover, "aws_ssm_parameter")).toEqual([]);
  });

  it("keeps the function, byte for byte, after promotion: the promoted apply changes no IAM role", () => {
    const resourcesOf = (promoted: boolean) => {
      const { json: failover } = failoverOf(
        configWith((c) => ({ ...c, failover: { ...c.failover, promoted } })),
      );
      const fn = listOf(failover, "aws_lambda_function").find((f) =>
        String(f.function_name).endsWith("auto-promoter"),
      );
      const roles = listOf(failover, "aws_iam_role_policy").map((p) => p.name);
      return { filename: fn?.filename, roles };
    };
    const before = resourcesOf(false);
    expect(before.filename).toBeDefined();
    expect(resourcesOf(true)).toEqual(before);
  });
});
