/**
 * The disaster-recovery rehearsal, on an emulated AWS where both regions are deployed. Route53
 * and IAM are down throughout (recovery must not need them); each scenario below is a function
 * of its own, runs `npm run dr -- promote` against the same deployment, and must end the way it
 * names, in this order:
 *
 * 1. regionAStillUp: region A serves (its ALB answers the probe through the proxy): promote
 *    refuses without --force and changes nothing.
 * 1b. regionABlipsWriterThere: A's service fails its checks but A's RDS API shows A's writer (a
 *    maintenance blip): promote refuses on the writer (fence-rehearsal.ts).
 * 1c. insideMaintenanceWindow: A silent, dr's clock inside A's maintenance window: promote refuses.
 * 1d. With failover.automatic (auto-rehearsal.ts), the automatic promotion's handler in process:
 *    automaticOff, blipShorterThanQuorum, disarmed, latchUsed, lagAboveRpo: each guard alone
 *    keeps region B unchanged, paging once where it must.
 * 2. secretReplyLost: region A down; Secrets Manager carries out PutSecretValue but its reply
 *    never arrives: the run fails at repoint-secret, with the secret written once. With
 *    failover.automatic, automaticPromotionReplyLost instead: the function, with no operator,
 *    detects, pages, holds, latches and runs the same steps into the same fault.
 * 3. tasksNeverHealthy: region B's tasks never pass their health check: the re-run finds the
 *    secret done (no second write) and fails in wait-serving, saying what it waited for.
 * 4. promotion (the positive one): tasks healthy again; the re-run resumes and finishes; region B
 *    is read back (the whole secret, a deployment started after the secret changed, capacity,
 *    fence, audit trail); then the failover stack with `failover.promoted: true` plans and
 *    applies with A, Route53 and IAM still down, and writes the secret dr wrote, byte for byte;
 *    before that, a plan of the unpromoted failover stack must fail on the promotion guard.
 * 5. regionABackFenced: every zone back; region A's fence enforcer (its handler, in process) holds
 *    A's service at zero while B answers fenced, and keeps it there once B stops answering.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../config";
import { validateConfig } from "../../config/validate";
import { auditFile } from "../../dr/audit";
import { connectionSecretValue, parseConnection } from "../../dr/promote/secret";
import { inMaintenanceWindow } from "../../dr/promote/steps-writer";
import { NOW_VARIABLE } from "../../dr/runtime";
import { parseWeeklyWindow } from "../../facts/rds";
import type { AppConfig } from "../../config/schema";
import { NameCatalogue } from "../../naming/catalogue";
import { FENCE_RESPONSES, type RecoveryNames, recoveryNames } from "../../naming/recovery";
import {
  type AutoStage,
  automaticOff,
  autoStage,
  blipShorterThanQuorum,
  disarmed,
  lagAboveRpo,
  latchUsed,
  promotesWithNoOperator,
} from "./auto-rehearsal";
import { enforcerHoldsA, redeployFailsAtPlan, refusesWhileWriterVisible } from "./fence-rehearsal";
import { ensureMoto } from "./moto";
import { variantStack } from "./variant-stack";
import { log, run, type RunResult, tail } from "./run";
import type { Emulator } from "./session";
import type { TerraformTools } from "./tools";
import { VARIANTS, variantSlug } from "../variants";

export interface RehearsalContext {
  readonly tools: TerraformTools;
  /** Terraform's environment (AWS variables dropped, emulator pace set). */
  readonly env: NodeJS.ProcessEnv;
  readonly emulator: Emulator;
  readonly environment: string;
  /** Synthesizes a verification variant by slug; returns the folder holding its stacks. */
  readonly synthesizeVariant: (slug: string, outdir: string) => string;
}

