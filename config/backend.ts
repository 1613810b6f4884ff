/**
 * Where Terraform keeps state, chosen from the environment so that the same code serves a
 * laptop, Terraform Cloud and an S3-based team setup:
 *
 * - `TF_CLOUD_ORGANIZATION` set: Terraform Cloud, one named workspace per stack and environment
 *   (`TF_CLOUD_HOSTNAME` and `TF_CLOUD_PROJECT` optional).
 * - `TF_STATE_BUCKET` set: S3 with encryption and locking (`TF_STATE_REGION`, default the
 *   primary region; `TF_STATE_LOCK_TABLE` for DynamoDB locking, otherwise S3 lock files).
 *   `TF_STATE_BUCKET_<STACK>` and `TF_STATE_REGION_<STACK>` (such as `TF_STATE_BUCKET_FAILOVER`)
 *   give one stack a bucket of its own: the failover stack's state must live outside region A.
 * - neither: local state files, `state/<environment>/<stack>.tfstate` (`config/state.ts`).
 */
import {
  DYNAMODB_TABLE_NAME,
  TFC_ORGANIZATION_NAME,
  TFC_PROJECT_NAME,
  regionProblem,
  s3BucketNameProblems,
} from "../facts";
import type { Env } from "./env";
import { ConfigError } from "./validate";

/** One stack's own S3 bucket and region, where it differs from the default. */
export interface S3StackState {
  readonly bucket?: string;
  readonly region?: string;
  /** DynamoDB lock table in the stack's own region. */
  readonly lockTable?: string;
}

export type BackendChoice =
  | { kind: "local" }
  | { kind: "cloud"; organization: string; hostname?: string; project?: string }
  | {
      kind: "s3";
      bucket: string;
      region?: string;
      lockTable?: string;
      /** By stack id (`failover`, `delivery-github`, ...). */
      stacks?: Readonly<Record<string, S3StackState>>;
    };

/** Stack ids as they appear in per-stack variable names: `delivery-github` -> DELIVERY_GITHUB. */
export const S3_STACKS = ["primary", "failover", "link", "delivery", "delivery-github"] as const;
const stackSuffix = (stack: string) => stack.toUpperCase().replace(/-/g, "_");
const bucketVariable = (stack: string) => `TF_STATE_BUCKET_${stackSuffix(stack)}`;
const regionVariable = (stack: string) => `TF_STATE_REGION_${stackSuffix(stack)}`;
const lockVariable = (stack: string) => `TF_STATE_LOCK_TABLE_${stackSuffix(stack)}`;
const PER_STACK = S3_STACKS.flatMap((s) => [bucketVariable(s), regionVariable(s), lockVariable(s)]);

const CLOUD_OPTIONS = ["TF_CLOUD_HOSTNAME", "TF_CLOUD_PROJECT"] as const;
const S3_OPTIONS = ["TF_STATE_REGION", "TF_STATE_LOCK_TABLE", ...PER_STACK] as const;

/**
 * Every problem with the backend variables, each naming the variable, its value, the rule and
 * the fix. A variable that is set must mean something: a blank one, or an option of a backend
 * that is not chosen, would otherwise be dropped without a word (a blank TF_STATE_BUCKET in CI
 * would quietly fall back to local state).
 */
export function backendProblems(env: Env): string[] {
  const problems: string[] = [];
  const all = ["TF_CLOUD_ORGANIZATION", "TF_STATE_BUCKET", ...CLOUD_OPTIONS, ...S3_OPTIONS];
  for (const name of all) {
    const raw = env[name];
    if (raw !== undefined && !raw.trim()) {
      problems.push(
        `${name}: is set but empty (${JSON.stringify(raw)}); give it a value or unset it`,
      );
    }
  }
  const value = (name: string) => env[name]?.trim() || undefined;
  const organization = value("TF_CLOUD_ORGANIZATION");
  const bucket = value("TF_STATE_BUCKET");
  if (organization && bucket) {
    problems.push(
      "TF_CLOUD_ORGANIZATION and TF_STATE_BUCKET: both are set; unset one to choose Terraform Cloud or S3 state",
    );
  }
  const orphans = (options: readonly string[], owner: string) => {
    for (const name of options.filter((n) => value(n) !== undefined)) {
      problems.push(
        `${name}: "${value(name)}" has no effect without ${owner}; set ${owner} or unset ${name}`,
      );
    }
  };
  if (!organization) orphans(CLOUD_OPTIONS, "TF_CLOUD_ORGANIZATION");
  if (!bucket) orphans(S3_OPTIONS, "TF_STATE_BUCKET");

  if (organization && !TFC_ORGANIZATION_NAME.test(organization)) {
    problems.push(
      `TF_CLOUD_ORGANIZATION: "${organization}" is not an HCP Terraform organization name: letters, digits, - and _ only (no spaces)`,
    );
  }
  const hostname = value("TF_CLOUD_HOSTNAME");
  if (hostname && !HOSTNAME.test(hostname)) {
    problems.push(
      `TF_CLOUD_HOSTNAME: "${hostname}" is not a host name; give the host only, such as app.terraform.io or tfe.example.com (no https://, no path)`,
    );
  }
  const project = value("TF_CLOUD_PROJECT");
  if (project && !TFC_PROJECT_NAME.test(project)) {
    problems.push(
      `TF_CLOUD_PROJECT: "${project}" is not an HCP Terraform project name: 3 to 40 letters, digits, spaces, - and _, not starting or ending with a space`,
    );
  }
  for (const name of ["TF_STATE_BUCKET", ...S3_STACKS.map(bucketVariable)]) {
    const given = bucket ? value(name) : undefined;
    const rules = given ? s3BucketNameProblems(given) : [];
    if (rules.length) {
      problems.push(`${name}: "${given}" is not a valid S3 bucket name: it ${rules.join("; it ")}`);
    }
  }
  for (const name of ["TF_STATE_REGION", ...S3_STACKS.map(regionVariable)]) {
    const region = value(name);
    const regionIssue = region && regionProblem(region);
    if (regionIssue) problems.push(`${name}: ${regionIssue}`);
  }
  for (const name of ["TF_STATE_LOCK_TABLE", ...S3_STACKS.map(lockVariable)]) {
    const table = value(name);
    if (table && !DYNAMODB_TABLE_NAME.test(table)) {
      problems.push(
        `${name}: "${table}" is not a DynamoDB table name: 3 to 255 letters, digits, _, - and .`,
      );
    }
  }
  return problems;
}

