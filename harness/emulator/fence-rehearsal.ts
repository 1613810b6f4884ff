/**
 * The fence's part of the rehearsal (issue 19), run by rehearsal.ts around `dr promote`:
 * - before: `dr promote` refuses while region A's RDS API shows A's writer (a dry run, so a guard
 *   that failed to refuse would still change nothing);
 * - after: a redeploy of `failover` from a commit with `failover.promoted: false` fails at plan;
 * - after: region A's fence enforcer, run against region A on the emulator, holds A's service at
 *   zero while B answers fenced, and keeps it there when B then stops answering and A is back;
 *   the fence check of A's deployed task definition, run as its container would, stops a task
 *   while B answers fenced and lets it start when B is silent.
 * Lambda and EventBridge do not run on the emulator, and B's ALB serves no HTTP there: the
 * handler runs in this process against the emulator's region A, and a loopback server answers
 * for B's ALB with the fence rule's fixed response as the emulator holds it (to the check
 * container's Python as an HTTP proxy, since B's ALB name resolves nowhere here).
 */
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  type ContainerDefinition,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { AppConfig } from "../../config/schema";
import { NameCatalogue } from "../../naming/catalogue";
import { FENCE_PATH, FENCE_RULE_PRIORITY, type RecoveryNames } from "../../naming/recovery";
import { FENCE_CHECK_CONTAINER } from "../../constructs/fence-start-check";
import { variantStack } from "./variant-stack";
import type { RehearsalContext } from "./rehearsal";
import { log, tail } from "./run";

/** The refusal `dr promote` gives while region A's RDS API shows A's writer there. */
export async function refusesWhileWriterVisible(
  promote: (extra: string[]) => Promise<{ code: number; output: string }>,
): Promise<string[]> {
  const dry = await promote(["--dry-run"]);
  log(`rehearsal: dr promote --dry-run with region A up: exit ${dry.code}`);
  if (dry.code === 0) return ["dr promote did not refuse while region A's writer was visible"];
  if (!/check-primary-writer[^\n]*a writer that is there/.test(dry.output)) {
    return [`dr promote refused, but not for A's visible writer\n${tail(dry.output)}`];
  }
  return [];
}

/** A plan of `failover` from the unpromoted configuration, after the promotion: it must fail. */
export async function redeployFailsAtPlan(ctx: RehearsalContext): Promise<string[]> {
  const terraform = variantStack(ctx, ctx.environment, "unpromoted");
  const init = await terraform(["init", "-input=false"]);
  if (init.code !== 0) return [`failover (unpromoted) did not init\n${tail(init.output)}`];
  // IAM is still down here: no refresh, as the runbook runs it; data sources are read anyway.
  const plan = await terraform(["plan", "-input=false", "-refresh=false"]);
  log(`rehearsal: plan of failover with failover.promoted: false: exit ${plan.code}`);
  if (plan.code === 0) return ["a plan of failover with failover.promoted: false succeeded"];
  const refusal = /[^\n]*is a writer, not a replica[^\n]*/.exec(plan.output)?.[0];
  if (!refusal) {
    return [`the unpromoted plan failed, but not on the promotion guard\n${tail(plan.output)}`];
  }
  log(`rehearsal: the plan stopped on: ${refusal.trim()}`);
  return [];
}

interface ServiceState {
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
}

