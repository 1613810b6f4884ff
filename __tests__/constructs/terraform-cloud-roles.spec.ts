import {
  type TerraformCloudWorkspace,
  TerraformCloudRoles,
  type TerraformCloudRolesProps,
} from "../../constructs/terraform-cloud-roles";
import { ACCOUNT, decide, type Principal, sessionOf } from "../iam-simulator";
import { listOf, synthJson, testStack } from "../helpers";

const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/app.terraform.io`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

/** Two workspaces as the delivery stack describes them: region A's and delivery's. */
const PRIMARY: TerraformCloudWorkspace = {
  name: "hello-you-test-primary",
  policyArns: [`arn:aws:iam::${ACCOUNT}:policy/hello-you-terraform-primary`],
  services: ["ec2", "ecs", "iam", "rds", "secretsmanager", "sts"],
  iamArns: [role("hello-you-test-use1-task"), role("hello-you-test-use1-bastion")],
  attachablePolicyArns: [SSM_CORE],
  regions: ["us-east-1"],
  secretArns: [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hello-you-test-*`],
};
const DELIVERY: TerraformCloudWorkspace = {
  name: "hello-you-test-delivery",
  policyArns: [`arn:aws:iam::${ACCOUNT}:policy/hello-you-terraform-delivery`],
  services: ["iam", "sts"],
  iamArns: [role("hello-you-test-use1-github-deploy")],
  attachablePolicyArns: [],
  regions: ["us-east-1"],
};

function build(patch: Partial<TerraformCloudRolesProps> = {}) {
  const { stack, naming } = testStack();
  new TerraformCloudRoles(stack, "tfc", {
    naming,
    aws: { accountId: ACCOUNT, partition: "aws" },
    oidcProvider: { arn: PROVIDER, host: "app.terraform.io" },
    organization: "acme",
    project: "Default Project",
    workspaces: { primary: PRIMARY, delivery: DELIVERY },
    ...patch,
  });
  return synthJson(stack);
}

const json = build();
const roles = listOf(json, "aws_iam_role");
const roleNamed = (name: string) => roles.find((r) => r.name === name)!;
const parse = (text: unknown) => JSON.parse(String(text)) as { Statement: unknown[] };
const boundaryOf = (key: string) =>
  parse(
    listOf(json, "aws_iam_policy").find(
      (p) => p.name === `hello-you-test-use1-tfc-${key}-boundary`,
    )!.policy,
  );
const planPolicy = parse(
  listOf(json, "aws_iam_role_policy").find((p) => String(p.role).includes("plan-primary"))!.policy,
);

/** The plan role of `primary`, as IAM sees it. */
const planRole: Principal = {
  arn: sessionOf("hello-you-test-use1-tfc-primary-plan"),
  policies: { "terraform-plan-reads": planPolicy },
};
/**
 * An apply role whose workspace was given the widest policy there is: the boundary alone must
 * hold what the issue asks (no IAM outside its stack, no role hopping, its regions only).
 */
