/**
 * The Terraform CLI and the locally built providers (harness/terraform-tools.sh), plus the
 * environment every Terraform call of ours runs with.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");

export interface TerraformTools {
  /** The terraform binary. */
  readonly terraform: string;
  /** CLI config that installs providers only from the local mirror. */
  readonly cliConfig: string;
  /**
   * This build's own plugin cache. cdktf sets ~/.terraform.d/plugin-cache unless told otherwise,
   * and Terraform keys a cache entry by version alone: two builds of one version (another branch's
   * service list) would then serve each other's binary.
   */
  readonly pluginCache: string;
  readonly mirror: string;
  /** Source address and version of each local build (never a registry's: terraform-tools.sh). */
  readonly providers: ProviderBuilds;
  /** One line naming what actually runs, for logs and docs. */
  readonly versions: string;
}

export interface ProviderBuilds {
  readonly aws: { readonly source: string; readonly version: string };
  readonly random: { readonly source: string; readonly version: string };
}

/** Builds or finds the tools (progress goes to stderr) and returns their paths. */
export function terraformTools(): TerraformTools {
  let out: string;
  try {
    out = execFileSync("bash", [join(root, "harness", "terraform-tools.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
  } catch {
    throw new Error("the Terraform tools could not be built (see the terraform-tools lines above)");
  }
  const vars: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    // The script prints bash %q quoting; our values carry no quotes or spaces except the
    // versions line, which %q escapes with backslashes.
    if (m) vars[m[1]] = m[2].replace(/\\(.)/g, "$1").replace(/^\$?'(.*)'$/, "$1");
  }
  const keys = [
    "TF_BIN",
    "TF_CLI_CONFIG_FILE",
    "TF_PLUGIN_CACHE_DIR",
    "TF_PROVIDER_MIRROR",
    "TF_AWS_SOURCE",
    "TF_AWS_VERSION",
    "TF_RANDOM_SOURCE",
    "TF_RANDOM_VERSION",
    "TF_TOOLS_VERSIONS",
  ];
  for (const k of keys) {
    if (!vars[k]) throw new Error(`terraform-tools.sh did not print ${k}`);
  }
  return {
    terraform: vars.TF_BIN,
    cliConfig: vars.TF_CLI_CONFIG_FILE,
    pluginCache: vars.TF_PLUGIN_CACHE_DIR,
    mirror: vars.TF_PROVIDER_MIRROR,
    providers: {
      aws: { source: vars.TF_AWS_SOURCE, version: vars.TF_AWS_VERSION },
      random: { source: vars.TF_RANDOM_SOURCE, version: vars.TF_RANDOM_VERSION },
    },
    versions: vars.TF_TOOLS_VERSIONS,
  };
}

/**
 * Environment for Terraform and cdktf: our CLI config (local providers only), no checkpoint
 * calls, no colour codes in logs, and none of the caller's AWS or backend settings, so that a
 * check can never reach a real account or a real state backend by accident.
 */
export function terraformEnv(
  tools: TerraformTools,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(AWS_|TF_CLOUD_|TF_STATE_|TF_TOKEN_|TF_VAR_)/.test(k)) delete env[k];
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: tools.cliConfig,
    TF_PLUGIN_CACHE_DIR: tools.pluginCache,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
    // Stand-ins for the ephemeral credentials region B's image cache declares (never a real
    // token: the emulator's ECR only checks that the secret has a value).
    TF_VAR_image_cache_username: "emulated",
    TF_VAR_image_cache_token: "emulated-token",
    ...extra,
  };
}
