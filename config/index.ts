/**
 * Picks an environment's settings and validates them, with the backend choice, before any
 * construct is built.
 *
 * `DEPLOY_ENV` chooses the environment (default `dev`); `IMAGE_TAG` or `IMAGE_DIGEST` overrides
 * the image, so a pipeline can deploy the build it just pushed without editing config.
 */
import {
  type BackendChoice,
  backendFromEnv,
  backendProblems,
  stateRegionProblems,
} from "./backend";
import { dev } from "./environments/dev";
import { prod } from "./environments/prod";
import { imageOverrideProblems, imageProblems, withImageOverrides } from "./image";
import type { AppConfig, EnvironmentInput } from "./schema";
import { ConfigError, configProblems } from "./validate";

export const ENVIRONMENTS: Readonly<Record<string, EnvironmentInput>> = { dev, prod };
export const DEFAULT_ENVIRONMENT = "dev";

import type { Env } from "./env";

export type { Env } from "./env";

/** DEPLOY_ENV's environment name, or the problem with it. */
function chooseEnvironment(env: Env): { name?: string; problems: string[] } {
  const allowed = `use one of ${Object.keys(ENVIRONMENTS).join(", ")}`;
  if (env.DEPLOY_ENV === undefined) return { name: DEFAULT_ENVIRONMENT, problems: [] };
  const name = env.DEPLOY_ENV.trim();
  if (!name) {
    return {
      problems: [
        `DEPLOY_ENV: is set but empty (${JSON.stringify(env.DEPLOY_ENV)}); ${allowed}, or unset it for ${DEFAULT_ENVIRONMENT}`,
      ],
    };
  }
  // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
  if (!Object.hasOwn(ENVIRONMENTS, name)) {
    return { problems: [`DEPLOY_ENV: unknown environment "${name}"; ${allowed}`] };
  }
  return { name, problems: [] };
}

/** The environment DEPLOY_ENV names (default dev); a `ConfigError` when it names none. */
export function environmentName(env: Env): string {
  const { name, problems } = chooseEnvironment(env);
  if (name === undefined) throw new ConfigError(undefined, problems);
  return name;
}

/**
 * The environment file `name` with `env`'s overrides, validated; IMAGE_TAG's and IMAGE_DIGEST's
 * own problems first.
 */
function configFor(name: string, env: Env): { config?: AppConfig; problems: string[] } {
  const tagProblems = imageOverrideProblems(env);
  // A refused IMAGE_TAG is reported under its own name, not again as service.imageTag.
  const input = tagProblems.length
    ? ENVIRONMENTS[name]
    : withImageOverrides(ENVIRONMENTS[name], env);
  const { config, problems } = configProblems(input, name);
  const all = [...tagProblems, ...problems];
  return { config: all.length ? undefined : config, problems: all };
}

/** The validated settings for `name`, with deploy-time overrides from `env` applied. */
export function loadConfig(name: string, env: Env = {}): AppConfig {
  const chosen = chooseEnvironment({ DEPLOY_ENV: name });
  const { config, problems } =
    chosen.name === undefined
      ? { config: undefined, problems: [...chosen.problems, ...imageOverrideProblems(env)] }
      : configFor(chosen.name, env);
  if (!config) throw new ConfigError(chosen.name, problems);
  return config;
}

export interface Settings {
  readonly environment: string;
  readonly config: AppConfig;
  readonly backend: BackendChoice;
}

/**
 * Everything `main.ts` needs from the process environment, validated together: DEPLOY_ENV,
 * IMAGE_TAG or IMAGE_DIGEST (and that the image is one this environment may deploy), the
 * environment file and the backend variables. One `ConfigError` lists every problem of all of
 * them.
 */
export function loadSettings(env: Env): Settings {
  const chosen = chooseEnvironment(env);
  const loaded = chosen.name === undefined ? undefined : configFor(chosen.name, env);
  const problems = [
    ...chosen.problems,
    // Without an environment, IMAGE_TAG is still worth checking on its own.
    ...(loaded?.problems ?? imageOverrideProblems(env)),
    ...(loaded?.config ? imageProblems(loaded.config.service) : []),
    ...backendProblems(env),
  ];
  if (problems.length || !loaded?.config || chosen.name === undefined) {
    throw new ConfigError(chosen.name, problems);
  }
  const { config } = loaded;
  const backend = backendFromEnv(env, chosen.name);
  const regionProblems = stateRegionProblems(backend, {
    primary: config.network.region,
    failover: config.failover.enabled ? config.failover.network.region : undefined,
  });
  if (regionProblems.length) throw new ConfigError(chosen.name, regionProblems);
  return { environment: chosen.name, config, backend };
}

export { withImageOverrides as withOverrides } from "./image";

export { ConfigError, validateConfig } from "./validate";
export type * from "./schema";
