import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformDataSource, TerraformResource, type TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { TerraformCloudWorkspace } from "../constructs/terraform-cloud-roles";

/** Where the ARNs are built: the account and partition of the stack that holds the roles. */
export interface ArnContext {
  readonly accountId: string;
  readonly partition: string;
}

/**
 * What a stack is, as its Terraform Cloud roles must know it, read from its construct tree: the
 * IAM it manages (exact ARNs), the AWS-managed policies it attaches, its providers' regions, and
 * the secrets its plan reads. Read from the tree rather than listed by hand, so a role added to a
 * stack is admitted to that stack's boundary, and to no other, by the next apply of `delivery`.
 * `exclude` leaves out subtrees another party manages (the Terraform Cloud roles themselves).
 */
export function workspaceScope(
  stack: TerraformStack,
  arns: ArnContext,
  secretsPrefix: string,
  exclude: readonly IConstruct[] = [],
): Omit<TerraformCloudWorkspace, "name" | "policyArns"> {
  const iam = (resource: string) => `arn:${arns.partition}:iam::${arns.accountId}:${resource}`;
  const iamArns = new Set<string>();
  const attachable = new Set<string>();
  const regions = new Set<string>();
  let readsSecrets = false;
  for (const c of stack.node.findAll()) {
    if (exclude.some((e) => c.node.scopes.includes(e))) continue;
    if (c instanceof IamRole) iamArns.add(iam(`role/${named(c, c.nameInput)}`));
    if (c instanceof IamInstanceProfile) {
      iamArns.add(iam(`instance-profile/${named(c, c.nameInput)}`));
    }
    if (c instanceof IamPolicy) iamArns.add(iam(`policy/${named(c, c.nameInput)}`));
    if (c instanceof IamOpenidConnectProvider) {
      iamArns.add(iam(`oidc-provider/${named(c, c.urlInput).replace(/^https:\/\//, "")}`));
    }
    if (c instanceof IamRolePolicyAttachment) attachable.add(awsManaged(c, arns));
    if (c instanceof AwsProvider) regions.add(named(c, c.regionInput));
    if (
      (c instanceof TerraformResource || c instanceof TerraformDataSource) &&
      c.terraformResourceType.startsWith("aws_secretsmanager_secret")
    ) {
      readsSecrets = true;
    }
  }
  const regionList = [...regions].sort();
  return {
    iamArns: [...iamArns].sort(),
    attachablePolicyArns: [...attachable].sort(),
    regions: regionList,
    secretArns: readsSecrets
      ? regionList.map(
          (r) =>
            `arn:${arns.partition}:secretsmanager:${r}:${arns.accountId}:secret:${secretsPrefix}-*`,
        )
      : [],
  };
}

/** A name the boundary can hold: a plain string known at synth, not a reference. */
function named(c: IConstruct, value: string | undefined): string {
  if (!value || value.includes("${")) {
    throw new Error(
      `workspaceScope: ${c.node.path} has no fixed name; give it one (naming.name) so the workspace's boundary can name it exactly`,
    );
  }
  return value;
}

/**
 * An attachment's policy as an ARN of this partition. The stacks attach AWS-managed policies
 * only (`arn:<partition>:iam::aws:policy/...`), built with their own stack's partition lookup,
 * which must not leak into another stack as a cross-stack reference: keep the policy's path.
 */
function awsManaged(c: IamRolePolicyAttachment, arns: ArnContext): string {
  const path = /:iam::aws:(policy\/.+)$/.exec(c.policyArnInput ?? "")?.[1];
  if (!path) {
    throw new Error(
      `workspaceScope: ${c.node.path} attaches "${c.policyArnInput}", not an AWS-managed policy; the workspace boundary admits only those (or extend workspaceScope)`,
    );
  }
  return `arn:${arns.partition}:iam::aws:${path}`;
}
