/**
 * The disaster-recovery rehearsal: on an emulated AWS where both regions are deployed, region A,
 * Route53 and IAM are taken down, `npm run dr -- promote` is run with a failure injected midway, run
 * again to resume, and then checked from the outside: B's instance standalone, B's secret on it,
 * B's service scaled, the fence set, no call to a dead zone, and the failover stack with
 * `failover.promoted: true` planned and applied with all three still unreachable.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ENVIRONMENTS } from "../../config";
import { validateConfig } from "../../config/validate";
import { FENCE_RESPONSES, type RecoveryNames, recoveryNames } from "../../naming/recovery";
import { inMaintenanceWindow } from "../../dr/promote/steps-writer";
import { enforcerHoldsA, redeployFailsAtPlan, refusesWhileWriterVisible } from "./fence-rehearsal";
import { ensureMoto } from "./moto";
import { writeOverride } from "./overrides";
import { log, run, tail } from "./run";
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

/** The step a failure is injected into, and the call that fails. */
const INJECTED = {
  step: "repoint-secret",
  service: "secretsmanager",
  operation: "PutSecretValue",
};

/** The variant that describes `environment` after promotion (harness/variants.ts). */
const promotedVariant = (environment: string) => `${environment}-after-promotion`;

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
  const names = recoveryNames({
    project: config.project,
    environment: config.environment,
    primaryRegion: regionA,
    failoverRegion: config.failover.network.region,
    serviceName: config.service.name,
  });
  const { proxy } = ctx.emulator;
  const problems: string[] = [];

  // Region A still up: dr promote must refuse while A's RDS API shows A's writer.
  problems.push(...(await refusesWhileWriterVisible((extra) => promote(ctx, false, extra))));

  // IAM's control plane is in us-east-1 too: dr promote must not need it.
  for (const zone of [regionA, "route53", "iam"]) proxy.unreachable.add(zone);
  log(`rehearsal: region A (${regionA}), Route53 and IAM are now unreachable`);
  const refusedBefore = proxy.refused.length;

  proxy.faults.push(INJECTED);
  // dr promote refuses inside A's maintenance window (real time here): a rehearsal that happens
  // to run then says so and forces, rather than failing on the calendar.
  const soon = new Date(Date.now() + 10 * 60_000);
  const window = config.database.maintenanceWindow;
  const force = [new Date(), soon].some((t) => inMaintenanceWindow(window, t));
  if (force)
    log(`rehearsal: inside region A's maintenance window ${window}: promoting with --force`);
  const first = await promote(ctx, force);
  proxy.faults.length = 0;
  log(
    `rehearsal: dr promote with ${INJECTED.service} ${INJECTED.operation} failing: exit ${first.code} after ${first.seconds.toFixed(1)} s`,
  );
  if (first.code === 0 || !proxy.injected.length) {
    problems.push("the injected failure did not stop dr promote");
  }
  if (!new RegExp(`${INJECTED.step}[^\\n]*failed`).test(first.output)) {
    problems.push(`dr promote did not report ${INJECTED.step} as failed`);
  }

  const second = await promote(ctx, force);
  log(`rehearsal: dr promote again: exit ${second.code} after ${second.seconds.toFixed(1)} s`);
  log(
    second.output
      .split("\n")
      .filter((l) => /^\s*(step|[a-z-]+\s{2,}|\[)/.test(l))
      .join("\n"),
  );
  if (second.code !== 0) problems.push(`the resumed dr promote failed\n${tail(second.output)}`);
  for (const step of ["set-fence", "promote-replica"]) {
    if (!new RegExp(`${step}[^\\n]*already done`).test(second.output)) {
      problems.push(`the resumed run did not find ${step} already done`);
    }
  }

  problems.push(
    ...checkRegionB(ctx, names, config.failover.network.region, config.scaling.minCapacity),
  );
  // The one call dr promote makes to region A: its guard's bounded, read-only question, which
  // must find A silent and go on (dr/aws/region-a.ts).
  const promoteRefused = proxy.refused.slice(refusedBefore);
  const guardCall = (call: (typeof promoteRefused)[number]) =>
    call.zone === regionA && call.service === "rds" && call.operation === "DescribeDBInstances";
  if (!/region A's RDS API \([^)]*\) did not answer/.test(first.output)) {
    problems.push("dr promote did not report region A's RDS API as silent");
  }
  const dead = promoteRefused.filter((call) => !guardCall(call));
  for (const call of dead) {
    problems.push(`dr promote called a dead zone: ${call.zone} ${call.service} ${call.operation}`);
  }

  problems.push(...(await redeployFailsAtPlan(ctx)));

  // IAM stays down: refreshing B's roles would need it, so the promoted apply runs as the
  // runbook says for that case, with -refresh=false (the replica ignores its stale source).
  const plan = await applyPromoted(ctx);
  if (!plan.ok) {
    problems.push(
      `the failover stack with failover.promoted did not plan and apply\n${plan.detail}`,
    );
  }
  const deadInPlan = proxy.refused.slice(refusedBefore + promoteRefused.length);
  for (const call of deadInPlan) {
    problems.push(
      `the promoted plan or apply called a dead zone: ${call.zone} ${call.service} ${call.operation}`,
    );
  }

  proxy.unreachable.clear();
  // Region A is back; B stops answering its fence in there.
  problems.push(...(await enforcerHoldsA(ctx, config, names)));
  const orchestration = first.seconds + second.seconds;
  log(
    `rehearsal: ${problems.length ? "FAILED" : "passed"}; dr promote took ${orchestration.toFixed(1)} s in all (${first.seconds.toFixed(1)} s to the injected failure, ${second.seconds.toFixed(1)} s to resume and finish)${plan.ok ? `; promoted failover stack: ${plan.detail}` : ""}`,
  );
  for (const problem of problems) log(`  - ${problem}`);
  return problems.length === 0;
}

