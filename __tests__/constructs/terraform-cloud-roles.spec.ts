import {
  TerraformCloudRoles,
  type TerraformCloudRolesProps,
} from "../../constructs/terraform-cloud-roles";
import { listOf, policiesOf, synthJson, testStack } from "../helpers";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";

function build(patch: Partial<TerraformCloudRolesProps> = {}) {
  const { stack, naming } = testStack();
  new TerraformCloudRoles(stack, "tfc", {
    naming,
    oidcProvider: { arn: PROVIDER, host: "app.terraform.io" },
    organization: "acme",
    project: "Default Project",
    workspaces: { primary: "hello-you-test-primary", delivery: "hello-you-test-delivery" },
    policyArns: ["arn:aws:iam::123456789012:policy/hello-you-terraform"],
    ...patch,
  });
  return synthJson(stack);
}

describe("TerraformCloudRoles", () => {
  const json = build();

  it("gives each workspace a role trusting only its own plan and apply runs", () => {
    const roles = listOf(json, "aws_iam_role");
    expect(roles.map((r) => r.name).sort()).toEqual([
      "hello-you-test-use1-tfc-delivery",
      "hello-you-test-use1-tfc-primary",
    ]);
    const role = roles.find((r) => r.name === "hello-you-test-use1-tfc-primary")!;
    const primary = JSON.parse(String(role.assume_role_policy));
    expect(primary.Statement).toEqual([
      {
        Sid: "ThisWorkspacesRunsOnly",
        Effect: "Allow",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "app.terraform.io:aud": "aws.workload.identity",
            "app.terraform.io:sub": [
              "organization:acme:project:Default Project:workspace:hello-you-test-primary:run_phase:plan",
              "organization:acme:project:Default Project:workspace:hello-you-test-primary:run_phase:apply",
            ],
          },
        },
      },
    ]);
    expect(JSON.stringify(primary)).not.toContain("*");
  });

  it("attaches the configured policies to every role, and nothing inline", () => {
    const attachments = listOf(json, "aws_iam_role_policy_attachment");
    expect(attachments).toHaveLength(2);
    for (const a of attachments) {
      expect(a.policy_arn).toBe("arn:aws:iam::123456789012:policy/hello-you-terraform");
    }
    expect(listOf(json, "aws_iam_role_policy")).toEqual([]);
  });

  it("uses the configured audience", () => {
    const [trust] = policiesOf(
      build({ audience: "tfc.acme" }),
      "aws_iam_role",
      "assume_role_policy",
    );
    expect(trust.Statement[0].Condition).toMatchObject({
      StringEquals: { "app.terraform.io:aud": "tfc.acme" },
    });
  });

  it("refuses names that would widen the subject, and roles without permissions", () => {
    expect(() => build({ organization: "acme:project:*" })).toThrow(
      'TerraformCloudRoles: organization "acme:project:*" may hold only letters',
    );
    expect(() => build({ workspaces: { primary: "ws*" } })).toThrow(
      'TerraformCloudRoles: workspaces.primary "ws*"',
    );
    expect(() => build({ workspaces: {} })).toThrow("TerraformCloudRoles: workspaces is empty");
    expect(() => build({ policyArns: [] })).toThrow("TerraformCloudRoles: policyArns is empty");
  });
});
