/**
 * `npm run dr`: parses the command line, loads the environment and runs a command against
 * region B. Everything from outside (environment, terminal, AWS, clock) is passed in, so specs
 * run it whole against the in-memory region B.
 */
import { USAGE, UsageError, parseArgs, type Args } from "./args";
import { auditFile, openAudit, runId } from "./audit";
import type { RegionB } from "./aws/aws";
import type { RegionA } from "./aws/region-a";
import { type Terminal, confirmPromotion } from "./promote/confirm";
import { type DrContext, environmentFrom, loadContext } from "./context";
import { FAILBACK_REFUSAL, failbackPlan, formatFailbackPlan } from "./failback/failback";
import { type StatusOf, probe } from "./promote/probe";
import { formatTimeline, runSteps } from "./promote/promote";
import type { Clock, Output } from "./runtime";
import { formatStatus, statusChecks } from "./status";
import { Refusal } from "./promote/step";
import { PROMOTE_STEPS } from "./promote/steps";

export interface MainDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: Output;
  readonly terminal: Terminal;
  /** Where state/<env>/dr-audit.log goes. */
  readonly projectDir: string;
  readonly regionB: (region: string) => RegionB;
  /** Region A's RDS API, read-only and bounded; promote asks it whether A's writer is there. */
  readonly regionA: (region: string) => RegionA;
  readonly clock: Clock;
  readonly statusOf: StatusOf;
}

/** Runs one command; resolves to the exit code (0 ok, 1 not ready / refused / failed, 2 usage). */
export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  const { out } = deps;
  try {
    const args = parseArgs(argv);
    if (args.command === "help") {
      out.line(USAGE);
      return 0;
    }
    const ctx = loadContext(environmentFrom(args.env, deps.env));
    if (args.command === "failback") {
      if (!args.plan) throw new Refusal(FAILBACK_REFUSAL);
      formatFailbackPlan(ctx, failbackPlan(ctx)).forEach((l) => out.line(l));
      return 0;
    }
    const aws = deps.regionB(ctx.regionB);
    if (args.command === "status") {
      const checks = await statusChecks(aws, ctx, { maxLagSeconds: args.maxLagSeconds });
      const { ready, lines } = formatStatus(ctx, checks);
      lines.forEach((l) => out.line(l));
      return ready ? 0 : 1;
    }
    return await promote(args, ctx, aws, deps);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    out.error(error instanceof Refusal ? `refused: ${message}` : message);
    return error instanceof Refusal ? 1 : 2;
  }
}

async function promote(args: Args, ctx: DrContext, aws: RegionB, deps: MainDeps) {
  const { out, clock } = deps;
  const dryRun = args.dryRun;
  if (!dryRun) await confirmPromotion(ctx, { yes: args.yes, terminal: deps.terminal });
  const run = runId(clock);
  // A dry run changes nothing, the audit trail included.
  const audit = dryRun
    ? undefined
    : await openAudit({
        file: auditFile(deps.projectDir, ctx.environment),
        logs: aws.logs,
        group: ctx.names.auditLogGroup,
        run,
        environment: ctx.environment,
        command: `promote${args.force ? " --force" : ""}`,
        clock,
        out,
      });
  out.line(
    `${dryRun ? "Dry run: plan to promote" : "Promoting"} region B (${ctx.regionB}) of ${ctx.config.project} ${ctx.environment}${dryRun ? "" : `, run ${run}`}`,
  );
  const result = await runSteps(
    PROMOTE_STEPS,
    {
      aws,
      regionA: deps.regionA(ctx.regionA),
      ctx,
      clock,
      say: (l) => out.line(l),
      probe: (target) => probe(target, { statusOf: deps.statusOf, clock }),
      options: {
        force: args.force,
        dryRun,
        pollMs: args.pollSeconds * 1000,
        timeoutMs: args.timeoutMinutes * 60_000,
      },
    },
    audit,
  );
  out.line("");
  formatTimeline(result.timeline).forEach((l) => out.line(l));
  const again = `npm run dr -- promote --env ${ctx.environment}`;
  if (!result.ok) {
    const stopped = result.timeline.find((t) => t.outcome === "failed" || t.outcome === "refused");
    out.error(
      dryRun
        ? `the plan stops at ${stopped?.step}: ${stopped?.detail}`
        : `stopped at ${stopped?.step}: ${stopped?.detail}\nFix that and re-run ${again}: finished steps are skipped.`,
    );
    return 1;
  }
  out.line(
    dryRun
      ? `Nothing changed. To do it: ${again}`
      : `Region B serves as the writer. Now make Terraform agree: set failover.promoted: true in config/environments/${ctx.environment}.ts, then DEPLOY_ENV=${ctx.environment} npx cdktf deploy failover --ignore-missing-stack-dependencies (docs/disaster-recovery.md). Audit: ${auditFile(deps.projectDir, ctx.environment)} and ${ctx.names.auditLogGroup} in ${ctx.regionB}.`,
  );
  return 0;
}
