/**
 * Where Terraform keeps state, chosen from the environment so that the same code serves a
 * laptop, Terraform Cloud and an S3-based team setup:
 *
 * - `TF_CLOUD_ORGANIZATION` set: Terraform Cloud, one named workspace per stack and environment
 *   (`TF_CLOUD_HOSTNAME` and `TF_CLOUD_PROJECT` optional).
 * - `TF_STATE_BUCKET` set: S3 with encryption and locking (`TF_STATE_REGION`, default the
 *   primary region; `TF_STATE_LOCK_TABLE` for DynamoDB locking, otherwise S3 lock files).
 * - neither: local state files, `state/<environment>/<stack>.tfstate` (`config/state.ts`).
 */
import type { Env } from "./index";
import { ConfigError } from "./validate";

export type BackendChoice =
  | { kind: "local" }
  | { kind: "cloud"; organization: string; hostname?: string; project?: string }
  | { kind: "s3"; bucket: string; region?: string; lockTable?: string };

export function backendFromEnv(env: Env, environment: string): BackendChoice {
  const organization = env.TF_CLOUD_ORGANIZATION?.trim();
  const bucket = env.TF_STATE_BUCKET?.trim();
  if (organization && bucket) {
    throw new ConfigError(environment, [
      "TF_CLOUD_ORGANIZATION and TF_STATE_BUCKET: both are set; unset one to choose Terraform Cloud or S3 state",
    ]);
  }
  if (organization) {
    return {
      kind: "cloud",
      organization,
      hostname: env.TF_CLOUD_HOSTNAME?.trim() || undefined,
      project: env.TF_CLOUD_PROJECT?.trim() || undefined,
    };
  }
  if (bucket) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new ConfigError(environment, [
        `TF_STATE_BUCKET: "${bucket}" is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`,
      ]);
    }
    return {
      kind: "s3",
      bucket,
      region: env.TF_STATE_REGION?.trim() || undefined,
      lockTable: env.TF_STATE_LOCK_TABLE?.trim() || undefined,
    };
  }
  return { kind: "local" };
}