/** A DNS host name with an optional port: what Terraform's `hostname` takes. */
const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

export function backendFromEnv(env: Env, environment: string): BackendChoice {
  const problems = backendProblems(env);
  if (problems.length) throw new ConfigError(environment, problems);
  const organization = env.TF_CLOUD_ORGANIZATION?.trim();
  const bucket = env.TF_STATE_BUCKET?.trim();
  if (organization) {
    return {
      kind: "cloud",
      organization,
      hostname: env.TF_CLOUD_HOSTNAME?.trim() || undefined,
      project: env.TF_CLOUD_PROJECT?.trim() || undefined,
    };
  }
  if (bucket) {
    const stacks: Record<string, S3StackState> = {};
    for (const stack of S3_STACKS) {
      const own = {
        bucket: env[bucketVariable(stack)]?.trim() || undefined,
        region: env[regionVariable(stack)]?.trim() || undefined,
        lockTable: env[lockVariable(stack)]?.trim() || undefined,
      };
      if (own.bucket || own.region || own.lockTable) stacks[stack] = own;
    }
    return {
      kind: "s3",
      bucket,
      region: env.TF_STATE_REGION?.trim() || undefined,
      lockTable: env.TF_STATE_LOCK_TABLE?.trim() || undefined,
      stacks,
    };
  }
  return { kind: "local" };
}

/** Bucket, region and lock table of one stack's S3 state: its own variables, else the defaults. */
export function s3StackState(
  backend: Extract<BackendChoice, { kind: "s3" }>,
  stack: string,
  primaryRegion: string,
): { bucket: string; region: string; lockTable?: string } {
  const own = backend.stacks?.[stack];
  return {
    bucket: own?.bucket ?? backend.bucket,
    region: own?.region ?? backend.region ?? primaryRegion,
    lockTable: own?.lockTable ?? backend.lockTable,
  };
}

/**
 * Problems of the backend with this environment's regions: the failover stack is what recovery
 * applies while region A is down, so its S3 state must not sit in region A.
 */
export function stateRegionProblems(
  backend: BackendChoice,
  regions: { primary: string; failover?: string },
): string[] {
  if (backend.kind !== "s3") return [];
  const problems: string[] = [];
  // A bucket lives in one region: a stack's own region means nothing without its own bucket.
  const defaultRegion = backend.region ?? regions.primary;
  for (const [stack, own] of Object.entries(backend.stacks ?? {})) {
    if (own.region && !own.bucket && own.region !== defaultRegion) {
      problems.push(
        `${regionVariable(stack)}: "${own.region}" without ${bucketVariable(stack)} would look for bucket "${backend.bucket}" (in ${defaultRegion}) in ${own.region}; set ${bucketVariable(stack)} to a bucket in ${own.region}, or unset ${regionVariable(stack)}`,
      );
    }
    // The S3 backend looks its DynamoDB table up in the state's region.
    if (own.region && own.region !== defaultRegion && backend.lockTable && !own.lockTable) {
      problems.push(
        `${lockVariable(stack)}: ${stack}'s state is in ${own.region}, where the S3 backend would look for TF_STATE_LOCK_TABLE "${backend.lockTable}" (a table in ${defaultRegion}); set ${lockVariable(stack)} to a table in ${own.region} (the same name if it exists there), or unset TF_STATE_LOCK_TABLE to lock with S3 lock files`,
      );
    }
    if (own.lockTable && !backend.lockTable) {
      problems.push(
        `${lockVariable(stack)}: "${own.lockTable}" without TF_STATE_LOCK_TABLE: the other stacks would lock with S3 lock files and this one with DynamoDB; set TF_STATE_LOCK_TABLE too, or unset ${lockVariable(stack)}`,
      );
    }
  }
  if (!regions.failover) return problems;
  const { bucket, region } = s3StackState(backend, "failover", regions.primary);
  if (region !== regions.primary) return problems;
  return [
    ...problems,
    `${regionVariable("failover")}: the failover stack's state would be in bucket "${bucket}" in ${region}, region A, out of reach exactly when recovery needs it; set ${bucketVariable("failover")} and ${regionVariable("failover")} to a bucket in ${regions.failover} (or any region but ${regions.primary})`,
  ];
}