/** What every scenario needs: names, regions, settings, and the deployment's state before dr. */
interface Stage {
  readonly ctx: RehearsalContext;
  readonly names: RecoveryNames;
  readonly regionA: string;
  readonly regionB: string;
  readonly scaling: { readonly minCapacity: number; readonly maxCapacity: number };
  readonly config: AppConfig;
  readonly before: RegionBFacts;
  readonly auditFile: string;
  readonly auditBytes: number;
  /** `--force` inside region A's maintenance window, where dr promote refuses. */
  readonly force: string[];
}

interface ScenarioResult {
  readonly name: string;
  readonly problems: string[];
  readonly seconds: number;
}

const root = join(__dirname, "..", "..");
const promotedVariant = (environment: string) => `${environment}-after-promotion`;
const SECRET_WRITE = { service: "secretsmanager", operation: "PutSecretValue" } as const;

export async function rehearse(ctx: RehearsalContext): Promise<boolean> {
  const slug = promotedVariant(ctx.environment);
  if (!VARIANTS.some((v) => variantSlug(v) === slug)) {
    log(
      `rehearsal: FAILED before it began: harness/variants.ts has no "${slug}" variant (${ctx.environment} with failover.promoted: true), which the rehearsal applies after dr promote; add one`,
    );
    return false;
  }
  const config = validateConfig(ENVIRONMENTS[ctx.environment], ctx.environment);
  const regionA = config.network.region;
  const regionB = config.failover.network.region;
  const names = recoveryNames({
    project: config.project,
    environment: config.environment,
    primaryRegion: regionA,
    failoverRegion: regionB,
    serviceName: config.service.name,
  });
  const file = auditFile(root, ctx.environment);
  const stage: Stage = {
    ctx,
    names,
    regionA,
    regionB,
    scaling: config.scaling,
    config,
    before: readRegionB(ctx, names, regionB),
    auditFile: file,
    auditBytes: existsSync(file) ? statSync(file).size : 0,
    force: forcedByCalendar(config.database.maintenanceWindow),
  };

  const { proxy } = ctx.emulator;
  for (const zone of ["route53", "iam"]) proxy.unreachable.add(zone);
  log("rehearsal: Route53 and IAM are unreachable from now on");
  const results: ScenarioResult[] = [];
  const scenarios: ((stage: Stage) => Promise<string[]>)[] = [
    regionAStillUp,
    regionABlipsWriterThere,
    insideMaintenanceWindow,
    ...(config.failover.automatic
      ? automaticScenarios(await autoStage(ctx, config, root))
      : [secretReplyLost]),
    tasksNeverHealthy,
    promotion,
    regionABackFenced,
  ];
  for (const scenario of scenarios) {
    const started = Date.now();
    const problems = await scenario(stage);
    const result = { name: scenario.name, problems, seconds: (Date.now() - started) / 1000 };
    results.push(result);
    log(
      `rehearsal scenario ${result.name}: ${problems.length ? "FAILED" : "passed"} in ${result.seconds.toFixed(1)} s`,
    );
    for (const problem of problems) log(`  - ${problem}`);
  }
  const failed = results.filter((r) => r.problems.length);
  log(
    `rehearsal: ${failed.length ? `FAILED (${failed.map((r) => r.name).join(", ")})` : "passed"}: ${results.length - failed.length} of ${results.length} scenarios ended as they must`,
  );
  return failed.length === 0;
}

/** 1. Region A still serves: promote must refuse, change nothing, and call no dead zone. */
async function regionAStillUp(stage: Stage): Promise<string[]> {
  const { proxy } = stage.ctx.emulator;
  const probesBefore = proxy.albRequests.length;
  const refusedBefore = proxy.refused.length;
  const run = await promote(stage.ctx);
  logRun("region A up", run);
  const problems: string[] = [];
  if (run.code === 0) problems.push("dr promote went on while region A served");
  if (!/confirm-primary-down[^\n]*refused|refused: region A still serves/.test(run.output)) {
    problems.push(`dr promote did not refuse because region A serves\n${tail(run.output, 15)}`);
  }
  const probes = proxy.albRequests.slice(probesBefore);
  if (!probes.some((p) => p.zone === stage.regionA && p.status === 200)) {
    problems.push(`the probe did not reach region A's ALB and get 200 (${JSON.stringify(probes)})`);
  }
  const after = readRegionB(stage.ctx, stage.names, stage.regionB);
  if (!after.source) problems.push("the refused run promoted region B's replica");
  if (after.secretVersions !== stage.before.secretVersions) {
    problems.push("the refused run wrote region B's connection secret");
  }
  if (after.fenced) problems.push("the refused run set the fence");
  problems.push(...deadCalls(proxy.refused.slice(refusedBefore), stage.regionA));
  return problems;
}

