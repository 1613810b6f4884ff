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
 * The IAM service of each AWS resource or data-source type the stacks use, by type prefix
 * (longest first wins); `null` for lookups that call no API. A type missing here stops synth
 * with its name: the apply role's ceiling would otherwise lack the service.
 */
const SERVICE_OF_TYPE: readonly [string, string | null][] = [
  ["aws_acm_", "acm"],
  ["aws_appautoscaling_", "application-autoscaling"],
  ["aws_availability_zones", "ec2"],
  ["aws_caller_identity", "sts"],
  ["aws_cloudwatch_event_", "events"],
  ["aws_cloudwatch_log_", "logs"],
  ["aws_cloudwatch_", "cloudwatch"],
  ["aws_db_", "rds"],
  ["aws_default_security_group", "ec2"],
  ["aws_ecr_", "ecr"],
  ["aws_ecs_", "ecs"],
  ["aws_eip", "ec2"],
  ["aws_elb_service_account", null],
  ["aws_flow_log", "ec2"],
  ["aws_iam_", "iam"],
  ["aws_instance", "ec2"],
  ["aws_internet_gateway", "ec2"],
  ["aws_kms_", "kms"],
  ["aws_lambda_", "lambda"],
  ["aws_lb", "elasticloadbalancing"],
  ["aws_nat_gateway", "ec2"],
  ["aws_network_acl", "ec2"],
  ["aws_partition", null],
  ["aws_region", null],
  ["aws_route53_", "route53"],
  ["aws_route", "ec2"],
  ["aws_s3_", "s3"],
  ["aws_secretsmanager_", "secretsmanager"],
  ["aws_security_group", "ec2"],
  ["aws_sns_", "sns"],
  ["aws_ssm_", "ssm"],
  ["aws_subnet", "ec2"],
  ["aws_vpc", "ec2"],
  ["aws_wafv2_", "wafv2"],
];

function serviceOf(type: string): string | null {
  const match = SERVICE_OF_TYPE.filter(([prefix]) => type.startsWith(prefix)).sort(
    (a, b) => b[0].length - a[0].length,
  )[0];
  if (!match) {
    throw new Error(
      `workspaceScope: no IAM service known for ${type}; add it to SERVICE_OF_TYPE (stacks/workspace-scope.ts) so the workspace's apply role may use it`,
    );
  }
  return match[1];
}

/**
 * What a stack is, as its Terraform Cloud roles must know it, read from its construct tree: the
 * AWS services its resource types use, the IAM it manages (exact ARNs), the AWS-managed policies
 * it attaches, its providers' regions, and the secrets its plan reads. Read from the tree rather than listed by hand, so a role added to a
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
  const services = new Set<string>();
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
      c.terraformResourceType.startsWith("aws_")
    ) {
      const service = serviceOf(c.terraformResourceType);
      if (service) services.add(service);
      if (service === "secretsmanager") readsSecrets = true;
    }
  }
  const regionList = [...regions].sort();
  return {
    services: [...services].sort(),
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
