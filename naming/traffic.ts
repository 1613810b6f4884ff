/**
 * What the stacks and the maintenance tool (`npm run maintenance`) must agree on about each
 * region's serving listener: which rule carries production traffic, how it looks with the
 * maintenance page on or off, and what that page answers.
 *
 * Sources: "Listener rules for your Application Load Balancer" and "Fixed-response actions"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html):
 * priorities run from 1 (first) to 50000; a fixed response sets a 2XX, 4XX or 5XX status, a
 * content type (text/plain, text/css, text/html, application/javascript, application/json) and a
 * body of at most 1024 characters, and nothing else: no response header. The listener's "add
 * response headers" attributes cover only HSTS, CORS, Content-Security-Policy,
 * X-Content-Type-Options and X-Frame-Options (and removing Server), so an ALB alone cannot send
 * `Retry-After`; the page says when to retry in its body instead.
 */
import { NameCatalogue } from "./catalogue";

/**
 * The production rule: the last rule of the serving listener (after the fence at 1 and the test
 * route), forwarding to the service. Under blue/green, ECS moves its target-group weights.
 */
export const PRODUCTION_RULE_PRIORITY = 50000;

/** The blue/green test route, evaluated before the production rule. */
export const TEST_RULE_PRIORITY = 49000;

/**
 * Requests carrying this header (any value) reach the new revision while ECS holds it in the
 * test stage of a blue/green deployment; without an ongoing deployment they reach production.
 */
export const TEST_TRAFFIC_HEADER = "X-Hello-You-Test-Traffic";

/** Every path: the production rule's condition when the maintenance page is off. */
export const ALL_PATHS = "/*";

/**
 * The production rule's path condition: every path, or with maintenance on only the health path,
 * so that everything else falls through to the listener's default action, the maintenance page.
 * A rule cannot say "all but one path", hence the switch of the forwarding rule's condition.
 */
export function productionPaths(maintenance: boolean, healthCheckPath: string): string[] {
  return maintenance ? [healthCheckPath] : [ALL_PATHS];
}

/** The listener's default action: answered only when no rule matches. */
export const MAINTENANCE_RESPONSE = {
  statusCode: "503",
  contentType: "text/html",
  messageBody:
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Down for maintenance</title><h1>Down for maintenance</h1><p>Hello-you is being worked on and will be back shortly. Please try again in a few minutes.</p></html>',
} as const;

/** The listener of a region's ALB that serves: 443 with a DNS zone, else 80. */
export const servingPort = (https: boolean): number => (https ? 443 : 80);

/** The names of one region's serving path, as the stacks create them. */
export interface ServiceNames {
  readonly cluster: string;
  readonly service: string;
  readonly family: string;
  readonly loadBalancer: string;
}

/** From the catalogue the constructs read, so the tools find them without Terraform state. */
export function serviceNames(
  c: {
    readonly project: string;
    readonly environment: string;
    readonly service: { readonly name: string };
  },
  region: string,
): ServiceNames {
  const names = NameCatalogue.of(c.project, c.environment, region);
  return {
    cluster: names.ecsCluster(c.service.name),
    service: names.ecsService(c.service.name),
    family: names.taskFamily(c.service.name),
    loadBalancer: names.loadBalancer,
  };
}