/**
 * 1b. Region A's service fails its checks (a Multi-AZ engine upgrade in A's window takes both
 * database nodes down for minutes) while A's RDS API still shows A's writer: promote must refuse
 * on the writer, not on the probe, and change nothing. A dry run, so a guard that failed to
 * refuse would still change nothing.
 */
async function regionABlipsWriterThere(stage: Stage): Promise<string[]> {
  const { emulator } = stage.ctx;
  const a = NameCatalogue.of(stage.config.project, stage.config.environment, stage.regionA);
  const serviceA = `${stage.regionA}/${a.ecsCluster(stage.config.service.name)}/${a.ecsService(stage.config.service.name)}`;
  emulator.declareTasks({ "*": "healthy", [serviceA]: "unhealthy" });
  log(`rehearsal: ${serviceA}'s tasks now fail their health checks; A's RDS API still answers`);
  const problems = await refusesWhileWriterVisible((extra) => promote(stage.ctx, extra));
  emulator.declareTasks({ "*": "healthy" });
  return problems;
}

/**
 * 1c. Region A silent, but the clock inside A's maintenance window (HELLO_YOU_DR_NOW): promote
 * must refuse without --force, for the window, and change nothing (a dry run).
 */
async function insideMaintenanceWindow(stage: Stage): Promise<string[]> {
  const { proxy } = stage.ctx.emulator;
  proxy.unreachable.add(stage.regionA);
  const window = stage.config.database.maintenanceWindow;
  const parsed = parseWeeklyWindow(window);
  if (!parsed) return [`database.maintenanceWindow "${window}" cannot be read`];
  // Ten minutes into the window, in the week of Monday 2026-11-30 (the window counts from Monday).
  const at = new Date(Date.parse("2026-11-30T00:00:00Z") + (parsed.start + 10) * 60_000);
  log(`rehearsal: region A unreachable; dr's clock set to ${at.toISOString()}, inside ${window}`);
  const run = await promote(stage.ctx, ["--dry-run"], { [NOW_VARIABLE]: at.toISOString() });
  logRun("inside A's maintenance window", run);
  const problems: string[] = [];
  if (run.code === 0) problems.push("dr promote went on inside region A's maintenance window");
  if (!/check-primary-writer[^\n]*inside region A's maintenance window/.test(run.output)) {
    problems.push(`dr promote did not refuse for A's maintenance window\n${tail(run.output, 15)}`);
  }
  const after = readRegionB(stage.ctx, stage.names, stage.regionB);
  if (!after.source || after.fenced) problems.push("the refused run changed region B");
  return problems;
}

/**
 * With `failover.automatic` (auto-rehearsal.ts): each guard of the automatic promotion in its
 * own scenario, then the function promoting with no operator, which meets scenario 2's fault.
 */
function automaticScenarios(auto: AutoStage): ((stage: Stage) => Promise<string[]>)[] {
  const on = (fn: (a: AutoStage) => Promise<string[]>) =>
    Object.defineProperty((_: Stage) => fn(auto), "name", { value: fn.name });
  const promoted = (stage: Stage) => automaticPromotionReplyLost(stage, auto);
  return [
    on(automaticOff),
    on(blipShorterThanQuorum),
    on(disarmed),
    on(latchUsed),
    on(lagAboveRpo),
    Object.defineProperty(promoted, "name", { value: "automaticPromotionReplyLost" }),
  ];
}

