/**
 * Picks an environment's settings and validates them before any construct is built.
 *
 * `DEPLOY_ENV` chooses the environment (default `dev`); `IMAGE_TAG` overrides the image tag,
 * so a pipeline can deploy the build it just pushed without editing config.
 */
import { dev } from "./environments/dev";
import { prod } from "./environments/prod";
import type { AppConfig, EnvironmentInput } from "./schema";
import { ConfigError, validateConfig } from "./validate";

export const ENVIRONMENTS: Readonly<Record<string, EnvironmentInput>> = { dev, prod };
export const DEFAULT_ENVIRONMENT = "dev";

export type Env = Readonly<Record<string, string | undefined>>;

export function environmentName(env: Env): string {
  return env.DEPLOY_ENV?.trim() || DEFAULT_ENVIRONMENT;
}

/** The validated settings for `name`, with deploy-time overrides from `env` applied. */
export function loadConfig(name: string, env: Env = {}): AppConfig {
  const input = ENVIRONMENTS[name];
  if (!input) {
    throw new ConfigError(name, [
      `DEPLOY_ENV: unknown environment "${name}"; use one of ${Object.keys(ENVIRONMENTS).join(", ")}`,
    ]);
  }
  return validateConfig(withOverrides(input, env), name);
}

export function withOverrides(input: EnvironmentInput, env: Env): EnvironmentInput {
  const tag = env.IMAGE_TAG?.trim();
  if (!tag) return input;
  return { ...input, service: { ...input.service, imageTag: tag } };
}

export { ConfigError, validateConfig } from "./validate";
export type * from "./schema";
