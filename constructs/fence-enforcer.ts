import path from "node:path";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import {
  assumeRolePolicy,
  buildContext,
  type CommonProps,
  type PolicyStatement,
  policyDocument,
  shippedFile,
} from "./common";
import { ConstructError } from "./stack-context";
import type { EncryptionKey } from "./encryption-key";

/**
 * Where the handler lives: shipped as it is, Node's standard library and the runtime's SDK only.
 */
export const FENCE_ENFORCER_CODE = path.dirname(shippedFile("constructs/fence-enforcer/index.js"));

export interface FenceEnforcerProps extends CommonProps {
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** Encrypts the function's log group; decrypts the fence-location parameter through SSM. */
  readonly kmsKey: EncryptionKey;
  /** The service held at zero while the fence reads "fenced". */
  readonly clusterName: string;
  readonly serviceName: string;
  /** ARN of the service's Application Auto Scaling target: the only one the function may change. */
  readonly scalableTargetArn: string;
  /**
   * SSM parameter in this region holding region B's ALB DNS name (the `link` stack writes it).
   * Until it exists the function reads nothing and changes nothing.
   */
  readonly fenceLocationParameter: string;
  /** Path of the fence on B's ALB. */
  readonly fencePath: string;
  /**
   * The name B's certificate carries: the fence is read over HTTPS with it as TLS name, and the
   * certificate is verified against it.
   * @default undefined: read over plain HTTP (an environment without a DNS zone serves HTTP only)
   */
  readonly tlsServerName?: string;
  readonly logRetentionDays: number;
  /**
   * How often the fence is read, in minutes: the longest a fenced region A keeps running tasks
   * before they are asked to stop.
   * @default 1
   */
  readonly scheduleMinutes?: number;
}

/** Seconds one run may take: the fence read (5 s timeout) plus a handful of API calls. */
const TIMEOUT_SECONDS = 30;

/**
 * Region A's own half of the fence (docs/adr/0002-fencing.md): a function on a one-minute
 * schedule that reads region B's fence and, while it says "fenced", holds region A's service at
 * zero (scaling bounds 0..0, desired count 0). It needs only region A's APIs, so it works while
 * region B's APIs or Route53's control plane are down, and it keeps A at zero when DNS alone
 * would not (Route53 answers PRIMARY whenever SECONDARY is unhealthy).
 */
export class FenceEnforcer extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly schedule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: FenceEnforcerProps) {
    super(scope, id);
    const { naming, provider, aws } = buildContext(this, props);
    const minutes = props.scheduleMinutes ?? 1;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 5) {
      throw new ConstructError(
        this,
        `FenceEnforcer: scheduleMinutes ${minutes} must be a whole number from 1 to 5: a fenced region A must stop within minutes`,
      );
    }
    if (!props.fenceLocationParameter.startsWith("/")) {
      throw new ConstructError(
        this,
        `FenceEnforcer: fenceLocationParameter "${props.fenceLocationParameter}" must be a path starting with "/" (its ARN is built from it)`,
      );
    }
    const functionName = naming.name("lambdaFunction", "fence-enforcer");
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      provider,
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKey.arn,
    });
    this.role = new IamRole(this, "role", {
      provider,
      name: naming.name("iamRole", "fence-enforcer"),
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com", aws.accountId),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      role: this.role.id,
      name: "hold-service-at-zero-while-fenced",
      policy: policyDocument(this.statements(props)),
    });

    const code = new TerraformAsset(this, "code", {
      path: FENCE_ENFORCER_CODE,
      type: AssetType.ARCHIVE,
    });
    this.function = new LambdaFunction(this, "function", {
      provider,
      functionName,
      description: "Holds region A's service at zero while region B's fence reads fenced",
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      memorySize: 128,
      timeout: TIMEOUT_SECONDS,
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      environment: {
        variables: {
          FENCE_LOCATION_PARAMETER: props.fenceLocationParameter,
          FENCE_PATH: props.fencePath,
          FENCE_PROTOCOL: props.tlsServerName ? "https:" : "http:",
          ...(props.tlsServerName ? { FENCE_SERVER_NAME: props.tlsServerName } : {}),
          CLUSTER_NAME: props.clusterName,
          SERVICE_NAME: props.serviceName,
        },
      },
      // The log group and the permissions exist before the first run.
      dependsOn: [this.logGroup, this.policy],
    });

    this.schedule = new CloudwatchEventRule(this, "schedule", {
      provider,
      name: naming.name("eventRule", "fence-enforcer"),
      description: "Reads region B's fence and holds region A's service at zero while it is fenced",
      scheduleExpression: minutes === 1 ? "rate(1 minute)" : `rate(${minutes} minutes)`,
    });
    new CloudwatchEventTarget(this, "target", {
      provider,
      rule: this.schedule.name,
      arn: this.function.arn,
      // A missed minute is made up by the next one; retrying an old one adds nothing.
      retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
    });
    new LambdaPermission(this, "invoke", {
      provider,
      statementId: "AllowTheSchedule",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: this.schedule.arn,
    });
  }

  private statements(props: FenceEnforcerProps): PolicyStatement[] {
    const { aws } = buildContext(this, props);
    const arn = (service: string, resource: string) =>
      `arn:${aws.partition}:${service}:${aws.region}:${aws.accountId}:${resource}`;
    return [
      {
        Sid: "WriteItsLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:*`,
      },
      {
        Sid: "ReadWhereTheFenceIs",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: arn("ssm", `parameter${props.fenceLocationParameter}`),
      },
      {
        Sid: "DecryptTheParameterThroughSsmOnly",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: props.kmsKey.arn,
        Condition: { StringEquals: { "kms:ViaService": `ssm.${aws.region}.amazonaws.com` } },
      },
      // DescribeScalableTargets has no resource-level permissions: AWS requires "*".
      {
        Sid: "ReadScalingBounds",
        Effect: "Allow",
        Action: "application-autoscaling:DescribeScalableTargets",
        Resource: "*",
      },
      {
        Sid: "SetThisServicesBounds",
        Effect: "Allow",
        Action: "application-autoscaling:RegisterScalableTarget",
        Resource: props.scalableTargetArn,
      },
      {
        Sid: "ReadAndStopThisService",
        Effect: "Allow",
        Action: ["ecs:DescribeServices", "ecs:UpdateService"],
        Resource: arn("ecs", `service/${props.clusterName}/${props.serviceName}`),
      },
    ];
  }
}
