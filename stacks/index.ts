import type { App } from "cdktf";
import type { BackendChoice } from "../config/backend";
import type { AppConfig } from "../config/schema";
import { DeliveryGithubStack } from "./delivery-github-stack";
import { DeliveryStack } from "./delivery-stack";
import { FailoverStack } from "./failover-stack";
import { PrimaryStack } from "./primary-stack";

export interface Stacks {
  readonly primary: PrimaryStack;
  /** Absent when `failover.enabled` is false. */
  readonly failover?: FailoverStack;
  /** Present when `delivery.enabled` is true: the AWS side of delivery (OIDC, roles). */
  readonly delivery?: DeliveryStack;
  /** Present when `delivery.enabled` is true: the GitHub side (environment, variables). */
  readonly deliveryGithub?: DeliveryGithubStack;
}

/**
 * Builds the stacks users deploy: `primary`, `failover` unless config turns it off, and
 * `delivery` (AWS) with `delivery-github` (GitHub, reading `delivery`) when config turns it on.
 */
export function buildStacks(app: App, config: AppConfig, backend: BackendChoice): Stacks {
  const primary = new PrimaryStack(app, { config, backend });
  const failover = config.failover.enabled
    ? new FailoverStack(app, { config, backend, primary })
    : undefined;
  if (!config.delivery.enabled) return { primary, failover };
  const delivery = new DeliveryStack(app, { config, backend, primary, failover });
  const deliveryGithub = new DeliveryGithubStack(app, {
    config,
    backend,
    primary,
    failover,
    delivery,
  });
  return { primary, failover, delivery, deliveryGithub };
}
