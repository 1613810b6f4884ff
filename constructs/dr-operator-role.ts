import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { NameCatalogue } from "../naming/catalogue";
import {
  type CommonProps,
  ECS_UPDATE_WITHOUT_EXEC_OR_NETWORK,
  type PolicyStatement,
  policyDocument,
  buildContext,
} from "./common";

/** Region B's resources that `npm run dr` reads or changes, by exact ARN. */
export interface DrTargets {
  /** The cross-region replica `promote` promotes. */
  readonly replicaArn: string;
  /** The fence rule on B's ALB: the one listener rule `promote` modifies. */
  readonly fenceRuleArn: string;
  /** B's connection secret, repointed at the promoted replica. */
  readonly failoverConnectionSecretArn: string;
  /** The replica of A's connection secret that B keeps: read, never written. */
  readonly primaryConnectionSecretArn: string;
  /** B's customer-managed key, which encrypts B's secret and A's endpoint parameter. */
  readonly keyArn: string;
  /** The key in B that encrypts B's copy of A's connection secret. */
  readonly replicaKeyArn: string;
  /** B's ECS service: scaled up and restarted. */
  readonly serviceArn: string;
  /** The service's Application Auto Scaling target: its minimum raised to the primary's. */
  readonly scalableTargetArn: string;
  /** The audit trail's log group. */
  readonly auditLogGroupArn: string;
  /** The SSM parameter holding A's ALB name (written by `link`). */
  readonly primaryEndpointParameterArn: string;
  /**
   * The repository of B's image cache that B's tasks pull from: `dr status` asks whether it holds
   * the image they run.
   * @default undefined: B pulls from upstream, and the role reads no ECR repository
   */
  readonly imageCacheRepositoryArn?: string;
  /** B's `primary-unreachable` alarm: how long A has been failing, as B sees it. */
  readonly primaryUnreachableAlarmArn: string;
  /**
   * Region A's writer: the promote guard's one read in region A (is A's writer still there?), so
   * that an access error is never mistaken for "A's API is down".
   */
  readonly primaryWriterArn: string;
}

export interface DrOperatorRoleProps extends CommonProps {
  /** Account and partition: who may assume the role (the account's IAM decides who). */
  readonly aws: { readonly accountId: string; readonly partition: string };
  /** Region B: every call the role may make is signed for it. */
  readonly region: string;
  readonly targets: DrTargets;
  /**
   * Longest session, in seconds: a promotion waits minutes for RDS.
   * @default 3600
   */
  readonly maxSessionSeconds?: number;
}

/**
 * Actions `npm run dr` calls that have no resource-level permission (scripts/dr/sdk-*.ts):
 * listing B's load balancer, listeners, rules, target groups and health, the VPC and its
 * peerings, the scaling targets, the replica-lag metric, the automated backups and the service's
 * task definition.
 */
export const DR_READS_WITHOUT_RESOURCES = [
  "application-autoscaling:DescribeScalableTargets",
  "cloudwatch:GetMetricStatistics",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeVpcs",
  "ecs:DescribeTaskDefinition",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
  "rds:DescribeDBInstanceAutomatedBackups",
];

/**
 * The role an operator assumes to run `npm run dr` (status, promote) in region B: exactly the
 * calls the tool makes, on the exact resources they touch, signed for region B only. It can flip
 * the fence rule and nothing else on the ALB, promote the replica and nothing else in RDS,
 * rewrite B's connection secret and only read A's copy, scale and restart B's service (without
 * turning on ECS Exec or touching its network), and write the audit trail. Its trust names the
 * account: the account's IAM (a permission set, a group) grants `sts:AssumeRole` on it to the
 * people on call (docs/security.md).
 */
export class DrOperatorRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  /** The role's name, known at synth: what its sessions' ARNs carry. */
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: DrOperatorRoleProps) {
    super(scope, id);
    validate(props);
    const { aws } = props;
    const { naming, provider } = buildContext(this, {
      naming: props.naming,
      provider: props.provider,
    });
    this.roleName = new NameCatalogue(naming).drOperatorRole;
    this.role = new IamRole(this, "role", {
      provider,
      name: this.roleName,
      description: `npm run dr in ${props.region}: promote region B, fence region A`,
      maxSessionDuration: props.maxSessionSeconds ?? 3600,
      assumeRolePolicy: policyDocument([
        {
          Sid: "PrincipalsTheAccountAllows",
          Effect: "Allow",
          Principal: { AWS: `arn:${aws.partition}:iam::${aws.accountId}:root` },
          Action: "sts:AssumeRole",
        },
      ]),
    });
    this.policy = new IamRolePolicy(this, "recovery", {
      provider,
      name: "npm-run-dr",
      role: this.role.id,
      policy: policyDocument(drStatements(props.region, props.targets)),
    });
  }
}

