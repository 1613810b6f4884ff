import type { App } from "cdktf";
import type { BackendChoice } from "../config/backend";
import type { AppConfig } from "../config/schema";
import { DeliveryStack } from "./delivery-stack";
import { FailoverStack } from "./failover-stack";
import { PrimaryStack } from "./primary-stack";

export interface Stacks {
  readonly primary: PrimaryStack;
  /** Absent when `failover.enabled` is false. */
  readonly failover?: FailoverStack;
  /** Present when `delivery.enabled` is true. */
  readonly delivery?: DeliveryStack;
}

/**
 * Builds the stacks users deploy: `primary`, `failover` unless config turns it off, and
 * `delivery` when config turns it on.
 */
export function buildStacks(app: App, config: AppConfig, backend: BackendChoice): Stacks {
  const primary = new PrimaryStack(app, { config, backend });
  const failover = config.failover.enabled
    ? new FailoverStack(app, { config, backend, primary })
    : undefined;
  const delivery = config.delivery.enabled
    ? new DeliveryStack(app, { config, backend, primary, failover })
    : undefined;
  return { primary, failover, delivery };
}
