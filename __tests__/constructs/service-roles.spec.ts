import { EncryptionKey } from "../../constructs/encryption-key";
import { ServiceRoles, type ServiceRolesProps } from "../../constructs/service-roles";
import { listOf, policiesOf, synthJson, testStack } from "../helpers";

function build(patch: Partial<ServiceRolesProps> = {}) {
  const { stack, naming, aws } = testStack();
  const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
  new ServiceRoles(stack, "roles", {
    naming,
    kmsKey,
    aws,
    secretArns: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"],
    logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app",
    enableExecuteCommand: false,
    ...patch,
  });
  return synthJson(stack);
}

describe("ServiceRoles", () => {
  it("creates an execution role and a task role trusted by ECS tasks of this account only", () => {
    const json = build();
    expect(listOf(json, "aws_iam_role").map((r) => r.name)).toEqual([
      "hello-you-test-use1-task-execution",
      "hello-you-test-use1-task",
    ]);
    for (const trust of policiesOf(json, "aws_iam_role", "assume_role_policy")) {
      expect(trust.Statement[0]).toMatchObject({
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Condition: {
          StringEquals: { "aws:SourceAccount": expect.stringContaining("aws_caller_identity") },
        },
      });
    }
  });

  it("gives the task role no policy unless ECS Exec is on", () => {
    expect(listOf(build(), "aws_iam_role_policy")).toHaveLength(1);
    const exec = policiesOf(build({ enableExecuteCommand: true }), "aws_iam_role_policy").find(
      (p) => p.Statement.some((s) => s.Sid === "EcsExecChannels"),
    )!;
    const wildcards = exec.Statement.filter((s) => s.Resource === "*").map((s) => s.Sid);
    expect(wildcards).toEqual(["EcsExecChannels", "FindExecLogGroup"]);
  });

  it("uses a wildcard for ECR only where AWS requires it", () => {
    const json = build({ ecrRepositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/app" });
    const statements = policiesOf(json, "aws_iam_role_policy").flatMap((p) => p.Statement);
    expect(statements.filter((s) => s.Resource === "*").map((s) => s.Action)).toEqual([
      "ecr:GetAuthorizationToken",
    ]);
  });

  it("requires at least one secret", () => {
    expect(() => build({ secretArns: [] })).toThrow("ServiceRoles: secretArns is empty");
  });
});
