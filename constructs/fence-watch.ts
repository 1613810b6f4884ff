import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Construct } from "constructs";
import { buildContext, type CommonProps } from "./common";

export interface FenceWatchProps extends CommonProps {
  /** The fence's listener rule. */
  readonly fenceRuleArn: string;
  /** The listener it belongs to: deleting the listener removes the fence too. */
  readonly listenerArn: string;
  /** The one role allowed to flip the fence (`npm run dr`'s operator role), by name. */
  readonly operatorRoleName: string;
  /** Account and partition: the operator's session ARNs. */
  readonly aws: { readonly accountId: string; readonly partition: string };
  /** Alarm topic in the same region (its policy admits this deployment's event rules). */
  readonly topicArn: string;
}

/** ELB calls that change or remove the fence rule, and where each names it. */
const FENCE_CHANGES = {
  ModifyRule: "ruleArn",
  DeleteRule: "ruleArn",
  SetRulePriorities: "rulePriorities.ruleArn",
  DeleteListener: "listenerArn",
} as const;

/**
 * Pages when anyone but the DR operator role changes, reorders or deletes the fence rule (or
 * deletes its listener): the fence decides which region Route53 serves, so a change by anyone
 * else is either a mistake or an attack. An EventBridge rule on the CloudTrail management events
 * of region B's default bus, sending the event itself to the alarm topic.
 *
 * EventBridge receives "AWS API Call via CloudTrail" events only while a trail with management
 * events logs region B; it need not be ours (an organization trail will do), and it need not
 * deliver to CloudWatch Logs, which a metric filter would need (docs/security.md).
 */
export class FenceWatch extends Construct {
  readonly rule: CloudwatchEventRule;
  /** The event pattern, as EventBridge matches it. */
  readonly pattern: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: FenceWatchProps) {
    super(scope, id);
    const { aws } = props;
    const { naming, provider } = buildContext(this, {
      naming: props.naming,
      provider: props.provider,
    });
    if (!/^[\w+=,.@-]{1,64}$/.test(props.operatorRoleName)) {
      throw new Error(
        `FenceWatch: operatorRoleName "${props.operatorRoleName}" must be an IAM role name (no path, no *)`,
      );
    }
    const targets: Record<string, string> = {
      ruleArn: props.fenceRuleArn,
      "rulePriorities.ruleArn": props.fenceRuleArn,
      listenerArn: props.listenerArn,
    };
    this.pattern = {
      source: ["aws.elasticloadbalancing"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["elasticloadbalancing.amazonaws.com"],
        // Sessions of the operator role carry its name; everyone else (users, other roles,
        // root) does not.
        userIdentity: {
          arn: [
            {
              "anything-but": {
                prefix: `arn:${aws.partition}:sts::${aws.accountId}:assumed-role/${props.operatorRoleName}/`,
              },
            },
          ],
        },
        $or: Object.entries(FENCE_CHANGES).map(([eventName, field]) => ({
          eventName: [eventName],
          requestParameters: nested(field, [targets[field]]),
        })),
      },
    };
    this.rule = new CloudwatchEventRule(this, "rule", {
      provider,
      name: naming.name("eventRule", "fence-changed"),
      description: "The fence rule was changed by someone other than the DR operator role",
      eventPattern: JSON.stringify(this.pattern),
    });
    new CloudwatchEventTarget(this, "page", {
      provider,
      rule: this.rule.name,
      arn: props.topicArn,
    });
  }
}

/** `{ a: { b: value } }` from `"a.b"`. */
function nested(path: string, value: unknown): Record<string, unknown> {
  return path
    .split(".")
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}
