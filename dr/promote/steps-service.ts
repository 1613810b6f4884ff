/**
 * Promote steps 5 to 7: give region B the primary's capacity, restart its tasks so they read the
 * repointed secret, and wait until they serve.
 */
import { type ServiceState, scalableResourceId } from "../aws/aws";
import { waitUntil } from "../runtime";
import type { Step, StepEnv } from "./step";

async function serviceOf({ aws, ctx }: StepEnv): Promise<ServiceState> {
  const { cluster, service } = ctx.names;
  const state = await aws.service.describe(cluster, service);
  if (!state || state.status === "INACTIVE") {
    throw new Error(
      `ECS service ${service} in cluster ${cluster} not found in ${aws.region}: the failover stack creates it; deploy failover`,
    );
  }
  return state;
}

/** What step 5 aims at, from the current state and the primary's scaling settings. */
async function capacityPlan(env: StepEnv) {
  const { minCapacity, maxCapacity, desiredCount } = env.ctx.config.scaling;
  const resourceId = scalableResourceId(env.ctx.names.cluster, env.ctx.names.service);
  const [service, target] = await Promise.all([
    serviceOf(env),
    env.aws.service.scalableTarget(resourceId),
  ]);
  const wanted = {
    min: Math.max(target?.min ?? 0, minCapacity),
    max: Math.max(target?.max ?? 0, maxCapacity),
  };
  const desired = Math.max(service.desiredCount, desiredCount, minCapacity);
  const scalingOk = target !== undefined && target.min >= minCapacity && target.max >= maxCapacity;
  const now = target ? `min ${target.min}, max ${target.max}` : "no scalable target";
  return { resourceId, service, wanted, desired, scalingOk, now };
}

export const raiseCapacity: Step = {
  id: "raise-capacity",
  title: "Raise region B's capacity",
  async inspect(env) {
    const p = await capacityPlan(env);
    const desiredOk = p.service.desiredCount >= p.desired;
    if (p.scalingOk && desiredOk) {
      return { done: true, detail: `${p.now}, desired ${p.service.desiredCount}` };
    }
    const parts = [
      ...(p.scalingOk
        ? []
        : [`scaling bounds min ${p.wanted.min}, max ${p.wanted.max} (now ${p.now})`]),
      ...(desiredOk ? [] : [`desired count ${p.desired} (now ${p.service.desiredCount})`]),
    ];
    return { done: false, plan: `set ${parts.join(" and ")}` };
  },
  async act(env) {
    const p = await capacityPlan(env);
    if (!p.scalingOk) await env.aws.service.registerScalableTarget(p.resourceId, p.wanted);
    if (p.service.desiredCount < p.desired) {
      await env.aws.service.update(env.ctx.names.cluster, env.ctx.names.service, {
        desiredCount: p.desired,
      });
    }
    return `min ${p.wanted.min}, max ${p.wanted.max}, desired ${Math.max(p.desired, p.service.desiredCount)}`;
  },
};

export const redeploy: Step = {
  id: "redeploy",
  title: "Restart region B's tasks on the new secret",
  async inspect(env) {
    const secretName = env.ctx.names.failoverConnectionSecret;
    if (env.pending.has("repoint-secret")) {
      return { done: false, plan: `force a new deployment once ${secretName} is rewritten` };
    }
    const [service, secret] = await Promise.all([
      serviceOf(env),
      env.aws.secrets.describe(secretName),
    ]);
    const started = service.deployments.find((d) => d.status === "PRIMARY")?.createdAt;
    const changed = secret?.lastChanged;
    // A change time may come truncated to the second: a deployment in that same second counts
    // as after it, since this tool writes the secret before it deploys, never the other way.
    if (started && changed && started > changed) {
      return {
        done: true,
        detail: `the PRIMARY deployment started ${started.toISOString()}, after ${secretName} changed (${changed.toISOString()})`,
      };
    }
    return {
      done: false,
      plan: `force a new deployment of ${env.ctx.names.service}: its PRIMARY deployment (${started?.toISOString() ?? "unknown"}) is not newer than ${secretName} (${changed?.toISOString() ?? "unknown"})`,
    };
  },
  async act({ aws, ctx }) {
    await aws.service.update(ctx.names.cluster, ctx.names.service, { forceNewDeployment: true });
    return `new deployment of ${ctx.names.service} started`;
  },
};

/** Whether the new tasks all run and enough of them are healthy behind the ALB. */
async function serving(env: StepEnv) {
  const required = env.ctx.config.scaling.minCapacity;
  const [service, health] = await Promise.all([
    serviceOf(env),
    env.aws.loadBalancing.targetHealth(env.ctx.names.targetGroup),
  ]);
  const primary = service.deployments.find((d) => d.status === "PRIMARY");
  const running = primary?.runningCount ?? service.runningCount;
  const healthy = health?.healthy ?? 0;
  const done = running >= service.desiredCount && healthy >= required;
  const progress = `${running}/${service.desiredCount} new tasks running, ${healthy} healthy target(s) of ${health?.total ?? 0} (need ${required})`;
  return { done, progress };
}

export const waitServing: Step = {
  id: "wait-serving",
  title: "Wait until region B serves",
  async inspect(env) {
    const { done, progress } = await serving(env);
    if (done && !env.pending.has("raise-capacity") && !env.pending.has("redeploy")) {
      return { done: true, detail: progress };
    }
    return { done: false, plan: `wait until the tasks run and are healthy (now ${progress})` };
  },
  async act(env) {
    return waitUntil(`${env.ctx.names.service} to serve`, () => serving(env), {
      ...env.options,
      clock: env.clock,
      say: env.say,
    });
  },
};
