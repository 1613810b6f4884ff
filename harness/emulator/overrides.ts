/**
 * Terraform override files that point a synthesized stack at the emulator without touching the
 * stack's own JSON: every AWS provider block (default and aliases) talks to its region's name
 * behind the emulator proxy, state goes to a scratch folder, and cross-stack remote state reads
 * the scratch state of the stack that produced it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EMULATOR_DOMAIN } from "./proxy";
import { ENDPOINT_SERVICES } from "./services";
import type { ProviderBuilds } from "./tools";

type Json = Record<string, unknown>;
interface ProviderBlock {
  readonly alias?: string;
  readonly region: string;
}
export interface OverrideOptions {
  /** The stack's name, which names its state file. */
  readonly stack: string;
  /** Folder holding every stack's scratch state as `<stack>.tfstate`. */
  readonly stateDir: string;
  /** The emulator proxy's loopback port. */
  readonly proxyPort: number;
  /** The local provider builds the stack is pointed at (tools.ts). */
  readonly providers: ProviderBuilds;
}

/** Services AWS serves from one global endpoint rather than per region. */
const GLOBAL_ZONE: Record<string, string> = { route53: "route53", iam: "iam" };

export function endpointsFor(region: string): Record<string, string> {
  return Object.fromEntries(
    ENDPOINT_SERVICES.map((s) => [s, `http://${GLOBAL_ZONE[s] ?? region}.${EMULATOR_DOMAIN}`]),
  );
}

interface StackJson {
  terraform?: { required_providers?: Record<string, { source?: string; version?: string }> };
  provider?: { aws?: ProviderBlock | ProviderBlock[] };
  data?: Record<string, Record<string, Json>>;
}

/**
 * Points the stack's `aws` and `random` requirements at the local builds, by their own source
 * address and real version, in place of the registry's hashicorp/aws and hashicorp/random that
 * the stack pins for users (an override file replaces a provider's requirement element by
 * element). Other requirements stay as they are.
 */
export function providerRequirements(
  stackJson: StackJson,
  providers: ProviderBuilds,
): Record<string, { source: string; version: string }> {
  const required = stackJson.terraform?.required_providers ?? {};
  const out: Record<string, { source: string; version: string }> = {};
  for (const name of ["aws", "random"] as const) {
    if (required[name]) out[name] = { ...providers[name] };
  }
  return out;
}

/** The override for one stack. */
export function overrideFor(
  stackJson: StackJson,
  { stack, stateDir, proxyPort, providers }: OverrideOptions,
): Json {
  const blocks: ProviderBlock[] = ([] as ProviderBlock[]).concat(stackJson.provider?.aws ?? []);
  const aws = blocks.map((p) => ({
    ...(p.alias ? { alias: p.alias } : {}),
    access_key: "emulated",
    secret_key: "emulated",
    // Endpoints are plain HTTP; HTTPS goes to the proxy too, which refuses it, so that a service
    // we forgot to point at the emulator fails instead of reaching AWS.
    http_proxy: `http://127.0.0.1:${proxyPort}`,
    https_proxy: `http://127.0.0.1:${proxyPort}`,
    skip_metadata_api_check: "true",
    s3_use_path_style: true,
    // A dead region should fail a run in seconds, not after the default 25 retries.
    max_retries: 2,
    endpoints: [endpointsFor(p.region)],
  }));
  const required = providerRequirements(stackJson, providers);
  const override: Json = {
    terraform: {
      backend: { local: { path: join(stateDir, `${stack}.tfstate`) } },
      ...(Object.keys(required).length ? { required_providers: required } : {}),
    },
    ...(aws.length ? { provider: { aws } } : {}),
  };
  const remote = stackJson.data?.terraform_remote_state ?? {};
  const data: Record<string, Json> = {};
  for (const [name, block] of Object.entries(remote)) {
    const producer = /^cross-stack-reference-input-(.+)$/.exec(name)?.[1];
    if (!producer || block.backend !== "local") {
      throw new Error(
        `${stack}: remote state "${name}" (${block.backend}) is not a cdktf cross-stack reference with local state; the emulator cannot redirect it`,
      );
    }
    data[name] = { config: { path: join(stateDir, `${producer}.tfstate`) } };
  }
  if (Object.keys(data).length) override.data = { terraform_remote_state: data };
  return override;
}

/**
 * For `terraform validate` (no backend, no endpoints): only the provider requirements, in
 * `harness_providers_override.tf.json`.
 */
export function writeProviderOverride(stackDir: string, providers: ProviderBuilds): string {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as StackJson;
  const file = join(stackDir, "harness_providers_override.tf.json");
  const required = providerRequirements(json, providers);
  writeFileSync(
    file,
    `${JSON.stringify({ terraform: { required_providers: required } }, null, 2)}\n`,
  );
  return file;
}

/** Writes `emulator_override.tf.json` beside a synthesized stack's `cdk.tf.json`. */
export function writeOverride(stackDir: string, options: OverrideOptions): string {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
  const file = join(stackDir, "emulator_override.tf.json");
  writeFileSync(file, `${JSON.stringify(overrideFor(json, options), null, 2)}\n`);
  return file;
}
