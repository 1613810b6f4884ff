import type { App } from "cdktf";
import type { BackendChoice } from "../config/backend";
import type { AppConfig } from "../config/schema";
import { FailoverStack } from "./failover-stack";
import { PrimaryStack } from "./primary-stack";

export interface Stacks {
  readonly primary: PrimaryStack;
  /** Absent when `failover.enabled` is false. */
  readonly failover?: FailoverStack;
}

/** Builds the stacks users deploy: `primary`, and `failover` unless config turns it off. */
export function buildStacks(app: App, config: AppConfig, backend: BackendChoice): Stacks {
  const primary = new PrimaryStack(app, { config, backend });
  const failover = config.failover.enabled
    ? new FailoverStack(app, { config, backend, primary })
    : undefined;
  return { primary, failover };
}
