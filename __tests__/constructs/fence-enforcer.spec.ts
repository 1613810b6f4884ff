import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  FENCE_ENFORCER_CODE,
  FenceEnforcer,
  type FenceEnforcerProps,
} from "../../constructs/fence-enforcer";
import { EncryptionKey } from "../../constructs/encryption-key";
import { FENCE_PATH } from "../../naming/recovery";
import { listOf, synthJson, testStack } from "../helpers";

const TARGET_ARN =
  "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0ec1234567890";

function build(patch: Partial<FenceEnforcerProps> = {}) {
  const { stack, naming, aws } = testStack("us-east-1");
  const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
  new FenceEnforcer(stack, "fence-enforcer", {
    naming,
    aws,
    kmsKey,
    clusterName: "c",
    serviceName: "s",
    scalableTargetArn: TARGET_ARN,
    fenceLocationParameter: "/hello-you/test/dr/fence-location",
    fencePath: FENCE_PATH,
    tlsServerName: "api.example.com",
    logRetentionDays: 30,
    ...patch,
  });
  return synthJson(stack);
}

describe("FenceEnforcer", () => {
  it("ships the handler folder as it is (no build step, no download)", () => {
    expect(existsSync(join(FENCE_ENFORCER_CODE, "index.js"))).toBe(true);
  });

  it("is a Node function told where the fence is and which service to hold at zero", () => {
    const [fn] = listOf(build(), "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "hello-you-test-use1-fence-enforcer",
      runtime: "nodejs22.x",
      handler: "index.handler",
      timeout: 30,
      environment: {
        variables: {
          FENCE_LOCATION_PARAMETER: "/hello-you/test/dr/fence-location",
          FENCE_PATH,
          FENCE_PROTOCOL: "https:",
          FENCE_SERVER_NAME: "api.example.com",
          CLUSTER_NAME: "c",
          SERVICE_NAME: "s",
        },
      },
    });
    expect(fn.filename).toEqual(expect.stringContaining("archive.zip"));
    expect(fn.source_code_hash).toEqual(expect.stringContaining("filebase64sha256"));
  });

  it("reads the fence over plain HTTP when there is no TLS name (no DNS zone)", () => {
    const [fn] = listOf(build({ tlsServerName: undefined }), "aws_lambda_function");
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    expect(variables.FENCE_PROTOCOL).toBe("http:");
    expect(variables).not.toHaveProperty("FENCE_SERVER_NAME");
  });

  it("runs every minute, invoked only by its own schedule", () => {
    const json = build();
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

  it("may change exactly one scalable target and one service, and read one parameter", () => {
    const [policy] = listOf(build(), "aws_iam_role_policy");
    const statements = JSON.parse(policy.policy as string).Statement as {
      Sid: string;
      Action: string | string[];
      Resource: string;
    }[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.SetThisServicesBounds).toMatchObject({
      Action: "application-autoscaling:RegisterScalableTarget",
      Resource: TARGET_ARN,
    });
    expect(bySid.ReadAndStopThisService.Resource).toMatch(/:ecs:.*:service\/c\/s$/);
    expect(bySid.ReadWhereTheFenceIs.Resource).toMatch(
      /:ssm:.*:parameter\/hello-you\/test\/dr\/fence-location$/,
    );
    // The one wildcard: DescribeScalableTargets has no resource-level permissions.
    expect(statements.filter((s) => s.Resource === "*").map((s) => s.Action)).toEqual([
      "application-autoscaling:DescribeScalableTargets",
    ]);
  });

  it.each([
    [{ scheduleMinutes: 0 }, "scheduleMinutes 0 must be a whole number from 1 to 5"],
    [{ scheduleMinutes: 10 }, "scheduleMinutes 10 must be a whole number from 1 to 5"],
    [{ fenceLocationParameter: "dr/fence" }, 'fenceLocationParameter "dr/fence" must be a path'],
  ])("refuses %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });
});
