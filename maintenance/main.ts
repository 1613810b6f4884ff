/**
 * `npm run maintenance -- on|off|status --env <env>`: the maintenance page without a deploy. Each
 * region's ALB answers every path but the health path with a 503 page while it is on: the
 * production rule is narrowed to the health path and everything else falls to the listener's
 * default action (naming/traffic.ts). ELBv2 calls only, region by region, so it works with one
 * region gone; `maintenance.enabled` in config makes Terraform agree afterwards.
 */
import { loadConfig, type AppConfig } from "../config";
import type { Output } from "../dr/runtime";
import {
  MAINTENANCE_RESPONSE,
  PRODUCTION_RULE_PRIORITY,
  productionPaths,
  serviceNames,
} from "../naming/traffic";
import type { MaintenanceElb } from "./elb";

export const USAGE = `Usage: npm run maintenance -- <on|off|status> [--env <name>]

  on       every request but service.healthCheckPath gets the maintenance page (${MAINTENANCE_RESPONSE.statusCode})
  off      the service answers every request again
  status   which regions show the page

Changes each region's ALB (ELBv2 ModifyRule) at once, without a deploy; then set
maintenance.enabled in config/environments/<env>.ts to match, or the next deploy undoes it.`;

type Command = "on" | "off" | "status";

export interface MaintenanceDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: Output;
  readonly elb: (region: string) => MaintenanceElb;
}

function parse(argv: readonly string[]): { command?: Command; env?: string; help: boolean } {
  let command: Command | undefined;
  let env: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === "--help" || flag === "-h") return { help: true };
    if (flag === "--env") {
      env = inline ?? argv[++i];
      if (!env) throw new Error("--env needs a value");
    } else if (!command && (flag === "on" || flag === "off" || flag === "status")) command = flag;
    else throw new Error(`unexpected argument "${argv[i]}"`);
  }
  if (!command) throw new Error("give on, off or status");
  return { command, env, help: false };
}

/** Every region with an ALB of this environment: A, and B when failover is on. */
function regionsOf(config: AppConfig): string[] {
  return [
    config.network.region,
    ...(config.failover.enabled ? [config.failover.network.region] : []),
  ];
}

/** Resolves to the exit code: 0 done, 1 a region failed, 2 usage or config. */
export async function maintenance(argv: readonly string[], deps: MaintenanceDeps): Promise<number> {
  const { out } = deps;
  let parsed: ReturnType<typeof parse>;
  let config: AppConfig;
  try {
    parsed = parse(argv);
    if (parsed.help) {
      out.line(USAGE);
      return 0;
    }
    // The file only: an incident must not wait for IMAGE_TAG or backend variables.
    config = loadConfig(parsed.env ?? deps.env.DEPLOY_ENV ?? "dev");
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { command } = parsed as { command: Command };
  const health = config.service.healthCheckPath;
  let failed = 0;
  for (const region of regionsOf(config)) {
    const { loadBalancer } = serviceNames(config, region);
    try {
      const aws = deps.elb(region);
      const rule = await aws.productionRule(loadBalancer);
      if (!rule) {
        throw new Error(
          `no production rule (priority ${PRODUCTION_RULE_PRIORITY}) on ${loadBalancer}'s serving listener: deploy this version's stacks first`,
        );
      }
      const on = rule.paths.length === 1 && rule.paths[0] === health;
      if (command === "status") {
        out.line(
          `${region}: maintenance ${on ? "on" : "off"} (${loadBalancer}:${rule.listenerPort})`,
        );
        continue;
      }
      const want = productionPaths(command === "on", health);
      if (rule.paths.join() === want.join()) {
        out.line(`${region}: maintenance already ${command}`);
        continue;
      }
      await aws.setPaths(rule.ruleArn, want);
      const after = await aws.productionRule(loadBalancer);
      if (after?.paths.join() !== want.join()) {
        throw new Error(
          `the rule reads ${JSON.stringify(after?.paths)} after the change, not ${JSON.stringify(want)}`,
        );
      }
      out.line(
        command === "on"
          ? `${region}: maintenance on: ${loadBalancer} answers ${MAINTENANCE_RESPONSE.statusCode} to every path but ${health}`
          : `${region}: maintenance off: ${loadBalancer} forwards every path to the service`,
      );
    } catch (error) {
      failed++;
      out.error(`${region}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (command !== "status" && config.maintenance.enabled !== (command === "on")) {
    out.warn(
      `set maintenance.enabled: ${command === "on"} in config/environments/${config.environment}.ts before the next deploy, or the deploy turns maintenance ${command === "on" ? "off" : "on"} again`,
    );
  }
  return failed ? 1 : 0;
}
