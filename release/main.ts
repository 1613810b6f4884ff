/**
 * `npm run release -- --env <env>`: a release as one command. The migration task runs once, in
 * the region whose database is the writer, and must exit 0; only then does `cdktf deploy` move
 * the services to the release's image. A failed migration stops the release before any service
 * or task changes.
 *
 * Everything from outside (environment, AWS, the deploy command, clock) is passed in, so specs
 * run it whole against an in-memory region.
 */
import { ConfigError, loadSettings, type AppConfig } from "../config";
import type { Clock, Output } from "../dr/runtime";
import { serviceNames } from "../naming/traffic";
import type { ReleaseAws } from "./aws";
import { runMigration } from "./migrate";

export const USAGE = `Usage: npm run release -- --env <name> [options]

Runs the database migration (service.migrationCommand) once, as a one-off ECS task with the
release's image in the region whose database is the writer, waits for it and shows its log;
then, only if it exited 0, runs cdktf deploy. The image comes from IMAGE_DIGEST or IMAGE_TAG,
as for synth.

Options:
  --env <name>             environment (default: DEPLOY_ENV, else dev)
  --migrate-only           run the migration, deploy nothing
  --rollback               deploy an earlier release without migrating: its image does not know
                           the newer schema's revision (Alembic refuses), and the schema stays
  --auto-approve           pass --auto-approve to cdktf deploy
  --poll-seconds <n>       seconds between polls of the migration task (default 10)
  --timeout-minutes <n>    longest wait for the migration task (default 30)`;

export interface ReleaseArgs {
  readonly env?: string;
  readonly migrateOnly: boolean;
  readonly rollback: boolean;
  readonly autoApprove: boolean;
  readonly pollSeconds: number;
  readonly timeoutMinutes: number;
  readonly help: boolean;
}

export class UsageError extends Error {}

export function parseReleaseArgs(argv: readonly string[]): ReleaseArgs {
  const args = {
    env: undefined as string | undefined,
    migrateOnly: false,
    rollback: false,
    autoApprove: false,
    pollSeconds: 10,
    timeoutMinutes: 30,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const positive = () => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) {
        throw new UsageError(`${flag}: "${raw}" is not a positive number`);
      }
      return n;
    };
    if (flag === "--help" || flag === "-h") args.help = true;
    else if (flag === "--env") args.env = value();
    else if (flag === "--migrate-only" && inline === undefined) args.migrateOnly = true;
    else if (flag === "--rollback" && inline === undefined) args.rollback = true;
    else if (flag === "--auto-approve" && inline === undefined) args.autoApprove = true;
    else if (flag === "--poll-seconds") args.pollSeconds = positive();
    else if (flag === "--timeout-minutes") args.timeoutMinutes = positive();
    else throw new UsageError(`unknown argument "${argv[i]}"`);
  }
  if (args.rollback && args.migrateOnly) {
    throw new UsageError(
      "--rollback deploys without migrating; --migrate-only migrates without deploying: give one",
    );
  }
  return args;
}

/** The region that migrates: A's database is the writer until region B is promoted. */
export function migrationRegion(config: AppConfig): string {
  return config.failover.enabled && config.failover.promoted
    ? config.failover.network.region
    : config.network.region;
}

/** What `cdktf deploy` is given: every stack, or region B's alone once it is promoted. */
export function deployArguments(config: AppConfig, autoApprove: boolean): string[] {
  const stacks = !config.failover.enabled
    ? ["primary"]
    : config.failover.promoted
      ? // Region A may be gone: the recovery path deploys B alone (docs/disaster-recovery.md).
        ["failover", "--ignore-missing-stack-dependencies"]
      : ["primary", "failover", "link"];
  return ["deploy", ...stacks, ...(autoApprove ? ["--auto-approve"] : [])];
}

export interface ReleaseDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: Output;
  readonly aws: (region: string) => ReleaseAws;
  /** Runs `cdktf <args>` with `env`; resolves to its exit code. */
  readonly cdktf: (args: string[], env: Record<string, string | undefined>) => Promise<number>;
  readonly clock: Clock;
}

/** Resolves to the exit code: 0 released, 1 migration failed or refused, 2 usage or config. */
export async function release(argv: readonly string[], deps: ReleaseDeps): Promise<number> {
  const { out } = deps;
  let args: ReleaseArgs;
  try {
    args = parseReleaseArgs(argv);
  } catch (error) {
    out.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out.line(USAGE);
    return 0;
  }
  const env = { ...deps.env, DEPLOY_ENV: args.env ?? deps.env.DEPLOY_ENV ?? "dev" };
  let config: AppConfig;
  try {
    ({ config } = loadSettings(env));
  } catch (error) {
    out.error(error instanceof ConfigError ? error.message : String(error));
    return 2;
  }
  if (config.delivery.enabled) {
    out.error(
      `refused: delivery.enabled is true for "${config.environment}": the app's deploy workflow releases (it migrates, then rolls out; docs/releases.md), and cdktf deploy no longer moves the services`,
    );
    return 1;
  }
  const region = migrationRegion(config);
  const { service } = config;
  const image = service.imageDigest
    ? `${service.image}@${service.imageDigest}`
    : `${service.image}:${service.imageTag}`;
  out.line(`Release of ${image} to ${config.project} ${config.environment}`);
  if (config.failover.enabled) {
    out.line(
      config.failover.promoted
        ? `Region B (${region}) is promoted: its database is the writer, so it migrates; region A is fenced and migrates nothing.`
        : `Region A (${region}) migrates; region B (${config.failover.network.region}) never does: its database is a replica of A's and receives the new schema by replication.`,
    );
  }
  if (args.rollback) {
    out.line(
      "Rollback: no migration. The schema stays as the newer release left it, which the earlier revision must run on (docs/releases.md).",
    );
  } else if (!(await migrated(args, config, region, image, deps))) {
    return 1;
  }
  if (args.migrateOnly) {
    out.line("Migrated; --migrate-only: nothing deployed.");
    return 0;
  }
  const deployArgs = deployArguments(config, args.autoApprove);
  out.line(`Deploying: cdktf ${deployArgs.join(" ")}`);
  const code = await deps.cdktf(deployArgs, env);
  if (code !== 0) {
    out.error(
      `cdktf deploy exited ${code}${args.rollback ? "" : "; the schema is already migrated"}`,
    );
  }
  return code === 0 ? 0 : 1;
}

/** Runs the migration and reports it; true when it exited 0. */
async function migrated(
  args: ReleaseArgs,
  config: AppConfig,
  region: string,
  image: string,
  deps: ReleaseDeps,
): Promise<boolean> {
  const { out } = deps;
  const names = serviceNames(config, region);
  const { service } = config;
  try {
    const result = await runMigration(
      deps.aws(region),
      { ...names, container: service.name, image, command: service.migrationCommand },
      {
        clock: deps.clock,
        pollMs: args.pollSeconds * 1000,
        timeoutMs: args.timeoutMinutes * 60_000,
        say: (l) => out.line(l),
      },
    );
    if (!result.ok) {
      out.error(
        `${result.reason}. The release stops here: no service and no serving task has changed. Fix the migration, then run the release again (docs/releases.md).`,
      );
    }
    return result.ok;
  } catch (error) {
    out.error(error instanceof Error ? error.message : String(error));
    return false;
  }
}
