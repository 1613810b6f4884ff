import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { Construct } from "constructs";
import {
  FENCE_PATH,
  FENCE_RESPONSES,
  FENCE_RULE_PRIORITY,
  type FenceState,
} from "../naming/recovery";
import type { CommonProps } from "./common";
import { buildContext } from "./common";
import { ConstructError } from "./stack-context";

export interface FenceProps extends CommonProps {
  /** Listener of region B's ALB that Route53's fence check reaches (HTTPS when there is one). */
  readonly listenerArn: string;
  /** The ALB's own DNS name: the only host the rule answers for. */
  readonly albDnsName: string;
  /**
   * The answer the rule is created with: `fenced` when region B is already promoted. After
   * creation the answer is `npm run dr`'s alone (promote sets it, the failback plan lifts it):
   * Terraform ignores changes to it, so no apply can reopen a fence.
   */
  readonly state: FenceState;
}

/**
 * The split-brain fence, served from region B: a fixed response on B's ALB that region A's
 * PRIMARY record depends on (a CALCULATED Route53 check needs both A's own check and this one).
 * Flipping it to `fenced` takes A out of DNS for good, even when A comes back healthy, and it is
 * an ELB call in region B only: neither region A nor Route53's control plane is needed. The rule
 * matches the ALB's own DNS name, which Route53's checkers send as Host; clients using the
 * service's name never reach it.
 */
export class Fence extends Construct {
  readonly rule: LbListenerRule;

  constructor(scope: Construct, id: string, props: FenceProps) {
    super(scope, id);
    const response = FENCE_RESPONSES[props.state];
    if (!response) {
      throw new ConstructError(
        this,
        `Fence: state "${String(props.state)}" must be one of ${Object.keys(FENCE_RESPONSES).join(", ")}`,
      );
    }
    this.rule = new LbListenerRule(this, "rule", {
      provider: props.provider,
      listenerArn: props.listenerArn,
      priority: FENCE_RULE_PRIORITY,
      condition: [
        { pathPattern: { values: [FENCE_PATH] } },
        { hostHeader: { values: [props.albDnsName] } },
      ],
      action: [
        {
          type: "fixed-response",
          fixedResponse: {
            contentType: "text/plain",
            statusCode: response.statusCode,
            messageBody: response.body,
          },
        },
      ],
      tags: { Name: buildContext(this, props).naming.name("generic", "fence") },
      // A deploy from a repository that does not know of a promotion yet (failover.promoted
      // still false) would otherwise set the answer back to "open" (docs/adr/0002-fencing.md).
      lifecycle: { ignoreChanges: ["action"] },
    });
  }
}