/** `npm run dr -- promote` against the emulator, through the proxy, as an operator runs it. */
function promote(ctx: RehearsalContext, force: boolean, extra: string[] = []) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HELLO_YOU_DR_ENDPOINT: "http://{region}.aws.emulator",
    HELLO_YOU_DR_PROXY: `http://127.0.0.1:${ctx.emulator.proxy.port}`,
    AWS_ACCESS_KEY_ID: "emulated",
    AWS_SECRET_ACCESS_KEY: "emulated",
  };
  const dr = join(__dirname, "..", "..", "dr", "cli.ts");
  return run(
    "node",
    [
      "--import",
      "tsx",
      dr,
      "promote",
      "--env",
      ctx.environment,
      "--yes",
      "--poll-seconds",
      "1",
      ...(force ? ["--force"] : []),
      ...extra,
    ],
    { env, cwd: join(__dirname, "..", "..") },
  );
}

/** What promotion must have left in region B, read straight from the emulator (boto3). */
function checkRegionB(
  ctx: RehearsalContext,
  names: RecoveryNames,
  regionB: string,
  minCapacity: number,
): string[] {
  const script = `
import boto3, json, sys
url, region, replica, secret, cluster, service, lb = sys.argv[1:]
kw = dict(endpoint_url=url, region_name=region, aws_access_key_id="emulated", aws_secret_access_key="emulated")
rds, sm, ecs = boto3.client("rds", **kw), boto3.client("secretsmanager", **kw), boto3.client("ecs", **kw)
elb, aas = boto3.client("elbv2", **kw), boto3.client("application-autoscaling", **kw)
db = rds.describe_db_instances(DBInstanceIdentifier=replica)["DBInstances"][0]
value = json.loads(sm.get_secret_value(SecretId=secret)["SecretString"])
svc = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
target = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[f"service/{cluster}/{service}"])["ScalableTargets"][0]
arn = elb.describe_load_balancers(Names=[lb])["LoadBalancers"][0]["LoadBalancerArn"]
fence = []
for listener in elb.describe_listeners(LoadBalancerArn=arn)["Listeners"]:
    for rule in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]:
        if rule["Priority"] == "1":
            fence += [a.get("FixedResponseConfig", {}) for a in rule["Actions"]]
print(json.dumps({
    "source": db.get("ReadReplicaSourceDBInstanceIdentifier"),
    "address": db["Endpoint"]["Address"],
    "secretHost": value["host"],
    "urlHasHost": ("@" + db["Endpoint"]["Address"] + ":") in value["url"],
    "desired": svc["desiredCount"],
    "minCapacity": target["MinCapacity"],
    "fence": fence,
}))
`;
  const facts = JSON.parse(
    execFileSync(
      ensureMoto(log),
      [
        "-c",
        script,
        `http://127.0.0.1:${ctx.emulator.moto.port}`,
        regionB,
        names.replica,
        names.failoverConnectionSecret,
        names.cluster,
        names.service,
        names.loadBalancer,
      ],
      { encoding: "utf8" },
    ),
  ) as {
    source?: string;
    address: string;
    secretHost: string;
    urlHasHost: boolean;
    desired: number;
    minCapacity: number;
    fence: { StatusCode?: string; MessageBody?: string }[];
  };
  log(`rehearsal: region B after promotion: ${JSON.stringify(facts)}`);
  const problems: string[] = [];
  if (facts.source) problems.push(`B's instance is still a replica of ${facts.source}`);
  if (facts.secretHost !== facts.address || !facts.urlHasHost) {
    problems.push(`B's connection secret points at ${facts.secretHost}, not ${facts.address}`);
  }
  if (facts.desired < minCapacity || facts.minCapacity < minCapacity) {
    problems.push(
      `B's service runs ${facts.desired} (minimum ${facts.minCapacity}); the primary's minimum is ${minCapacity}`,
    );
  }
  const fenced = FENCE_RESPONSES.fenced;
  if (
    !facts.fence.some((f) => f.StatusCode === fenced.statusCode && f.MessageBody === fenced.body)
  ) {
    problems.push(`the fence does not answer ${fenced.statusCode} ${fenced.body}`);
  }
  return problems;
}

/**
 * `failover.promoted: true`, as the runbook's next step sets it: the failover stack plans and
 * applies against the state the deploy left, with region A, Route53 and IAM still down, so
 * without a refresh (docs/disaster-recovery.md: what to run while IAM's API is down).
 */
async function applyPromoted(ctx: RehearsalContext): Promise<{ ok: boolean; detail: string }> {
  const outdir = ctx.synthesizeVariant(
    promotedVariant(ctx.environment),
    join(ctx.emulator.work, "promoted"),
  );
  const dir = join(outdir, "stacks", "failover");
  writeOverride(dir, {
    stack: "failover",
    stateDir: ctx.emulator.stateDir,
    proxyPort: ctx.emulator.proxy.port,
  });
  const terraform = (args: string[]) =>
    run(ctx.tools.terraform, [...args, "-no-color"], { cwd: dir, env: ctx.env });
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
