/**
 * The ELBv2 calls `npm run maintenance` makes, and nothing else: find a region's serving listener
 * and its production rule, and change that rule's path condition. No ECS, no Terraform.
 */
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { clientSettings } from "../dr/aws/clients";
import { PRODUCTION_RULE_PRIORITY } from "../naming/traffic";

export interface ProductionRule {
  readonly listenerPort: number;
  readonly ruleArn: string;
  /** The rule's path-pattern values. */
  readonly paths: readonly string[];
}

export interface MaintenanceElb {
  readonly region: string;
  /** The production rule of the ALB's serving listener (443, else 80); undefined if absent. */
  productionRule(loadBalancer: string): Promise<ProductionRule | undefined>;
  /** Replaces the rule's conditions with one path pattern of `paths`; its actions stay. */
  setPaths(ruleArn: string, paths: readonly string[]): Promise<void>;
}

export function sdkMaintenanceElb(
  region: string,
  env: Readonly<Record<string, string | undefined>>,
): MaintenanceElb {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const elb = new ElasticLoadBalancingV2Client(clientSettings(region, env));
  return {
    region,
    async productionRule(loadBalancer) {
      const lbs = await elb
        .send(new DescribeLoadBalancersCommand({ Names: [loadBalancer] }))
        .catch((error: unknown) => {
          if ((error as { name?: string }).name === "LoadBalancerNotFoundException")
            return undefined;
          throw error;
        });
      const arn = lbs?.LoadBalancers?.[0]?.LoadBalancerArn;
      if (!arn) return undefined;
      const { Listeners = [] } = await elb.send(
        new DescribeListenersCommand({ LoadBalancerArn: arn }),
      );
      const listener =
        Listeners.find((l) => l.Port === 443) ?? Listeners.find((l) => l.Port === 80);
      if (!listener?.ListenerArn) return undefined;
      const { Rules = [] } = await elb.send(
        new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }),
      );
      const rule = Rules.find((r) => r.Priority === String(PRODUCTION_RULE_PRIORITY));
      if (!rule?.RuleArn) return undefined;
      const paths = (rule.Conditions ?? []).flatMap((c) =>
        c.Field === "path-pattern" ? (c.PathPatternConfig?.Values ?? c.Values ?? []) : [],
      );
      return { listenerPort: listener.Port ?? 0, ruleArn: rule.RuleArn, paths };
    },
    async setPaths(ruleArn, paths) {
      await elb.send(
        new ModifyRuleCommand({
          RuleArn: ruleArn,
          Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: [...paths] } }],
        }),
      );
    },
  };
}
