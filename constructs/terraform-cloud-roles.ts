import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct, type IConstruct } from "constructs";
import { type CommonProps, policyDocument, buildContext } from "./common";
import { ConstructError } from "./stack-context";

export interface TerraformCloudRolesProps extends CommonProps {
  /** The IAM OIDC provider of the Terraform Cloud host. */
  readonly oidcProvider: { readonly arn: string; readonly host: string };
  readonly organization: string;
  /** The project holding the workspaces. */
  readonly project: string;
  /** Workspace names by a short id that goes into the role name, such as `primary`. */
  readonly workspaces: Readonly<Record<string, string>>;
  /** Managed policies every role gets: what Terraform may do in the account. */
  readonly policyArns: string[];
  /**
   * Audience of the workload identity token (`TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE`).
   * @default "aws.workload.identity"
   */
  readonly audience?: string;
}

export const TERRAFORM_CLOUD_AUDIENCE = "aws.workload.identity";
const RUN_PHASES = ["plan", "apply"] as const;
/** Subjects are `:`-separated and matched exactly: no part may hold a colon or a wildcard. */
const SUBJECT_PART = /^[A-Za-z0-9 ._-]+$/;

/**
 * One role per Terraform Cloud workspace, for dynamic credentials: a run assumes its
 * workspace's role with the token Terraform Cloud signs for it. The trust names the
 * organization, project, workspace and both run phases exactly, so no other workspace (and no
 * other organization on the same host) can assume it.
 */
export class TerraformCloudRoles extends Construct {
  /** Roles by the ids of `workspaces`. */
  readonly roles: Record<string, IamRole>;

  constructor(scope: Construct, id: string, props: TerraformCloudRolesProps) {
    super(scope, id);
    validate(this, props);
    const { oidcProvider, organization, project } = props;
    const { naming, provider } = buildContext(this, props);
    const host = oidcProvider.host;
    this.roles = {};
    for (const [key, workspace] of Object.entries(props.workspaces)) {
      const subjects = RUN_PHASES.map(
        (phase) =>
          `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:${phase}`,
      );
      const role = new IamRole(this, `role-${key}`, {
        provider,
        name: naming.name("iamRole", `tfc-${key}`),
        description: `Terraform Cloud runs of ${organization}/${workspace} (plan and apply)`,
        assumeRolePolicy: policyDocument([
          {
            Sid: "ThisWorkspacesRunsOnly",
            Effect: "Allow",
            Principal: { Federated: oidcProvider.arn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${host}:aud`]: props.audience ?? TERRAFORM_CLOUD_AUDIENCE,
                [`${host}:sub`]: subjects,
              },
            },
          },
        ]),
      });
      props.policyArns.forEach((policyArn, i) => {
        new IamRolePolicyAttachment(this, `policy-${key}-${i}`, {
          provider,
          role: role.name,
          policyArn,
        });
      });
      this.roles[key] = role;
    }
  }
}

function validate(scope: IConstruct, props: TerraformCloudRolesProps): void {
  const parts: [string, string][] = [
    ["organization", props.organization],
    ["project", props.project],
    ...Object.entries(props.workspaces).map(([k, w]): [string, string] => [`workspaces.${k}`, w]),
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
  if (props.policyArns.length === 0) {
    throw new ConstructError(
      scope,
      "TerraformCloudRoles: policyArns is empty; a role without permissions cannot run Terraform",
    );
  }
}
