import type { App } from "cdktf";
import type { BackendChoice } from "../config/backend";
import type { AppConfig } from "../config/schema";
import { DeliveryGithubStack } from "./delivery-github-stack";
import { DeliveryStack } from "./delivery-stack";
import { FailoverStack } from "./failover-stack";
import { LinkStack } from "./link-stack";
import { PrimaryStack } from "./primary-stack";

export interface Stacks {
  readonly primary: PrimaryStack;
  /** Absent when `failover.enabled` is false. */
  readonly failover?: FailoverStack;
  /** With `failover`: peering and DNS failover, the parts that need both regions. */
  readonly link?: LinkStack;
  /** Present when `delivery.enabled` is true: the AWS side of delivery (OIDC, roles). */
  readonly delivery?: DeliveryStack;
  /** Present when `delivery.enabled` is true: the GitHub side (environment, variables). */
  readonly deliveryGithub?: DeliveryGithubStack;
}

/**
 * Builds the stacks users deploy: `primary`; `failover` and `link` unless config turns failover
 * off; `delivery` (AWS) with `delivery-github` (GitHub, reading `delivery`) when it turns it on.
 */
export function buildStacks(app: App, config: AppConfig, backend: BackendChoice): Stacks {
  const primary = new PrimaryStack(app, { config, backend });
  let failover: FailoverStack | undefined;
  let link: LinkStack | undefined;
  if (config.failover.enabled) {
    failover = new FailoverStack(app, { config, backend });
    // No reference crosses from B to A (B must plan without A), but B's replica and its copies
    // of A's secrets need A deployed first.
    failover.addDependency(primary);
    link = new LinkStack(app, { config, backend, primary, failover });
  }
  if (!config.delivery.enabled) return { primary, failover, link };
  const delivery = new DeliveryStack(app, { config, backend, primary, failover, link });
  const deliveryGithub = new DeliveryGithubStack(app, {
    config,
    backend,
    primary,
    failover,
    delivery,
  });
  return { primary, failover, link, delivery, deliveryGithub };
}