/** Region A's fence enforcer on the emulator: fenced holds A at zero; silence keeps it there. */
export async function enforcerHoldsA(
  ctx: RehearsalContext,
  config: AppConfig,
  names: RecoveryNames,
): Promise<string[]> {
  const regionA = config.network.region;
  const regionB = config.failover.network.region;
  const settings = (region: string) => ({
    region,
    endpoint: `http://127.0.0.1:${ctx.emulator.moto.port}`,
    credentials: { accessKeyId: "emulated", secretAccessKey: "emulated" },
  });
  const a = {
    ssm: new SSMClient(settings(regionA)),
    ecs: new ECSClient(settings(regionA)),
    autoscaling: new ApplicationAutoScalingClient(settings(regionA)),
  };
  // Region A's service, named as the primary stack names it.
  const namesA = NameCatalogue.of(config.project, config.environment, regionA);
  const cluster = namesA.ecsCluster(config.service.name);
  const service = namesA.ecsService(config.service.name);
  const resourceId = `service/${cluster}/${service}`;
  const state = async (): Promise<ServiceState> => {
    const [targets, services] = await Promise.all([
      a.autoscaling.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs", ResourceIds: [resourceId] }),
      ),
      a.ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
    ]);
    const target = targets.ScalableTargets?.[0];
    return {
      min: target?.MinCapacity,
      max: target?.MaxCapacity,
      desired: services.services?.[0]?.desiredCount,
    };
  };
  const fenceAnswer = await fenceRuleAnswer(
    new ElasticLoadBalancingV2Client(settings(regionB)),
    names,
  );
  // The function as shipped: constructs/fence-enforcer/index.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const handler = require("../../constructs/fence-enforcer/index.js") as {
    enforce(
      env: Record<string, string>,
      deps: unknown,
    ): Promise<{ fence: string; actions: string[] }>;
  };
  const env = {
    FENCE_LOCATION_PARAMETER: names.fenceLocationParameter,
    FENCE_PATH,
    FENCE_PROTOCOL: "http:",
    CLUSTER_NAME: cluster,
    SERVICE_NAME: service,
  };
  const location = (
    await a.ssm.send(
      new GetParameterCommand({ Name: names.fenceLocationParameter, WithDecryption: true }),
    )
  ).Parameter?.Value;
  const problems: string[] = [];
  if (!location) return [`${names.fenceLocationParameter} is missing in ${regionA}`];

  // B's ALB, answering the fence path with the rule's fixed response.
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "", `http://${req.headers.host}`);
    const ours = url.pathname === FENCE_PATH && url.host === location;
    res.writeHead(ours ? Number(fenceAnswer.status) : 404).end(ours ? fenceAnswer.body : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const fetchVia = (request: { host: string; path: string; timeoutMs: number }) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get(
        { host: "127.0.0.1", port, path: request.path, headers: { host: request.host } },
        (res) => {
          let body = "";
          res
            .on("data", (c) => (body += c))
            .on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.setTimeout(request.timeoutMs, () => req.destroy(new Error("no answer")));
      req.on("error", reject);
    });
  const commands = {
    GetParameterCommand,
    DescribeServicesCommand,
    UpdateServiceCommand,
    DescribeScalableTargetsCommand,
    RegisterScalableTargetCommand,
  };
  const lines: string[] = [];
  const deps = { ...a, commands, fetch: fetchVia, log: (l: string) => lines.push(l) };

  const check = await deployedFenceCheck(a.ecs, cluster, service);
  if (typeof check === "string") return [check];
  const proxied = { endpoint: settings(regionA).endpoint, proxy: `http://127.0.0.1:${port}` };
  const stopped = await runFenceCheck(check, proxied);
  log(`rehearsal: A's task start check with B fenced: exit ${stopped.code}; ${stopped.line}`);
  if (stopped.code !== 1)
    problems.push(`A's task start check with B fenced exited ${stopped.code}, not 1`);

  const before = await state();
  const fenced = await handler.enforce(env, deps);
  const held = await state();
  log(
    `rehearsal: A's enforcer with B fenced: ${lines.at(-1)}; A ${JSON.stringify(before)} -> ${JSON.stringify(held)}`,
  );
  if (fenced.fence !== "fenced") problems.push(`A's enforcer read the fence as ${fenced.fence}`);
  if (held.min !== 0 || held.max !== 0 || held.desired !== 0) {
    problems.push(`A's enforcer left A's service at ${JSON.stringify(held)}, not 0..0 and 0`);
  }

  // B stops answering (its ALB gone, its region down); A is back.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const started = await runFenceCheck(check, proxied);
  log(`rehearsal: A's task start check with B silent: exit ${started.code}; ${started.line}`);
  if (started.code !== 0)
    problems.push(`A's task start check with B silent exited ${started.code}, not 0`);
  const silent = await handler.enforce(env, deps);
  const after = await state();
  log(`rehearsal: A's enforcer with B silent: ${lines.at(-1)}; A ${JSON.stringify(after)}`);
  if (silent.fence === "fenced") problems.push("A's enforcer read a silent B as fenced");
  if (after.min !== 0 || after.max !== 0 || after.desired !== 0) {
    problems.push(`with B silent, A's service went back to ${JSON.stringify(after)}`);
  }
  return problems;
}

/**
 * The fence check container of the task definition region A's service runs, or why it cannot
 * be used: the app container must wait for its success.
 */
async function deployedFenceCheck(
  ecs: ECSClient,
  cluster: string,
  service: string,
): Promise<ContainerDefinition | string> {
  const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const taskDefinition = described.services?.[0]?.taskDefinition;
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition;
  const containers = td?.containerDefinitions ?? [];
  const check = containers.find((c) => c.name === FENCE_CHECK_CONTAINER);
  if (!check)
    return `A's task definition ${taskDefinition} has no ${FENCE_CHECK_CONTAINER} container`;
  const waits = containers.filter((c) =>
    c.dependsOn?.some((d) => d.containerName === check.name && d.condition === "SUCCESS"),
  );
  if (check.essential !== false || waits.length === 0) {
    return `in ${taskDefinition} no container waits for ${FENCE_CHECK_CONTAINER}'s success`;
  }
  return check;
}

/**
 * The check container's entry point and command as ECS would run them, with its environment,
 * region A's SSM on the emulator and B's ALB behind a loopback proxy.
 */
function runFenceCheck(
  check: ContainerDefinition,
  via: { endpoint: string; proxy: string },
): Promise<{ code: number | null; line: string }> {
  const [program, ...args] = [...(check.entryPoint ?? []), ...(check.command ?? [])];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    AWS_ACCESS_KEY_ID: "emulated",
    AWS_SECRET_ACCESS_KEY: "emulated",
    AWS_ENDPOINT_URL_SSM: via.endpoint,
    http_proxy: via.proxy,
  };
  for (const { name, value } of check.environment ?? []) if (name && value) env[name] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, line: out.trim().split("\n").at(-1) ?? "" }));
  });
}

/** The fence rule's fixed response on B's ALB, as the emulator holds it. */
async function fenceRuleAnswer(elb: ElasticLoadBalancingV2Client, names: RecoveryNames) {
  const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [names.loadBalancer] })))
    .LoadBalancers?.[0];
  const listeners = await elb.send(
    new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }),
  );
  for (const listener of listeners.Listeners ?? []) {
    const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }));
    const rule = rules.Rules?.find((r) => r.Priority === String(FENCE_RULE_PRIORITY));
    const fixed = rule?.Actions?.[0]?.FixedResponseConfig;
    if (fixed) return { status: fixed.StatusCode ?? "0", body: fixed.MessageBody ?? "" };
  }
  return { status: "404", body: "" };
}