/**
 * 2 (automatic). Region A down; the function promotes with no operator, and PutSecretValue is
 * carried out but its reply is lost: its run must stop at repoint-secret having fenced A and
 * promoted B's replica, with the secret written once, and the next minute must not run again.
 */
async function automaticPromotionReplyLost(stage: Stage, auto: AutoStage): Promise<string[]> {
  const { proxy } = stage.ctx.emulator;
  const refusedBefore = proxy.refused.length;
  const injectedBefore = proxy.injected.length;
  proxy.faults.push({ ...SECRET_WRITE, mode: "lose-reply" });
  const { problems, record } = await promotesWithNoOperator(auto);
  proxy.faults.length = 0;
  const timeline = record?.promotion?.timeline ?? [];
  const outcome = (step: string) => timeline.find((t) => t.step === step)?.outcome;
  if (record?.promotion?.ok) {
    problems.push("the automatic run succeeded although it never heard the secret was written");
  }
  if (outcome("repoint-secret") !== "failed" || proxy.injected.length === injectedBefore) {
    problems.push(
      `the automatic run did not fail at repoint-secret on the lost reply (${timeline.map((t) => `${t.step} ${t.outcome}`).join(", ")})`,
    );
  }
  for (const step of ["set-fence", "promote-replica"]) {
    if (outcome(step) !== "done") problems.push(`the automatic run did not do ${step}`);
  }
  const after = readRegionB(stage.ctx, stage.names, stage.regionB);
  if (after.source) problems.push(`B's instance is still a replica of ${after.source}`);
  if (!after.fenced) problems.push("the automatic run left the fence open");
  if (after.secretVersions !== stage.before.secretVersions + 1) {
    problems.push(
      `the secret has ${after.secretVersions - stage.before.secretVersions} new version(s), not 1`,
    );
  }
  problems.push(...deadCalls(proxy.refused.slice(refusedBefore), stage.regionA));
  return problems;
}

/**
 * 2. Region A down; PutSecretValue is carried out but its reply is lost (every attempt the SDK
 * makes): the run must fail at repoint-secret, and the secret must hold one new version.
 */
async function secretReplyLost(stage: Stage): Promise<string[]> {
  const { proxy } = stage.ctx.emulator;
  proxy.unreachable.add(stage.regionA);
  log(`rehearsal: region A (${stage.regionA}) is unreachable from now on`);
  const refusedBefore = proxy.refused.length;
  const injectedBefore = proxy.injected.length;
  proxy.faults.push({ ...SECRET_WRITE, mode: "lose-reply" });
  const run = await promote(stage.ctx, stage.force);
  proxy.faults.length = 0;
  logRun(`${SECRET_WRITE.operation} applied, reply lost`, run);
  const problems: string[] = [];
  if (!/region A's RDS API \([^)]*\) did not answer/.test(run.output)) {
    problems.push("dr promote did not report region A's RDS API as silent");
  }
  if (run.code === 0)
    problems.push("dr promote succeeded although it never heard the secret was written");
  if (
    !/repoint-secret[^\n]*failed|failed:[^\n]*/.test(run.output) ||
    proxy.injected.length === injectedBefore
  ) {
    problems.push(
      `dr promote did not fail at repoint-secret on the lost reply\n${tail(run.output, 15)}`,
    );
  }
  const after = readRegionB(stage.ctx, stage.names, stage.regionB);
  if (after.secretVersions !== stage.before.secretVersions + 1) {
    problems.push(
      `the secret has ${after.secretVersions - stage.before.secretVersions} new version(s), not 1: the write was ${after.secretVersions === stage.before.secretVersions ? "not carried out" : "repeated"}`,
    );
  }
  problems.push(...deadCalls(proxy.refused.slice(refusedBefore), stage.regionA));
  return problems;
}

/**
 * 3. Region B's tasks never pass their health check: the re-run must find the secret written
 * (and not write it again), and fail in wait-serving with what it waited for.
 */