/** The role's statements; each holds only in `region`. */
export function drStatements(region: string, t: DrTargets): PolicyStatement[] {
  const inRegion = { StringEquals: { "aws:RequestedRegion": region } };
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadRecoveryStateWithoutResourceLevelPermissions",
      Effect: "Allow",
      // These Describe and Get calls have no resource-level permission: AWS requires "*".
      Action: DR_READS_WITHOUT_RESOURCES,
      Resource: "*",
    },
    {
      Sid: "PromoteTheReplicaOnly",
      Effect: "Allow",
      Action: ["rds:DescribeDBInstances", "rds:PromoteReadReplica"],
      Resource: t.replicaArn,
    },
    {
      // With A's own writer gone, B's replica becomes a writer for good: Multi-AZ at once.
      Sid: "MakeThePromotedReplicaMultiAz",
      Effect: "Allow",
      Action: "rds:ModifyDBInstance",
      Resource: t.replicaArn,
    },
    {
      Sid: "ReadHowLongAHasBeenFailing",
      Effect: "Allow",
      Action: "cloudwatch:DescribeAlarms",
      Resource: t.primaryUnreachableAlarmArn,
    },
    {
      Sid: "FlipTheFenceRuleOnly",
      Effect: "Allow",
      Action: "elasticloadbalancing:ModifyRule",
      Resource: t.fenceRuleArn,
    },
    {
      Sid: "ReadBothConnectionSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      Resource: [t.failoverConnectionSecretArn, t.primaryConnectionSecretArn],
    },
    {
      Sid: "RepointBsConnectionSecret",
      Effect: "Allow",
      Action: "secretsmanager:PutSecretValue",
      Resource: t.failoverConnectionSecretArn,
    },
    {
      // The secrets and A's endpoint parameter (a SecureString) are encrypted with B's key.
      Sid: "UseBsKeyThroughSecretsManagerAndSsmOnly",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: t.keyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": [
            `secretsmanager.${region}.amazonaws.com`,
            `ssm.${region}.amazonaws.com`,
          ],
        },
      },
    },
    {
      Sid: "ReadAsCopyThroughSecretsManagerOnly",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: t.replicaKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    },
    {
      Sid: "ScaleAndRestartBsServiceWithoutExecOrNetworkChanges",
      Effect: "Allow",
      Action: ["ecs:DescribeServices", "ecs:UpdateService"],
      Resource: t.serviceArn,
      Condition: { ...ECS_UPDATE_WITHOUT_EXEC_OR_NETWORK },
    },
    ...(t.imageCacheRepositoryArn
      ? [
          {
            Sid: "AskWhetherBsImageCacheHoldsTheImage",
            Effect: "Allow" as const,
            Action: "ecr:DescribeImages",
            Resource: t.imageCacheRepositoryArn,
          },
        ]
      : []),
    {
      Sid: "RaiseBsScalingMinimum",
      Effect: "Allow",
      Action: "application-autoscaling:RegisterScalableTarget",
      Resource: t.scalableTargetArn,
    },
    {
      Sid: "WriteTheAuditTrail",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [t.auditLogGroupArn, `${t.auditLogGroupArn}:log-stream:*`],
    },
    {
      Sid: "ReadThePrimarysEndpoint",
      Effect: "Allow",
      Action: "ssm:GetParameter",
      Resource: t.primaryEndpointParameterArn,
    },
  ];
  // Every statement also holds in B only, beside its own conditions...
  const inB = statements.map((s) => ({
    ...s,
    Condition: {
      ...s.Condition,
      StringEquals: { ...inRegion.StringEquals, ...s.Condition?.StringEquals },
    },
  }));
  // ...but the promote guard's question to region A: read-only, on A's writer alone.
  const regionA = t.primaryWriterArn.split(":")[3];
  return [
    ...inB,
    {
      Sid: "AskRegionAWhetherItsWriterIsThere",
      Effect: "Allow",
      Action: "rds:DescribeDBInstances",
      Resource: t.primaryWriterArn,
      Condition: { StringEquals: { "aws:RequestedRegion": regionA } },
    },
  ];
}

function validate(props: DrOperatorRoleProps): void {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region)) {
    throw new Error(`DrOperatorRole: region "${props.region}" is not a region such as us-west-2`);
  }
  for (const [field, value] of Object.entries(props.targets)) {
    if (!value) throw new Error(`DrOperatorRole: targets.${field} is empty; name the exact ARN`);
    if (value.includes("*")) {
      throw new Error(
        `DrOperatorRole: targets.${field} "${value}" contains "*"; name the exact resource the tool touches`,
      );
    }
  }
}
