/**
 * The fence on region B's ALB (naming/recovery.ts): the listener rule that tells Route53 whether
 * region A may serve. Found by the ALB's name and the rule's priority, then checked to really be
 * the fence before anything modifies it.
 */
import {
  FENCE_PATH,
  FENCE_RESPONSES,
  FENCE_RULE_PRIORITY,
  type FenceState,
} from "../../naming/recovery";
import type { FixedResponse, ListenerRule, RegionB } from "../aws/aws";

export interface Fence {
  readonly loadBalancerDns: string;
  readonly listenerPort: number;
  readonly rule: ListenerRule;
  /** open, fenced, or undefined when the rule answers something else. */
  readonly state: FenceState | undefined;
}

/** The fixed response the fence rule gives in `state`. */
export function fenceResponse(state: FenceState): FixedResponse {
  const { statusCode, body } = FENCE_RESPONSES[state];
  return { statusCode, body, contentType: "text/plain" };
}

/** An answer as printed: status, then the quoted body (`200 "fenced"`). */
function answerText(statusCode: string, body: string | undefined): string {
  return `${statusCode} ${JSON.stringify(body ?? "")}`;
}

/** What the fence answers in `state`, from the contract, for messages that must follow it. */
export function fenceAnswer(state: FenceState): string {
  const { statusCode, body } = FENCE_RESPONSES[state];
  return answerText(statusCode, body);
}

/**
 * Both status and body decide: open and fenced share a status (Route53's fence check matches
 * the body), so a status alone cannot tell them apart.
 */
function stateOf(rule: ListenerRule): FenceState | undefined {
  const answer = rule.fixedResponse;
  for (const state of Object.keys(FENCE_RESPONSES) as FenceState[]) {
    const expected = FENCE_RESPONSES[state];
    if (answer?.statusCode === expected.statusCode && answer.body === expected.body) return state;
  }
  return undefined;
}

/** Finds the fence, or throws naming what is missing and which stack provides it. */
export async function findFence(aws: RegionB, loadBalancerName: string): Promise<Fence> {
  const fix = "the failover stack creates it (naming/recovery.ts): deploy failover";
  const lb = await aws.loadBalancing.findLoadBalancer(loadBalancerName);
  if (!lb)
    throw new Error(`fence: load balancer ${loadBalancerName} not found in ${aws.region}; ${fix}`);
  const listeners = await aws.loadBalancing.listeners(lb.arn);
  const listener = listeners.find((l) => l.port === 443) ?? listeners.find((l) => l.port === 80);
  if (!listener) {
    throw new Error(`fence: ${loadBalancerName} has no listener on port 443 or 80; ${fix}`);
  }
  const rules = await aws.loadBalancing.rules(listener.arn);
  const rule = rules.find((r) => r.priority === String(FENCE_RULE_PRIORITY));
  const where = `${loadBalancerName}'s port ${listener.port} listener`;
  if (!rule) {
    throw new Error(`fence: no rule with priority ${FENCE_RULE_PRIORITY} on ${where}; ${fix}`);
  }
  if (!rule.pathPatterns.includes(FENCE_PATH)) {
    throw new Error(
      `fence: the priority ${FENCE_RULE_PRIORITY} rule on ${where} does not match path ${FENCE_PATH}, so it is not the fence; refusing to change it. Move that rule to another priority and deploy failover.`,
    );
  }
  return { loadBalancerDns: lb.dnsName, listenerPort: listener.port, rule, state: stateOf(rule) };
}

/** How the fence reads in a status line. */
export function describeFence(fence: Fence): string {
  const answer = fence.rule.fixedResponse;
  const says = answer ? answerText(answer.statusCode, answer.body) : "no fixed response";
  return `${fence.state ?? "unknown"} (port ${fence.listenerPort} rule answers ${says})`;
}
