import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl, type Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { WAF_RATE_LIMIT } from "../facts/waf";
import { buildContext, type CommonProps } from "./common";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";

export interface WebAclProps extends CommonProps {
  /** Requests one IP may send in 5 minutes before it is blocked. */
  readonly rateLimitPerIp: number;
  /** Encrypts the WAF log group. */
  readonly kmsKey: EncryptionKey;
  /** Days WAF logs are kept. */
  readonly logRetentionDays: number;
}

/** AWS managed rule groups, in evaluation order. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  // Tor exits and anonymising VPNs; hosting-provider addresses are only counted, since API
  // clients legitimately run in clouds.
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesCommonRuleSet",
  // Includes the Log4j (Log4Shell) rules.
  "AWSManagedRulesKnownBadInputsRuleSet",
];

/** A regional WAFv2 web ACL for the ALB: AWS managed rules, a per-IP rate limit, logging. */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly arn: string;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const { naming, provider } = buildContext(this, props);
    if (
      !Number.isInteger(props.rateLimitPerIp) ||
      props.rateLimitPerIp < WAF_RATE_LIMIT.min ||
      props.rateLimitPerIp > WAF_RATE_LIMIT.max
    ) {
      throw new ConstructError(
        this,
        `WebAcl: rateLimitPerIp ${props.rateLimitPerIp} must be a whole number from ${WAF_RATE_LIMIT.min} to ${WAF_RATE_LIMIT.max}`,
      );
    }
    const name = naming.name("wafAcl", "waf");
    const visibility = (metric: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: metric,
    });
    const managed: Wafv2WebAclRule[] = MANAGED_RULE_GROUPS.map((group, i) => ({
      name: group,
      priority: i,
      overrideAction: { none: {} },
      statement: {
        managed_rule_group_statement: {
          name: group,
          vendor_name: "AWS",
          ...(group === "AWSManagedRulesAnonymousIpList"
            ? {
                rule_action_override: [
                  { name: "HostingProviderIPList", action_to_use: { count: {} } },
                ],
              }
            : {}),
        },
      },
      visibilityConfig: visibility(group),
    }));
    this.webAcl = new Wafv2WebAcl(this, "acl", {
      provider,
      name,
      description: "AWS managed rules and a per-IP rate limit in front of the ALB",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      rule: [
        ...managed,
        {
          name: "rate-limit-per-ip",
          priority: managed.length,
          action: { block: {} },
          statement: {
            rate_based_statement: { limit: props.rateLimitPerIp, aggregate_key_type: "IP" },
          },
          visibilityConfig: visibility("rate-limit-per-ip"),
        },
      ],
      visibilityConfig: visibility(name),
    });
    this.arn = this.webAcl.arn;
    // WAF only logs to groups whose name starts with aws-waf-logs-.
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      provider,
      name: `aws-waf-logs-${name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKey.arn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      provider,
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
    });
  }
}