async function tasksNeverHealthy(stage: Stage): Promise<string[]> {
  const { emulator } = stage.ctx;
  const { proxy } = emulator;
  const service = `${stage.regionB}/${stage.names.cluster}/${stage.names.service}`;
  emulator.declareTasks({ "*": "healthy", [service]: "unhealthy" });
  log(`rehearsal: ${service}'s tasks now fail their health checks`);
  const writesBefore =
    proxy.forwarded.get(`${SECRET_WRITE.service} ${SECRET_WRITE.operation}`) ?? 0;
  const refusedBefore = proxy.refused.length;
  const run = await promote(stage.ctx, ["--timeout-minutes", "0.2", ...stage.force]);
  emulator.declareTasks({ "*": "healthy" });
  logRun("tasks never healthy", run);
  const problems: string[] = [];
  if (run.code === 0) problems.push("dr promote succeeded with no healthy task in region B");
  if (
    !/timed out after \d+ s waiting for [^\n]*to serve \([^\n]*0 healthy target/.test(run.output)
  ) {
    problems.push(
      `dr promote did not fail in wait-serving naming the unhealthy targets\n${tail(run.output, 15)}`,
    );
  }
  if (!/repoint-secret[^\n]*already done/.test(run.output)) {
    problems.push("the re-run did not find repoint-secret already done");
  }
  const writes =
    (proxy.forwarded.get(`${SECRET_WRITE.service} ${SECRET_WRITE.operation}`) ?? 0) - writesBefore;
  if (writes) problems.push(`the re-run wrote the secret again (${writes} PutSecretValue)`);
  problems.push(...deadCalls(proxy.refused.slice(refusedBefore), stage.regionA));
  return problems;
}

/** 4. The positive rehearsal: resume, finish, and leave region B as promotion must. */
async function promotion(stage: Stage): Promise<string[]> {
  const { proxy } = stage.ctx.emulator;
  const refusedBefore = proxy.refused.length;
  const run = await promote(stage.ctx, stage.force);
  logRun("resume", run);
  const problems: string[] = [];
  if (run.code !== 0) problems.push(`the resumed dr promote failed\n${tail(run.output)}`);
  for (const step of ["set-fence", "promote-replica", "repoint-secret"]) {
    if (!new RegExp(`${step}[^\\n]*already done`).test(run.output)) {
      problems.push(`the resumed run did not find ${step} already done`);
    }
  }
  const facts = readRegionB(stage.ctx, stage.names, stage.regionB);
  problems.push(...checkRegionB(stage, facts));
  problems.push(...checkAudit(stage, facts));
  problems.push(...deadCalls(proxy.refused.slice(refusedBefore), stage.regionA));

  // IAM stays down: refreshing B's roles would need it, so the promoted apply runs as the
  // runbook says for that case, with -refresh=false (the replica ignores its stale source).
  problems.push(...(await redeployFailsAtPlan(stage.ctx)));
  const applyRefusedBefore = proxy.refused.length;
  const applied = await applyPromoted(stage.ctx);
  if (!applied.ok) {
    problems.push(
      `the failover stack with failover.promoted did not plan and apply\n${applied.detail}`,
    );
  } else {
    log(`rehearsal: promoted failover stack: ${applied.detail}`);
    const written = readRegionB(stage.ctx, stage.names, stage.regionB).secret;
    if (written !== facts.secret) {
      problems.push(
        "the promoted failover stack wrote a different connection secret than dr promote",
      );
    }
  }
  for (const call of proxy.refused.slice(applyRefusedBefore)) {
    problems.push(
      `the promoted plan or apply called a dead zone: ${call.zone} ${call.service} ${call.operation}`,
    );
  }
  return problems;
}

/**
 * Calls to a dead zone, but the one dr promote makes to region A on purpose: its guard's bounded,
 * read-only DescribeDBInstances, which must find A silent and go on (dr/aws/region-a.ts).
 */
function deadCalls(
  calls: readonly { zone: string; service: string; operation: string }[],
  regionA?: string,
): string[] {
  const guard = (c: { zone: string; service: string; operation: string }) =>
    c.zone === regionA && c.service === "rds" && c.operation === "DescribeDBInstances";
  return calls
    .filter((c) => !guard(c))
    .map((c) => `dr promote called a dead zone: ${c.zone} ${c.service} ${c.operation}`);
}

/**
 * `--force` when the rehearsal runs inside region A's maintenance window (or within 10 minutes
 * of it): dr promote refuses there, and the rehearsal says so rather than fail on the calendar.
 */
function forcedByCalendar(window: string): string[] {
  const now = new Date();
  const soon = new Date(now.getTime() + 10 * 60_000);
  if (![now, soon].some((t) => inMaintenanceWindow(window, t))) return [];
  log(`rehearsal: inside region A's maintenance window ${window}: promoting with --force`);
  return ["--force"];
}

function logRun(what: string, run: RunResult): void {
  log(`rehearsal: dr promote (${what}): exit ${run.code} after ${run.seconds.toFixed(1)} s`);
  log(
    run.output
      .split("\n")
      .filter((l) => /^\s*(\[\d|(already done|done|failed|refused|checked):|waiting for)/.test(l))
      .join("\n"),
  );
}

/**
 * 5. Region A back, B promoted: A's fence enforcer holds A's service at zero while B answers
 * fenced, and keeps it there once B stops answering.
 */
async function regionABackFenced(stage: Stage): Promise<string[]> {
  stage.ctx.emulator.proxy.unreachable.clear();
  log("rehearsal: every zone is reachable again (region A is back)");
  return enforcerHoldsA(stage.ctx, stage.config, stage.names);
}

/** `npm run dr -- promote` against the emulator, through the proxy, as an operator runs it. */
function promote(
  ctx: RehearsalContext,
  extra: string[] = [],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = {
    ...extraEnv,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HELLO_YOU_DR_ENDPOINT: "http://{region}.aws.emulator",
    HELLO_YOU_DR_PROXY: `http://127.0.0.1:${ctx.emulator.proxy.port}`,
    AWS_ACCESS_KEY_ID: "emulated",
    AWS_SECRET_ACCESS_KEY: "emulated",
  };
  const dr = join(root, "dr", "cli.ts");
  const args = ["promote", "--env", ctx.environment, "--yes", "--poll-seconds", "1", ...extra];
  return run("node", ["--import", "tsx", dr, ...args], { env, cwd: root });
}

/** Region B as read straight from the emulator (boto3). `secret` holds a password: never logged. */
interface RegionBFacts {
  readonly source?: string;
  readonly address: string;
  readonly port: number;
  readonly secret: string;
  readonly secretChanged: number;
  readonly secretVersions: number;
  readonly fromA: string;
  readonly desired: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly deployment: { readonly id: string; readonly createdAt: number };
  readonly fenced: boolean;
  readonly auditEvents: string[];
}

function readRegionB(ctx: RehearsalContext, names: RecoveryNames, regionB: string): RegionBFacts {
  const fenced = FENCE_RESPONSES.fenced;
  const script = `
import boto3, json, sys
url, region, replica, secret, from_a, cluster, service, lb, group, code, body = sys.argv[1:]
kw = dict(endpoint_url=url, region_name=region, aws_access_key_id="emulated", aws_secret_access_key="emulated")
rds, sm, ecs = boto3.client("rds", **kw), boto3.client("secretsmanager", **kw), boto3.client("ecs", **kw)
elb, aas, logs = boto3.client("elbv2", **kw), boto3.client("application-autoscaling", **kw), boto3.client("logs", **kw)
db = rds.describe_db_instances(DBInstanceIdentifier=replica)["DBInstances"][0]
svc = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
primary = [d for d in svc["deployments"] if d["status"] == "PRIMARY"][0]
target = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[f"service/{cluster}/{service}"])["ScalableTargets"][0]
arn = elb.describe_load_balancers(Names=[lb])["LoadBalancers"][0]["LoadBalancerArn"]
fence = False
for listener in elb.describe_listeners(LoadBalancerArn=arn)["Listeners"]:
    for rule in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
        for a in rule["Actions"]:
            f = a.get("FixedResponseConfig", {})
            fence = fence or (f.get("StatusCode") == code and f.get("MessageBody") == body)
try:
    events = [e["message"] for e in logs.filter_log_events(logGroupName=group)["events"]]
except logs.exceptions.ResourceNotFoundException:
    events = []
print(json.dumps({
    "source": db.get("ReadReplicaSourceDBInstanceIdentifier"),
    "address": db["Endpoint"]["Address"],
    "port": db["Endpoint"]["Port"],
    "secret": sm.get_secret_value(SecretId=secret)["SecretString"],
    "secretChanged": sm.describe_secret(SecretId=secret)["LastChangedDate"].timestamp(),
    "secretVersions": len(sm.list_secret_version_ids(SecretId=secret, IncludeDeprecated=True)["Versions"]),
    "fromA": sm.get_secret_value(SecretId=from_a)["SecretString"],
    "desired": svc["desiredCount"],
    "minCapacity": target["MinCapacity"],
    "maxCapacity": target["MaxCapacity"],
    "deployment": {"id": primary["id"], "createdAt": primary["createdAt"].timestamp()},
    "fenced": fence,
    "auditEvents": events,
}))
`;
  const out = execFileSync(
    ensureMoto(log),
    [
      "-c",
      script,
      `http://127.0.0.1:${ctx.emulator.moto.port}`,
      regionB,
      names.replica,
      names.failoverConnectionSecret,
      names.primaryConnectionSecret,
      names.cluster,
      names.service,
      names.loadBalancer,
      names.auditLogGroup,
      fenced.statusCode,
      fenced.body,
    ],
    { encoding: "utf8" },
  );
  return JSON.parse(out) as RegionBFacts;
}

/** What promotion must have left in region B. */
function checkRegionB(stage: Stage, facts: RegionBFacts): string[] {
  const { secret, fromA } = facts;
  const shown = {
    ...facts,
    secret: undefined,
    fromA: undefined,
    auditEvents: facts.auditEvents.length,
  };
  log(`rehearsal: region B after promotion (secret values not shown): ${JSON.stringify(shown)}`);
  const problems: string[] = [];
  if (facts.source) problems.push(`B's instance is still a replica of ${facts.source}`);
  const a = parseConnection(fromA, stage.names.primaryConnectionSecret);
  const expected = connectionSecretValue({ ...a, host: facts.address, port: facts.port });
  if (secret !== expected) {
    const got = (() => {
      try {
        const c = parseConnection(secret, stage.names.failoverConnectionSecret);
        return `host ${c.host}:${c.port}, database ${c.dbname}, user ${c.username === a.username ? "A's" : "another"}, password ${c.password === a.password ? "A's" : "another"}`;
      } catch (error) {
        return (error as Error).message;
      }
    })();
    problems.push(
      `B's connection secret is not what the stacks write for B's instance with A's credentials (expected ${facts.address}:${facts.port}; got ${got}, or a different encoding)`,
    );
  }
  if (facts.deployment.id === stage.before.deployment.id) {
    problems.push(
      `B's service runs the deployment it had before promotion (${facts.deployment.id}): its tasks never restarted on the new secret`,
    );
  } else if (facts.deployment.createdAt + 1 < facts.secretChanged) {
    problems.push(
      `B's PRIMARY deployment started before the secret changed: its tasks read the old value`,
    );
  }
  const { minCapacity, maxCapacity } = stage.scaling;
  if (
    facts.desired < minCapacity ||
    facts.minCapacity < minCapacity ||
    facts.maxCapacity < maxCapacity
  ) {
    problems.push(
      `B's service runs ${facts.desired} (scaling ${facts.minCapacity} to ${facts.maxCapacity}); the primary's is ${minCapacity} to ${maxCapacity}`,
    );
  }
  if (!facts.fenced) {
    const f = FENCE_RESPONSES.fenced;
    problems.push(`the fence does not answer ${f.statusCode} ${f.body}`);
  }
  return problems;
}

/** Every run left a start and an end per step, in region B's log group and in the local file. */
function checkAudit(stage: Stage, facts: RegionBFacts): string[] {
  const problems: string[] = [];
  const local = existsSync(stage.auditFile)
    ? readFileSync(stage.auditFile, "utf8")
        .slice(stage.auditBytes)
        .trim()
        .split("\n")
        .filter(Boolean)
    : [];
  for (const [where, lines] of [
    ["the local audit file", local],
    [`log group ${stage.names.auditLogGroup}`, facts.auditEvents],
  ] as const) {
    const records = lines.map(
      (l) => JSON.parse(l) as { run: string; step: string; event: string; outcome?: string },
    );
    const runs = new Set(records.map((r) => r.run));
    const outcomes = new Set(records.map((r) => `${r.step} ${r.outcome ?? ""}`.trim()));
    const needed = ["confirm-primary-down refused", "repoint-secret failed", "wait-serving failed"];
    const missing = needed.filter((n) => !outcomes.has(n));
    const unmatched = records.filter(
      (r) =>
        r.event === "start" &&
        !records.some((e) => e.run === r.run && e.step === r.step && e.event === "end"),
    );
    // The last run, the one that finished, ended every step well, wait-serving included.
    const last = records.filter((r) => r.run === records.at(-1)?.run && r.event === "end");
    const good = (r: { outcome?: string }) =>
      ["done", "already done", "checked"].includes(r.outcome ?? "");
    const finished = last.some((r) => r.step === "wait-serving") && last.every(good);
    if (runs.size < 4 || missing.length || unmatched.length || !finished) {
      problems.push(
        `${where}: ${runs.size} run(s) recorded (4 expected)${missing.length ? `, no record of ${missing.join(", ")}` : ""}${unmatched.length ? `, ${unmatched.length} step(s) started and never ended` : ""}${finished ? "" : ", the last run did not end every step through wait-serving well"}`,
      );
    }
  }
  return problems;
}

/**
 * `failover.promoted: true`, as the runbook's next step sets it: the failover stack plans and
 * applies against the state the deploy left, with region A, Route53 and IAM still down, so
 * without a refresh (docs/disaster-recovery.md: what to run while IAM's API is down).
 */
async function applyPromoted(ctx: RehearsalContext): Promise<{ ok: boolean; detail: string }> {
  const terraform = variantStack(ctx, promotedVariant(ctx.environment), "promoted");
  const init = await terraform(["init", "-input=false"]);
  if (init.code !== 0) return { ok: false, detail: tail(init.output) };
  const plan = await terraform(["plan", "-input=false", "-refresh=false", "-out=promoted.plan"]);
  if (plan.code !== 0) return { ok: false, detail: `plan failed\n${tail(plan.output)}` };
  const summary = /Plan: [^\n]+/.exec(plan.output)?.[0] ?? "no changes";
  const changed = [
    ...plan.output.matchAll(
      /# (\S+) (?:will be (updated in-place|created|destroyed)|must be (replaced))/g,
    ),
  ]
    .map((m) => `${m[1]} (${m[2] ?? m[3]})`)
    .join(", ");
  const apply = await terraform(["apply", "-input=false", "promoted.plan"]);
  if (apply.code !== 0) return { ok: false, detail: `apply failed\n${tail(apply.output)}` };
  return {
    ok: true,
    detail: `${summary}${changed ? ` ${changed}` : ""}; planned in ${plan.seconds.toFixed(0)} s, applied in ${apply.seconds.toFixed(0)} s`,
  };
}
