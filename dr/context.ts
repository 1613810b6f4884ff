/**
 * What every `npm run dr` command starts from: the environment's validated settings and, from
 * naming/recovery.ts, the name of everything it touches in region B.
 */
import { type AppConfig, DEFAULT_ENVIRONMENT, type Env, loadConfig } from "../config";
import { NameCatalogue } from "../naming/catalogue";
import { type RecoveryNames, recoveryNames } from "../naming/recovery";

export interface DrContext {
  readonly environment: string;
  readonly config: AppConfig;
  /** Region A: the primary, possibly lost. Never called. */
  readonly regionA: string;
  /** Region B: every API call goes here. */
  readonly regionB: string;
  readonly names: RecoveryNames;
  /** Name tag of region B's VPC (the Network construct's `generic` "vpc" name). */
  readonly vpcName: string;
}

/** `--env`, else DEPLOY_ENV, else the default environment (dev). */
export function environmentFrom(flag: string | undefined, env: Env): string {
  return flag ?? env.DEPLOY_ENV ?? DEFAULT_ENVIRONMENT;
}

/** The context of a validated config; refuses an environment without region B. */
export function contextFor(config: AppConfig): DrContext {
  if (!config.failover.enabled) {
    throw new Error(
      `failover.enabled is false for environment "${config.environment}": there is no region B to recover into. Set failover.enabled: true in config/environments/${config.environment}.ts and deploy the failover stack first.`,
    );
  }
  const regionA = config.network.region;
  const regionB = config.failover.network.region;
  return {
    environment: config.environment,
    config,
    regionA,
    regionB,
    names: recoveryNames({
      project: config.project,
      environment: config.environment,
      primaryRegion: regionA,
      failoverRegion: regionB,
      serviceName: config.service.name,
    }),
    vpcName: NameCatalogue.of(config.project, config.environment, regionB).vpc,
  };
}

/**
 * Loads and validates `environment`'s file, then its context. Only the file: dr never reads
 * Terraform state nor deploys an image, so a stray TF_STATE_* or IMAGE_TAG in the operator's
 * shell must not stop a promotion mid-incident. An unknown environment is still refused, by
 * name.
 */
export function loadContext(environment: string): DrContext {
  return contextFor(loadConfig(environment));
}
