"use strict";
/**
 * Region A's own half of the fence (docs/adr/0002-fencing.md), run every minute by EventBridge in
 * region A. It reads region B's fence over HTTP(S), the same answer Route53's fence check reads,
 * and while that answer is "fenced" it holds region A's ECS service at zero: scaling bounds 0..0
 * (the autoscaler owns the running count) and desired count 0. It calls only region A's APIs
 * (SSM for where the fence is, Application Auto Scaling and ECS for the service): neither region
 * B's APIs nor Route53's.
 *
 * It never scales up. What it set stays set when B later cannot be read, so one reading of
 * "fenced" keeps A at zero until failback raises A again (a `primary` apply or `npm run dr`).
 * Anything but a 200 whose body is exactly "fenced" (a timeout, a refused connection, a
 * certificate for another name, "open", a 404 of a missing rule) changes nothing: an unreachable
 * standby must never take a serving region down, the same choice as Route53's inverted fence
 * check.
 *
 * Node's standard library and the AWS SDK v3 that the Lambda Node.js runtime ships: nothing to
 * install or bundle.
 */
const http = require("node:http");
const https = require("node:https");

const FENCED = "fenced";
/** The first bytes of the body are enough: the answer is one word. */
const MAX_BODY_BYTES = 64;

/** What the function was configured with (Lambda environment variables). */
function settingsFrom(env) {
  const required = [
    "FENCE_LOCATION_PARAMETER",
    "FENCE_PATH",
    "FENCE_PROTOCOL",
    "CLUSTER_NAME",
    "SERVICE_NAME",
  ];
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`missing environment variables: ${missing.join(", ")}`);
  if (env.FENCE_PROTOCOL !== "https:" && env.FENCE_PROTOCOL !== "http:") {
    throw new Error(`FENCE_PROTOCOL "${env.FENCE_PROTOCOL}" must be https: or http:`);
  }
  if (env.FENCE_PROTOCOL === "https:" && !env.FENCE_SERVER_NAME) {
    throw new Error("FENCE_SERVER_NAME is needed with https: (the name B's certificate carries)");
  }
  return {
    parameter: env.FENCE_LOCATION_PARAMETER,
    path: env.FENCE_PATH,
    protocol: env.FENCE_PROTOCOL,
    serverName: env.FENCE_SERVER_NAME,
    cluster: env.CLUSTER_NAME,
    service: env.SERVICE_NAME,
    timeoutMs: Number(env.FENCE_TIMEOUT_MS || 5000),
  };
}

/**
 * One GET to region B's ALB, addressed to the ALB's own name (the only Host the fence rule
 * answers). Over HTTPS the TLS name is the service's, which B's certificate carries, and the
 * certificate is verified against it.
 */
function get({ protocol, host, port, path, serverName, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const options = { host, port, path, headers: { host }, timeout: timeoutMs, agent: false };
    const request =
      protocol === "https:"
        ? https.get({ ...options, servername: serverName, rejectUnauthorized: true }, onAnswer)
        : http.get(options, onAnswer);
    function onAnswer(response) {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        body += chunk;
        if (body.length > MAX_BODY_BYTES) response.destroy();
      });
      response.on("close", () => resolve({ status: response.statusCode, body }));
      response.on("error", reject);
    }
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

/** `fenced`, `open` or `unknown`, with what was seen. Never throws. */
async function readFence(settings, { ssm, commands, fetch }) {
  let host;
  try {
    const out = await ssm.send(
      new commands.GetParameterCommand({ Name: settings.parameter, WithDecryption: true }),
    );
    host = out.Parameter && out.Parameter.Value;
  } catch (error) {
    return {
      state: "unknown",
      detail: `cannot read SSM parameter ${settings.parameter}: ${error.name || ""} ${error.message}`,
    };
  }
  if (!host) return { state: "unknown", detail: `SSM parameter ${settings.parameter} is empty` };
  const url = `${settings.protocol}//${host}${settings.path}`;
  try {
    const answer = await fetch({ ...settings, host });
    const word = String(answer.body).trim();
    if (answer.status === 200 && word === FENCED)
      return { state: "fenced", detail: `${url}: 200 ${word}` };
    const state = answer.status === 200 && word === "open" ? "open" : "unknown";
    return { state, detail: `${url}: ${answer.status} ${JSON.stringify(word.slice(0, 20))}` };
  } catch (error) {
    return { state: "unknown", detail: `${url}: ${error.message}` };
  }
}

