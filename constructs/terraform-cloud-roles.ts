import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct, type IConstruct } from "constructs";
import { buildContext, type CommonProps, type PolicyStatement, policyDocument } from "./common";
import { ConstructError } from "./stack-context";
import { terraformPlanStatements } from "./terraform-plan-policy";

/** What one Terraform Cloud workspace's stack is, as its roles must know it. */
export interface TerraformCloudWorkspace {
  /** The workspace's name: the `workspace:` part of the token's subject. */
  readonly name: string;
  /** Managed policies of the apply role: what this workspace's Terraform may change. */
  readonly policyArns: string[];
  /** IAM service prefixes the stack's resource types use (`ec2`, `rds`...): the apply role's ceiling. */
  readonly services: string[];
  /**
   * The IAM resources the workspace's stack manages (roles, instance profiles, policies, OIDC
   * providers), by exact ARN: the only IAM the apply role may change or pass.
   */
  readonly iamArns: string[];
  /** Managed policies the stack attaches to its own roles: the only ones the apply role may attach. */
  readonly attachablePolicyArns: string[];
  /** Regions of the stack's providers: regional calls anywhere else are denied to both roles. */
  readonly regions: string[];
  /**
   * Secrets the plan reads to refresh secret versions and secret lookups (ARNs or ARN patterns).
   * @default none
   */
  readonly secretArns?: string[];
}

export interface TerraformCloudRolesProps extends CommonProps {
  /** The IAM OIDC provider of the Terraform Cloud host. */
  readonly oidcProvider: { readonly arn: string; readonly host: string };
  readonly organization: string;
  /** The project holding the workspaces. */
  readonly project: string;
  /** Workspaces by a short id that goes into the role names, such as `primary`. */
  readonly workspaces: Readonly<Record<string, TerraformCloudWorkspace>>;
  /** Account and partition: the ARNs of the boundaries and of the keys behind the secrets. */
  readonly aws: { readonly accountId: string; readonly partition: string };
  /**
   * Audience of the workload identity token (`TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE`).
   * @default "aws.workload.identity"
   */
  readonly audience?: string;
}

