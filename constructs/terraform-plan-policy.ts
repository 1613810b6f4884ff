import type { PolicyStatement } from "./common";

/** What a plan of one stack reads, and where. */
export interface TerraformPlanReads {
  /** Regions of the stack's providers: regional reads elsewhere are not granted. */
  readonly regions: string[];
  /** Secrets whose values the refresh reads (secret versions, secret lookups). */
  readonly secretArns: string[];
  readonly accountId: string;
  readonly partition: string;
}

/**
 * The reads `terraform plan` makes when it refreshes the stacks' resource types and data
 * sources. Verb wildcards (Describe*, List*, Get*) on purpose: each resource type's refresh calls
 * a handful of them, most without resource-level permissions, and a verb list keeps up with the
 * provider. Every pattern is checked against the service authorization reference: it matches
 * Read or List actions only (__tests__/constructs/terraform-plan-policy.spec.ts). Object reads
 * (`s3:GetObject`) are not among them: a plan reads no bucket's contents.
 */
export const REGIONAL_READS = [
  "acm:DescribeCertificate",
  "acm:GetCertificate",
  "acm:ListTagsForCertificate",
  "application-autoscaling:Describe*",
  "application-autoscaling:ListTagsForResource",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:GetDashboard",
  "cloudwatch:ListTagsForResource",
  "ec2:Describe*",
  "ecs:Describe*",
  "ecs:List*",
  "elasticloadbalancing:Describe*",
  "events:Describe*",
  "events:ListTagsForResource",
  "events:ListTargetsByRule",
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListResourceTags",
  "logs:Describe*",
  "logs:ListTagsForResource",
  "logs:ListTagsLogGroup",
  "rds:Describe*",
  "rds:ListTagsForResource",
  "s3:GetAccelerateConfiguration",
  "s3:GetBucket*",
  "s3:GetEncryptionConfiguration",
  "s3:GetLifecycleConfiguration",
  "s3:GetReplicationConfiguration",
  "s3:ListBucket",
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetResourcePolicy",
  "sns:GetSubscriptionAttributes",
  "sns:GetTopicAttributes",
  "sns:ListSubscriptionsByTopic",
  "sns:ListTagsForResource",
  "ssm:DescribeDocument",
  "ssm:DescribeDocumentPermission",
  "ssm:DescribeParameters",
  "ssm:GetDocument",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:ListTagsForResource",
  "wafv2:Get*",
  "wafv2:List*",
];

/** Reads of services without regions (signed for us-east-1 whatever the provider's region). */
export const GLOBAL_READS = ["iam:Get*", "iam:List*", "route53:Get*", "route53:List*"];

/** The plan role's statements: reads only, in the stack's regions, and its own secrets. */
export function terraformPlanStatements(reads: TerraformPlanReads): PolicyStatement[] {
  const { regions, secretArns, accountId, partition } = reads;
  const statements: PolicyStatement[] = [
    {
      Sid: "RefreshReadsInThisStacksRegions",
      Effect: "Allow",
      // Most Describe/List calls have no resource-level permission: AWS requires "*".
      Action: REGIONAL_READS,
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": regions } },
    },
    {
      Sid: "RefreshReadsOfGlobalServices",
      Effect: "Allow",
      // IAM and Route53 reads of the stack's roles, zones and records; their ids are not all
      // known before they exist, and reading the account's IAM is not a secret's worth.
      Action: GLOBAL_READS,
      Resource: "*",
    },
  ];
  if (secretArns.length === 0) return statements;
  return [
    ...statements,
    {
      Sid: "ReadThisStacksSecretsForRefresh",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: secretArns,
    },
    {
      Sid: "DecryptThemThroughSecretsManagerOnly",
      Effect: "Allow",
      Action: "kms:Decrypt",
      // The customer-managed keys' ids are random; the ViaService condition limits the use to
      // Secrets Manager reading the secrets above in the stack's regions.
      Resource: regions.map((r) => `arn:${partition}:kms:${r}:${accountId}:key/*`),
      Condition: {
        StringEquals: {
          "kms:ViaService": regions.map((r) => `secretsmanager.${r}.amazonaws.com`),
        },
      },
    },
  ];
}
