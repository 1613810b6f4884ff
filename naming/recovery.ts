/**
 * What the stacks and the recovery tool (`npm run dr`) must agree on: where the fence is, what it
 * answers, and the names of everything a failover touches in region B. Derived from project,
 * environment, regions and service name only, so that the tool never needs Terraform state or
 * region A to find its way.
 *
 * Sources: "How Amazon Route 53 determines whether a health check is healthy"
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
 * an HTTP(S) endpoint is healthy on a 2xx or 3xx status within 2 seconds of connecting; an
 * HTTPS_STR_MATCH check also needs the search string in the first 5,120 bytes of the body; an
 * inverted check reports the opposite status; a CALCULATED check follows its children. Listener
 * rule priorities run from 1 (first) to 50000 ("Listener rules for your Application Load
 * Balancer", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html).
 */
import { NameCatalogue } from "./catalogue";

/**
 * Path of the fence on region B's ALB. A listener rule answers it with a fixed response (no task
 * involved) for requests addressed to the ALB's own DNS name, which is what Route53's health
 * checkers send; clients using the service's name never reach it.
 */
export const FENCE_PATH = "/.well-known/hello-you/fence";

/** Priority of the fence rule: evaluated before any other rule of the listener. */
export const FENCE_RULE_PRIORITY = 1;

/**
 * The fence's two answers, both 200: Route53's fence check looks for the word "fenced" in the
 * body (HTTPS_STR_MATCH) and is inverted, so it is healthy unless B positively says "fenced". A
 * region B that cannot be reached, or a fence rule that is missing or broken, then leaves region
 * A's record to follow A's own health: only a deliberate promotion takes A out of DNS.
 * Route53 matches the string only in a 2xx or 3xx answer, hence 200 for `fenced` too.
 */
export const FENCE_RESPONSES = {
  open: { statusCode: "200", body: "open" },
  fenced: { statusCode: "200", body: "fenced" },
} as const;

/** What the fence check searches the answer for. */
export const FENCE_SEARCH_STRING = FENCE_RESPONSES.fenced.body;

export type FenceState = keyof typeof FENCE_RESPONSES;

/** The automatic promotion's switch value that lets it promote; any other value stops it. */
export const AUTO_PROMOTION_ARMED = "armed";
/** The latch's value before its one use; a person writes it back to allow another. */
export const AUTO_PROMOTION_LATCH_UNUSED = "unused";

export interface RecoveryNamesInput {
  readonly project: string;
  readonly environment: string;
  readonly primaryRegion: string;
  readonly failoverRegion: string;
  /** `service.name` of the config. */
  readonly serviceName: string;
}

/** Names of what a failover reads or changes. Every one is in region B unless it says A. */
export interface RecoveryNames {
  /** Region A's writer (the replica's source), by identifier. */
  readonly primaryDatabase: string;
  /** Region B's cross-region replica; the writer once promoted. */
  readonly replica: string;
  /**
   * Region A's connection secret. Secrets Manager keeps a read-only replica of it in region B
   * under the same name, so B learns A's host and credentials without calling region A.
   */
  readonly primaryConnectionSecret: string;
  /** Region B's connection secret (DATABASE_URL of B's tasks): repointed at promotion. */
  readonly failoverConnectionSecret: string;
  readonly cluster: string;
  readonly service: string;
  readonly loadBalancer: string;
  readonly targetGroup: string;
  /** CloudWatch Logs group in B where `npm run dr` writes its audit trail. */
  readonly auditLogGroup: string;
  /**
   * SSM parameter in B holding region A's ALB DNS name, written by the `link` stack, so that
   * `dr promote` can check that A is really down without asking region A's APIs.
   */
  readonly primaryEndpointParameter: string;
  /**
   * SSM parameter in region A (the one name here that is not in B) holding region B's ALB DNS
   * name, written by the `link` stack: where region A's fence enforcer reads the fence.
   */
  readonly fenceLocationParameter: string;
  /** Region B's alarm on its standby tasks losing region A's writer (constructs/primary-watch.ts). */
  readonly primaryUnreachableAlarm: string;
  /** SSM parameters of the automatic promotion (`failover.automatic`): see the catalogue. */
  readonly autoPromotion: {
    readonly switch: string;
    readonly latch: string;
    readonly state: string;
  };
}

export function recoveryNames(input: RecoveryNamesInput): RecoveryNames {
  const a = NameCatalogue.of(input.project, input.environment, input.primaryRegion);
  const b = a.forRegion(input.failoverRegion);
  return {
    primaryDatabase: a.databaseInstance("db"),
    replica: b.databaseInstance("db-replica"),
    primaryConnectionSecret: a.connectionSecret,
    failoverConnectionSecret: b.connectionSecret,
    cluster: b.ecsCluster(input.serviceName),
    service: b.ecsService(input.serviceName),
    loadBalancer: b.loadBalancer,
    targetGroup: b.targetGroup,
    auditLogGroup: b.auditLogGroup,
    primaryEndpointParameter: b.primaryEndpointParameter,
    fenceLocationParameter: a.fenceLocationParameter,
    primaryUnreachableAlarm: b.alarm("primary-unreachable"),
    autoPromotion: {
      switch: b.autoPromotionParameter("switch"),
      latch: b.autoPromotionParameter("latch"),
      state: b.autoPromotionParameter("state"),
    },
  };
}