/** Scaling bounds 0..0 and desired count 0; only what is not so already. */
async function holdAtZero(settings, { autoscaling, ecs, commands }) {
  const actions = [];
  const resourceId = `service/${settings.cluster}/${settings.service}`;
  const targets = await autoscaling.send(
    new commands.DescribeScalableTargetsCommand({
      ServiceNamespace: "ecs",
      ResourceIds: [resourceId],
      ScalableDimension: "ecs:service:DesiredCount",
    }),
  );
  const target = (targets.ScalableTargets || [])[0];
  if (target && (target.MinCapacity !== 0 || target.MaxCapacity !== 0)) {
    await autoscaling.send(
      new commands.RegisterScalableTargetCommand({
        ServiceNamespace: "ecs",
        ResourceId: resourceId,
        ScalableDimension: "ecs:service:DesiredCount",
        MinCapacity: 0,
        MaxCapacity: 0,
      }),
    );
    actions.push(`scaling bounds ${target.MinCapacity}..${target.MaxCapacity} -> 0..0`);
  }
  const described = await ecs.send(
    new commands.DescribeServicesCommand({
      cluster: settings.cluster,
      services: [settings.service],
    }),
  );
  const service = (described.services || []).find((s) => s.status !== "INACTIVE");
  if (!service) {
    actions.push(`service ${settings.service} not found in cluster ${settings.cluster}`);
  } else if (service.desiredCount !== 0) {
    await ecs.send(
      new commands.UpdateServiceCommand({
        cluster: settings.cluster,
        service: settings.service,
        desiredCount: 0,
      }),
    );
    actions.push(`desired count ${service.desiredCount} -> 0 (${service.runningCount} running)`);
  }
  return actions;
}

/**
 * One run: read the fence; when it says fenced, hold the service at zero. Logs one JSON line
 * saying what it saw and did, and returns the same record.
 */
async function enforce(env, deps) {
  const settings = settingsFrom(env);
  const fence = await readFence(settings, deps);
  const record = { fence: fence.state, seen: fence.detail, service: settings.service, actions: [] };
  if (fence.state === "fenced") {
    record.actions = await holdAtZero(settings, deps);
    if (record.actions.length === 0) record.actions.push("already at zero");
  } else {
    record.actions.push('none: only a 200 reading "fenced" stops region A');
  }
  deps.log(JSON.stringify(record));
  return record;
}

/** The real clients, made once per execution environment. */
let clients;
function awsClients() {
  if (!clients) {
    const ssm = require("@aws-sdk/client-ssm");
    const ecs = require("@aws-sdk/client-ecs");
    const autoscaling = require("@aws-sdk/client-application-auto-scaling");
    clients = {
      ssm: new ssm.SSMClient({}),
      ecs: new ecs.ECSClient({}),
      autoscaling: new autoscaling.ApplicationAutoScalingClient({}),
      commands: {
        GetParameterCommand: ssm.GetParameterCommand,
        DescribeServicesCommand: ecs.DescribeServicesCommand,
        UpdateServiceCommand: ecs.UpdateServiceCommand,
        DescribeScalableTargetsCommand: autoscaling.DescribeScalableTargetsCommand,
        RegisterScalableTargetCommand: autoscaling.RegisterScalableTargetCommand,
      },
    };
  }
  return clients;
}

exports.handler = async () =>
  enforce(process.env, { ...awsClients(), fetch: get, log: (line) => console.log(line) });
exports.enforce = enforce;
exports.get = get;
