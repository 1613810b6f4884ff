import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { autoPromoterCode } from "./auto-promoter-code";
import {
  assumeRolePolicy,
  buildContext,
  type CommonProps,
  type PolicyStatement,
  policyDocument,
} from "./common";
import { type DrTargets, drStatements } from "./dr-operator-role";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";
import {
  AUTO_PROMOTION_ARMED as ARMED,
  AUTO_PROMOTION_LATCH_UNUSED as LATCH_UNUSED,
} from "../naming/recovery";

/** The SSM parameters of the automatic promotion, by full name (naming/recovery.ts). */
export interface AutoPromotionParameters {
  /** `armed` or `disarmed`: set by people, only read by the function. */
  readonly switch: string;
  /** `unused` until the function promotes once; reset by people. */
  readonly latch: string;
  /** The function's memory between runs (JSON). */
  readonly state: string;
}

export interface AutoPromoterProps extends CommonProps {
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** Region B, literally: the role's statements hold there only, as the DR operator role's do. */
  readonly region: string;
  /** Region B's key: encrypts the function's log group and region B's alarm topic. */
  readonly kmsKey: EncryptionKey;
  /** Region B's alarm topic: the page before the hold window, and every page after. */
  readonly topicArn: string;
  /** What `npm run dr -- promote` touches: the function gets the DR operator role's statements. */
  readonly targets: DrTargets;
  readonly parameters: AutoPromotionParameters;
  /**
   * The validated settings of the environment, as JSON: the function runs with exactly these
   * (region names, resource names, guards). No secret value: settings never hold one.
   */
  readonly settings: string;
  readonly logRetentionDays: number;
}

/** A Lambda run ends at 15 minutes; a promotion waits minutes for RDS and the tasks. */
const TIMEOUT_SECONDS = 900;

/**
 * Region B's automatic promotion (`failover.automatic`, docs/adr/0004-automatic-promotion.md): a
 * function run every minute that counts three independent signals of region A's loss and, once
 * they hold for the quorum window outside A's maintenance window, pages, waits the hold window,
 * then runs the steps of `npm run dr -- promote` (bundled from dr/, the same code). One run at a
 * time (reserved concurrency 1): a promotion in progress is never joined by a
 * second. Its role is the DR operator role's statements plus its own parameters and the page; it
 * can read the disarm switch but never write it.
 */
export class AutoPromoter extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  readonly schedule: CloudwatchEventRule;
  readonly switchParameter: SsmParameter;
  readonly latchParameter: SsmParameter;
  readonly stateParameter: SsmParameter;

  constructor(scope: Construct, id: string, props: AutoPromoterProps) {
    super(scope, id);
    const { naming, provider, aws } = buildContext(this, props);
    for (const [kind, name] of Object.entries(props.parameters)) {
      if (!name.startsWith("/")) {
        throw new ConstructError(
          this,
          `AutoPromoter: parameters.${kind} "${name}" must be a path starting with "/" (its ARN is built from it)`,
        );
      }
    }
    try {
      JSON.parse(props.settings);
    } catch {
      throw new ConstructError(this, "AutoPromoter: settings must be the settings as JSON");
    }
    const parameter = (key: string, name: string, value: string, description: string) =>
      new SsmParameter(this, key, {
        provider,
        name,
        type: "String",
        value,
        description,
        // People and the function change the value; a deploy must not re-arm or reset it.
        lifecycle: { ignoreChanges: ["value"] },
      });
    this.switchParameter = parameter(
      "switch",
      props.parameters.switch,
      ARMED,
      `${ARMED} lets region B promote itself when region A is lost; anything else (disarmed) stops it, the hold window included`,
    );
    this.latchParameter = parameter(
      "latch",
      props.parameters.latch,
      LATCH_UNUSED,
      `${LATCH_UNUSED} until the automatic promotion runs once; write ${LATCH_UNUSED} again to allow another`,
    );
    this.stateParameter = parameter(
      "state",
      props.parameters.state,
      "{}",
      "What the automatic promotion saw on its last run (written by the function)",
    );

    const functionName = naming.name("lambdaFunction", "auto-promoter");
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      provider,
      name: `/aws/lambda/${functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKey.arn,
    });
    this.role = new IamRole(this, "role", {
      provider,
      name: naming.name("iamRole", "auto-promoter"),
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com", aws.accountId),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      role: this.role.id,
      name: "promote-region-b-when-region-a-is-lost",
      policy: policyDocument([
        ...drStatements(props.region, props.targets),
        ...this.ownStatements(props, aws),
      ]),
    });

    const code = new TerraformAsset(this, "code", {
      path: autoPromoterCode(props.settings),
      type: AssetType.ARCHIVE,
    });
    this.function = new LambdaFunction(this, "function", {
      provider,
      functionName,
      description: "Promotes region B once region A is lost, behind a quorum, a hold and a latch",
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      memorySize: 256,
      timeout: TIMEOUT_SECONDS,
      // One run at a time. Minutes that fire while a promotion runs wait in Lambda's queue and
      // run after it, each deciding afresh from the clock and the state it then reads: the
      // replica is a writer by then, so they find nothing to do.
      reservedConcurrentExecutions: 1,
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      environment: { variables: { ALARM_TOPIC_ARN: props.topicArn } },
      dependsOn: [this.logGroup, this.policy],
    });
    this.schedule = new CloudwatchEventRule(this, "schedule", {
      provider,
      name: naming.name("eventRule", "auto-promoter"),
      description: "Counts the signals of region A's loss every minute (automatic promotion)",
      scheduleExpression: "rate(1 minute)",
    });
    new CloudwatchEventTarget(this, "target", {
      provider,
      rule: this.schedule.name,
      arn: this.function.arn,
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

  private ownStatements(props: AutoPromoterProps, aws: AwsContext): PolicyStatement[] {
    const arn = (name: string) =>
      `arn:${aws.partition}:ssm:${props.region}:${aws.accountId}:parameter${name}`;
    const { parameters: p } = props;
    return [
      {
        Sid: "WriteItsLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:*`,
      },
      {
        Sid: "ReadSwitchLatchAndState",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: [arn(p.switch), arn(p.latch), arn(p.state)],
      },
      {
        // Never the switch: only a person arms or disarms it.
        Sid: "WriteLatchAndStateOnly",
        Effect: "Allow",
        Action: "ssm:PutParameter",
        Resource: [arn(p.latch), arn(p.state)],
      },
      {
        Sid: "PageTheAlarmTopic",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: props.topicArn,
      },
      {
        // The topic is encrypted with region B's key: publishing needs it, through SNS only.
        Sid: "UseBsKeyThroughSnsOnly",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: props.kmsKey.arn,
        Condition: { StringEquals: { "kms:ViaService": `sns.${props.region}.amazonaws.com` } },
      },
    ];
  }
}