const applyRole = (key: string): Principal => ({
  arn: sessionOf(`hello-you-test-use1-tfc-${key}-apply`),
  policies: {
    admin: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
  boundary: boundaryOf(key),
});
const inA = { "aws:RequestedRegion": "us-east-1" };
const inB = { "aws:RequestedRegion": "us-west-2" };
const iamRegion = { "aws:RequestedRegion": "us-east-1" };

describe("TerraformCloudRoles", () => {
  it("gives each workspace a plan role and an apply role, each trusting its own run phase only", () => {
    expect(roles.map((r) => r.name).sort()).toEqual([
      "hello-you-test-use1-tfc-delivery-apply",
      "hello-you-test-use1-tfc-delivery-plan",
      "hello-you-test-use1-tfc-primary-apply",
      "hello-you-test-use1-tfc-primary-plan",
    ]);
    const subject = (name: string) => {
      const trust = parse(roleNamed(name).assume_role_policy) as {
        Statement: { Condition: { StringEquals: Record<string, string> } }[];
      };
      expect(trust.Statement).toHaveLength(1);
      expect(JSON.stringify(trust)).not.toContain("*");
      return trust.Statement[0].Condition.StringEquals;
    };
    const ws = "organization:acme:project:Default Project:workspace:hello-you-test-primary";
    expect(subject("hello-you-test-use1-tfc-primary-plan")).toEqual({
      "app.terraform.io:aud": "aws.workload.identity",
      "app.terraform.io:sub": `${ws}:run_phase:plan`,
    });
    expect(subject("hello-you-test-use1-tfc-primary-apply")).toEqual({
      "app.terraform.io:aud": "aws.workload.identity",
      "app.terraform.io:sub": `${ws}:run_phase:apply`,
    });
  });

  it("attaches each workspace's own policies to its apply role only, under its own boundary", () => {
    const attachments = listOf(json, "aws_iam_role_policy_attachment").map((a) => [
      String(a.role),
      a.policy_arn,
    ]);
    expect(attachments).toEqual(
      expect.arrayContaining([
        [expect.stringContaining("apply-primary"), PRIMARY.policyArns[0]],
        [expect.stringContaining("apply-delivery"), DELIVERY.policyArns[0]],
      ]),
    );
    expect(attachments).toHaveLength(2);
    expect(roleNamed("hello-you-test-use1-tfc-primary-apply").permissions_boundary).toContain(
      "aws_iam_policy.tfc_boundary-primary",
    );
    expect(roleNamed("hello-you-test-use1-tfc-primary-plan").permissions_boundary).toBeUndefined();
  });

  describe("the plan role cannot write", () => {
    it.each([
      ["read a VPC in its region", "ec2:DescribeVpcs", "*", inA],
      ["read a role", "iam:GetRole", role("hello-you-test-use1-task"), iamRegion],
      [
        "read this environment's secret to refresh it",
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hello-you-test-use1-database-AbCdEf`,
        inA,
      ],
    ])("allows: %s", async (_what, action, resource, context) => {
      expect(await decide(planRole, action, resource, context)).toBe("Allowed");
    });

    it.each([
      ["create a VPC", "ec2:CreateVpc", "*", inA],
      [
        "roll out a service",
        "ecs:UpdateService",
        `arn:aws:ecs:us-east-1:${ACCOUNT}:service/c/s`,
        inA,
      ],
      ["delete the database", "rds:DeleteDBInstance", `arn:aws:rds:us-east-1:${ACCOUNT}:db:x`, inA],
      [
        "write a secret",
        "secretsmanager:PutSecretValue",
        `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hello-you-test-use1-database-AbCdEf`,
        inA,
      ],
      [
        "read another environment's secret",
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:hello-you-prod-use1-database-AbCdEf`,
        inA,
      ],
      [
        "widen a role",
        "iam:PutRolePolicy",
        role("hello-you-test-use1-tfc-primary-plan"),
        iamRegion,
      ],
      ["attach a policy", "iam:AttachRolePolicy", role("hello-you-test-use1-task"), iamRegion],
      ["assume another role", "sts:AssumeRole", role("admin"), iamRegion],
      [
        "read objects such as another state",
        "s3:GetObject",
        "arn:aws:s3:::state-bucket/primary.tfstate",
        inA,
      ],
      [
        "write a DNS record",
        "route53:ChangeResourceRecordSets",
        "arn:aws:route53:::hostedzone/Z1",
        iamRegion,
      ],
      [
        "decrypt outside Secrets Manager",
        "kms:Decrypt",
        `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`,
        inA,
      ],
      ["read in a region that is not its stack's", "ec2:DescribeVpcs", "*", inB],
    ])("denies: %s", async (_what, action, resource, context) => {
      expect(await decide(planRole, action, resource, context)).toBe("ImplicitlyDenied");
    });
  });

  describe("an apply role's boundary", () => {
    it.each([
      [
        "change its stack's own role",
        "primary",
        "iam:PutRolePolicy",
        role("hello-you-test-use1-task"),
      ],
      ["pass its stack's own role", "primary", "iam:PassRole", role("hello-you-test-use1-task")],
      [
        "create a service-linked role",
        "primary",
        "iam:CreateServiceLinkedRole",
        role("aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
      ],
      [
        "change the deploy role from delivery",
        "delivery",
        "iam:PutRolePolicy",
        role("hello-you-test-use1-github-deploy"),
      ],
    ])("allows: %s (%s)", async (_what, key, action, resource) => {
      expect(await decide(applyRole(key), action, resource, iamRegion)).toBe("Allowed");
    });

    it.each([
      [
        "widen its own role",
        "primary",
        "iam:PutRolePolicy",
        role("hello-you-test-use1-tfc-primary-apply"),
      ],
      [
        "rewrite its own trust",
        "delivery",
        "iam:UpdateAssumeRolePolicy",
        role("hello-you-test-use1-tfc-delivery-apply"),
      ],
      [
        "widen another workspace's role",
        "delivery",
        "iam:AttachRolePolicy",
        role("hello-you-test-use1-tfc-primary-apply"),
      ],
      [
        "change another stack's role",
        "primary",
        "iam:PutRolePolicy",
        role("hello-you-test-use1-github-deploy"),
      ],
      [
        "change a role of the account",
        "primary",
        "iam:PutRolePolicy",
        role("OrganizationAccountAccessRole"),
      ],
      ["create a role outside its stack", "primary", "iam:CreateRole", role("escalate")],
      ["create a user", "primary", "iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/escalate`],
      [
        "create a policy",
        "primary",
        "iam:CreatePolicyVersion",
        `arn:aws:iam::${ACCOUNT}:policy/hello-you-test-use1-tfc-primary-boundary`,
      ],
      [
        "drop its boundary",
        "primary",
        "iam:DeleteRolePermissionsBoundary",
        role("hello-you-test-use1-tfc-primary-apply"),
      ],
      [
        "pass a role of another stack",
        "primary",
        "iam:PassRole",
        role("hello-you-test-use1-github-deploy"),
      ],
      ["assume another role", "primary", "sts:AssumeRole", role("admin")],
    ])("denies: %s (%s)", async (_what, key, action, resource) => {
      expect(await decide(applyRole(key), action, resource, iamRegion)).toBe("ExplicitlyDenied");
    });

    it("lets its stack attach the AWS-managed policies it uses, and no other", async () => {
      const task = role("hello-you-test-use1-task");
      const attach = (policy: string) =>
        decide(applyRole("primary"), "iam:AttachRolePolicy", task, {
          ...iamRegion,
          "iam:PolicyARN": policy,
        });
      expect(await attach(SSM_CORE)).toBe("Allowed");
      expect(await attach(ADMIN)).toBe("ExplicitlyDenied");
      expect(
        await decide(
          applyRole("delivery"),
          "iam:AttachRolePolicy",
          role("hello-you-test-use1-github-deploy"),
          {
            ...iamRegion,
            "iam:PolicyARN": SSM_CORE,
          },
        ),
      ).toBe("ExplicitlyDenied");
    });

    it("caps it to the services its stack uses, whatever its policies grant", async () => {
      expect(await decide(applyRole("primary"), "rds:CreateDBInstance", "*", inA)).toBe("Allowed");
      expect(await decide(applyRole("primary"), "lambda:CreateFunction", "*", inA)).toBe(
        "ImplicitlyDenied",
      );
      expect(await decide(applyRole("delivery"), "ec2:CreateVpc", "*", inA)).toBe(
        "ImplicitlyDenied",
      );
      expect(
        await decide(applyRole("primary"), "organizations:LeaveOrganization", "*", iamRegion),
      ).toBe("ImplicitlyDenied");
    });

    it("keeps regional calls in its stack's regions", async () => {
      expect(await decide(applyRole("primary"), "ec2:CreateVpc", "*", inA)).toBe("Allowed");
      expect(await decide(applyRole("primary"), "ec2:CreateVpc", "*", inB)).toBe(
        "ExplicitlyDenied",
      );
    });
  });

  it("uses the configured audience", () => {
    const [trust] = listOf(build({ audience: "tfc.acme" }), "aws_iam_role").map((r) =>
      parse(r.assume_role_policy),
    );
    expect(JSON.stringify(trust)).toContain('"app.terraform.io:aud":"tfc.acme"');
  });

  it("refuses names that would widen the subject, and workspaces it cannot confine", () => {
    expect(() => build({ organization: "acme:project:*" })).toThrow(
      'TerraformCloudRoles: organization "acme:project:*" may hold only letters',
    );
    expect(() => build({ workspaces: { primary: { ...PRIMARY, name: "ws*" } } })).toThrow(
      'TerraformCloudRoles: workspaces.primary.name "ws*"',
    );
    expect(() => build({ workspaces: {} })).toThrow("TerraformCloudRoles: workspaces is empty");
    expect(() => build({ workspaces: { primary: { ...PRIMARY, policyArns: [] } } })).toThrow(
      "TerraformCloudRoles: workspaces.primary.policyArns is empty; list the managed policies its applies need (delivery.terraformCloud.policyArns.primary)",
    );
    expect(() =>
      build({ workspaces: { primary: { ...PRIMARY, iamArns: [role("hello-you-*")] } } }),
    ).toThrow(
      'TerraformCloudRoles: workspaces.primary: "arn:aws:iam::123456789012:role/hello-you-*" contains "*"',
    );
    expect(() => build({ workspaces: { primary: { ...PRIMARY, regions: [] } } })).toThrow(
      "TerraformCloudRoles: workspaces.primary.regions",
    );
    expect(() => build({ workspaces: { primary: { ...PRIMARY, services: ["*"] } } })).toThrow(
      'TerraformCloudRoles: workspaces.primary.services "*" must list the IAM service prefixes',
    );
  });
});
