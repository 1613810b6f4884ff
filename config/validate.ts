/**
 * Turns an environment file into a validated `AppConfig`, or a `ConfigError` that lists every
 * problem at once, each naming the field, the value it holds and what is allowed.
 */
import type { z } from "zod";
import { crossFieldProblems, type Sections } from "./rules";
import { type AppConfig, configSchema, MOVED_SETTINGS } from "./schema";

export { PRODUCTION_ENVIRONMENTS } from "./rules";
export { MAX_ENVIRONMENT_LENGTH, MAX_PROJECT_LENGTH } from "./schema";

export class ConfigError extends Error {
  constructor(
    /** The environment being synthesized; undefined when DEPLOY_ENV itself is the problem. */
    readonly environment: string | undefined,
    readonly problems: readonly string[],
  ) {
    const subject = environment === undefined ? "" : ` for environment "${environment}"`;
    super(
      `Invalid configuration${subject} (${problems.length} problem${
        problems.length === 1 ? "" : "s"
      }):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** The problems of `raw` as the environment chosen by `environment` (DEPLOY_ENV). */
export function configProblems(
  raw: unknown,
  environment: string,
): { config?: AppConfig; problems: string[] } {
  const problems: string[] = [];
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.map(formatIssue));
  const sections = parsed.success ? parsed.data : (parsePartially(configSchema, raw) as Sections);
  const failedPaths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
  const failed = (path: string) => failedPaths.some((p) => p === path || p.startsWith(`${path}.`));
  problems.push(...crossFieldProblems(sections, environment, failed));
  return { config: parsed.success && problems.length === 0 ? parsed.data : undefined, problems };
}

export function validateConfig(raw: unknown, environment: string): AppConfig {
  const { config, problems } = configProblems(raw, environment);
  if (!config) throw new ConfigError(environment, problems);
  return config;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_key") {
    const path = issue.path.slice(0, -1).join(".") || "(root)";
    const reason = issue.issues[0]?.message ?? issue.message;
    return `${path}: key ${JSON.stringify(issue.path.at(-1))} ${reason}`;
  }
  const path = issue.path.length ? issue.path.join(".") : "(root)";
  if (issue.code === "unrecognized_keys") {
    const moved = issue.keys.filter((k) => MOVED_SETTINGS[[...issue.path, k].join(".")]);
    if (moved.length) {
      return moved
        .map((k) => {
          const former = [...issue.path, k].join(".");
          return `${former}: moved to ${MOVED_SETTINGS[former]}; set it there and remove this key`;
        })
        .join("; ");
    }
    return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys
      .map((k) => `"${k}"`)
      .join(", ")}; remove or correct ${issue.keys.length > 1 ? "them" : "it"}`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `${path}: is required (${issue.expected})`;
  }
  const message = humanMessage(issue);
  const value = shown(issue.input);
  return value === undefined || message.includes(value)
    ? `${path}: ${message}`
    : `${path}: ${message} (got ${value})`;
}

/** zod's own wording for the checks that carry no message of ours. */
function humanMessage(issue: z.core.$ZodIssue): string {
  if (!/^(Invalid|Too (small|big))/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `must be ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}`;
    case "too_small":
      return issue.origin === "number"
        ? `must be ${issue.inclusive ? "at least" : "above"} ${issue.minimum}`
        : `must have at least ${issue.minimum} ${issue.origin === "array" ? "entries" : "characters"}`;
    case "too_big":
      return issue.origin === "number"
        ? `must be ${issue.inclusive ? "at most" : "below"} ${issue.maximum}`
        : `must have at most ${issue.maximum} ${issue.origin === "array" ? "entries" : "characters"}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

/** A scalar input as it would be written in the environment file; objects are not echoed. */
function shown(input: unknown): string | undefined {
  if (typeof input === "string") return JSON.stringify(input);
  if (typeof input === "number" || typeof input === "boolean") return String(input);
  return undefined;
}

/**
 * What parses of `raw`, field by field: a value that fails its check is left out, and its
 * siblings are kept, so that rules across the others still run.
 */
function parsePartially(schema: z.ZodType, raw: unknown): unknown {
  const whole = schema.safeParse(raw);
  if (whole.success) return whole.data;
  const shape = objectShape(schema);
  if (!shape || typeof raw !== "object" || raw === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const value = parsePartially(field, (raw as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The fields of an object schema, seen through default, prefault, optional and nullable. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = schema._zod.def as {
    type: string;
    shape?: Record<string, z.ZodType>;
    innerType?: z.ZodType;
  };
  if (def.type === "object") return def.shape;
  return def.innerType ? objectShape(def.innerType) : undefined;
}