export const TERRAFORM_CLOUD_AUDIENCE = "aws.workload.identity";
/** Subjects are `:`-separated and matched exactly: no part may hold a colon or a wildcard. */
const SUBJECT_PART = /^[A-Za-z0-9 ._-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * IAM writes, by verb. A wildcard on purpose: the boundary denies them outside the stack's own
 * IAM resources, and a verb list also covers write actions IAM adds later.
 */
export const IAM_WRITE_ACTIONS = [
  "iam:Add*",
  "iam:Attach*",
  "iam:Change*",
  "iam:Create*",
  "iam:Deactivate*",
  "iam:Delete*",
  "iam:Detach*",
  "iam:Enable*",
  "iam:PassRole",
  "iam:Put*",
  "iam:Remove*",
  "iam:Reset*",
  "iam:Resync*",
  "iam:Set*",
  "iam:Tag*",
  "iam:Untag*",
  "iam:Update*",
  "iam:Upload*",
];
/** Services without regions (their calls are signed for us-east-1): exempt from the region fence. */
export const GLOBAL_SERVICES = ["iam:*", "sts:*", "route53:*"];

/**
 * Two roles per Terraform Cloud workspace, for dynamic credentials with a role per run phase
 * (`TFC_AWS_PLAN_ROLE_ARN`, `TFC_AWS_APPLY_ROLE_ARN`): each trusts only its own workspace's
 * runs of its own phase. The plan role reads (a speculative plan from any branch, or a config
 * with a `data "external"`, gets read-only credentials); the apply role gets the workspace's own
 * managed policies, capped by a permissions boundary of its own that keeps its IAM changes to
 * its stack's roles, keeps its calls in its stack's regions, and forbids assuming roles. No
 * apply role may change these roles, their boundaries or the Terraform Cloud OIDC provider: an
 * administrator applies those (docs/delivery.md, "Bootstrap").
 */
export class TerraformCloudRoles extends Construct {
  /** Read-only roles, by the ids of `workspaces`. */
  readonly planRoles: Record<string, IamRole> = {};
  /** Apply roles, by the ids of `workspaces`. */
  readonly applyRoles: Record<string, IamRole> = {};
  /** The permissions boundary of each apply role. */
  readonly boundaries: Record<string, IamPolicy> = {};

  constructor(scope: Construct, id: string, props: TerraformCloudRolesProps) {
    super(scope, id);
    validate(this, props);
    const { aws } = props;
    const { naming, provider } = buildContext(this, {
      naming: props.naming,
      provider: props.provider,
    });
    for (const [key, workspace] of Object.entries(props.workspaces)) {
      const trust = (phase: "plan" | "apply") => trustPolicy(props, workspace.name, phase);

      const plan = new IamRole(this, `plan-${key}`, {
        provider,
        name: naming.name("iamRole", `tfc-${key}-plan`),
        description: `Terraform Cloud plans of ${props.organization}/${workspace.name} (read-only)`,
        assumeRolePolicy: trust("plan"),
      });
      new IamRolePolicy(this, `plan-${key}-reads`, {
        provider,
        name: "terraform-plan-reads",
        role: plan.id,
        policy: policyDocument(
          terraformPlanStatements({
            regions: workspace.regions,
            secretArns: workspace.secretArns ?? [],
            accountId: aws.accountId,
            partition: aws.partition,
          }),
        ),
      });
      this.planRoles[key] = plan;

      const boundary = new IamPolicy(this, `boundary-${key}`, {
        provider,
        name: naming.name("iamPolicy", `tfc-${key}-boundary`),
        description: `Ceiling of what Terraform Cloud applies of ${workspace.name} can do`,
        policy: policyDocument(boundaryStatements(workspace, aws)),
      });
      this.boundaries[key] = boundary;
      const apply = new IamRole(this, `apply-${key}`, {
        provider,
        name: naming.name("iamRole", `tfc-${key}-apply`),
        description: `Terraform Cloud applies of ${props.organization}/${workspace.name}`,
        assumeRolePolicy: trust("apply"),
        permissionsBoundary: boundary.arn,
      });
      workspace.policyArns.forEach((policyArn, i) => {
        new IamRolePolicyAttachment(this, `apply-${key}-policy-${i}`, {
          provider,
          role: apply.name,
          policyArn,
        });
      });
      this.applyRoles[key] = apply;
    }
  }
}

function trustPolicy(
  props: TerraformCloudRolesProps,
  workspace: string,
  phase: "plan" | "apply",
): string {
  const { host, arn } = props.oidcProvider;
  return policyDocument([
    {
      Sid: phase === "plan" ? "ThisWorkspacesPlansOnly" : "ThisWorkspacesAppliesOnly",
      Effect: "Allow",
      Principal: { Federated: arn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${host}:aud`]: props.audience ?? TERRAFORM_CLOUD_AUDIENCE,
          [`${host}:sub`]: `organization:${props.organization}:project:${props.project}:workspace:${workspace}:run_phase:${phase}`,
        },
      },
    },
  ]);
}

/**
 * The apply role's ceiling. A boundary grants nothing (the attached policies do); its Allow of
 * everything only lets them through, and its Deny statements hold whatever they say.
 */
export function boundaryStatements(
  workspace: TerraformCloudWorkspace,
  aws: TerraformCloudRolesProps["aws"],
): PolicyStatement[] {
  const attachable = workspace.attachablePolicyArns;
  return [
    {
      Sid: "CeilingForTheAttachedPolicies",
      Effect: "Allow",
      // A permissions boundary is a ceiling, not a grant: the services this stack uses, whatever
      // the attached policies say; the denies below cut it down. IAM as its verbs (reads, and the
      // writes the next statement confines to the stack's own IAM).
      Action: workspace.services.flatMap((s) =>
        s === "iam" ? ["iam:Get*", "iam:List*", ...IAM_WRITE_ACTIONS] : [`${s}:*`],
      ),
      Resource: "*",
    },
    {
      Sid: "NoIamChangesOutsideThisStack",
      Effect: "Deny",
      Action: IAM_WRITE_ACTIONS,
      // Service-linked roles: ECS, RDS and Application Auto Scaling create theirs on first use;
      // IAM itself refuses changes to their trust and permissions.
      NotResource: [
        ...workspace.iamArns,
        `arn:${aws.partition}:iam::${aws.accountId}:role/aws-service-role/*`,
      ],
    },
    {
      Sid: "OnlyTheManagedPoliciesThisStackAttaches",
      Effect: "Deny",
      Action: "iam:AttachRolePolicy",
      Resource: "*",
      ...(attachable.length > 0
        ? { Condition: { ArnNotEquals: { "iam:PolicyARN": attachable } } }
        : {}),
    },
    {
      Sid: "NoPermissionsBoundaryChanges",
      Effect: "Deny",
      Action: ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"],
      Resource: "*",
    },
    {
      Sid: "NoRoleHopping",
      Effect: "Deny",
      Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"],
      Resource: "*",
    },
    {
      Sid: "OnlyThisStacksRegions",
      Effect: "Deny",
      NotAction: GLOBAL_SERVICES,
      Resource: "*",
      Condition: { StringNotEquals: { "aws:RequestedRegion": workspace.regions } },
    },
  ];
}

function validate(scope: IConstruct, props: TerraformCloudRolesProps): void {
  const parts: [string, string][] = [
    ["organization", props.organization],
    ["project", props.project],
    ...Object.entries(props.workspaces).map(([k, w]): [string, string] => [
      `workspaces.${k}.name`,
      w.name,
    ]),
  ];
  for (const [field, value] of parts) {
    if (!SUBJECT_PART.test(value)) {
      throw new ConstructError(
        scope,
        `TerraformCloudRoles: ${field} "${value}" may hold only letters, digits, spaces, ., - and _; a colon or * would widen the trusted subject`,
      );
    }
  }
  if (Object.keys(props.workspaces).length === 0) {
    throw new ConstructError(
      scope,
      "TerraformCloudRoles: workspaces is empty; name the workspaces to trust",
    );
  }
  for (const [key, w] of Object.entries(props.workspaces)) {
    const at = `TerraformCloudRoles: workspaces.${key}`;
    if (w.services.length === 0 || w.services.some((x) => !/^[a-z0-9-]+$/.test(x))) {
      throw new ConstructError(
        scope,
        `${at}.services "${w.services.join(", ")}" must list the IAM service prefixes the stack uses, such as ec2, without wildcards`,
      );
    }
    if (w.policyArns.length === 0) {
      throw new ConstructError(
        scope,
        `${at}.policyArns is empty; list the managed policies its applies need (delivery.terraformCloud.policyArns.${key}), or the runs can change nothing`,
      );
    }
    if (w.regions.length === 0 || w.regions.some((r) => !REGION.test(r))) {
      throw new ConstructError(
        scope,
        `${at}.regions "${w.regions.join(", ")}" must list the stack's regions, such as us-east-1`,
      );
    }
    const wild = [...w.iamArns, ...w.attachablePolicyArns].find((a) => a.includes("*"));
    if (wild) {
      throw new ConstructError(
        scope,
        `${at}: "${wild}" contains "*"; name each IAM resource exactly, or the boundary admits more than the stack`,
      );
    }
  }
}
