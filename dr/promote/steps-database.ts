/**
 * Promote steps 2 to 4: fence region A, promote region B's replica and point region B's
 * connection secret at it (step 1, confirming A is gone, is steps-confirm.ts).
 */
import { fenceAnswer, fenceResponse, findFence } from "./fence";
import { connectionSecretValue, parseConnection } from "./secret";
import type { Step, StepEnv } from "./step";
import { waitUntil } from "../runtime";

export const setFence: Step = {
  id: "set-fence",
  title: "Fence region A",
  async inspect({ aws, ctx }) {
    const fence = await findFence(aws, ctx.names.loadBalancer);
    if (fence.state === "fenced") {
      return {
        done: true,
        detail: `the fence on ${ctx.names.loadBalancer} answers ${fenceAnswer("fenced")}`,
      };
    }
    return {
      done: false,
      plan: `answer ${fenceAnswer("fenced")} on ${ctx.names.loadBalancer}'s fence rule (now ${fence.state ?? "unknown"}), so Route53 stops sending clients to region A`,
    };
  },
  async act({ aws, ctx }) {
    const fence = await findFence(aws, ctx.names.loadBalancer);
    await aws.loadBalancing.setFixedResponse(fence.rule.arn, fenceResponse("fenced"));
    return `fence rule ${fence.rule.arn} answers ${fenceAnswer("fenced")}`;
  },
};

async function replicaOf({ aws, ctx }: StepEnv) {
  const db = await aws.database.describe(ctx.names.replica);
  if (!db) {
    throw new Error(
      `database ${ctx.names.replica} not found in ${aws.region}: the failover stack creates it; check the environment (--env) and that failover is deployed`,
    );
  }
  return db;
}

export const promoteReplica: Step = {
  id: "promote-replica",
  title: "Promote region B's replica",
  async inspect(env) {
    const db = await replicaOf(env);
    if (!db.source && db.status === "available") {
      return { done: true, detail: `${db.identifier} is a standalone writer (available)` };
    }
    const days = env.ctx.config.database.backupRetentionDays;
    return {
      done: false,
      plan: db.source
        ? `promote ${db.identifier} (replica of ${db.source}, ${db.status}) keeping backups ${days} days, then wait until it is available`
        : `wait for ${db.identifier} (${db.status}, promotion under way) to become available`,
    };
  },
  async act(env) {
    const { aws, ctx, say } = env;
    let asked = false;
    const progress = await waitUntil(
      `${ctx.names.replica} to be a standalone writer`,
      async () => {
        const db = await replicaOf(env);
        if (db.source && db.status === "available" && !asked) {
          asked = true;
          try {
            await aws.database.promote(db.identifier, ctx.config.database.backupRetentionDays);
            say(`  asked RDS to promote ${db.identifier}`);
          } catch (error) {
            // A promotion started by an earlier run that stopped while RDS still said available.
            if (!(error instanceof Error && error.name === "InvalidDBInstanceStateFault"))
              throw error;
            say(`  ${db.identifier}: a promotion is already under way`);
          }
        }
        const done = !db.source && db.status === "available";
        return { done, progress: `${db.status}${db.source ? `, replica of ${db.source}` : ""}` };
      },
      { ...env.options, clock: env.clock, say },
    );
    return `${ctx.names.replica} is a standalone writer (${progress})`;
  },
};

/** B's instance endpoint, A's credentials from B's copy of A's secret, B's current secret. */
async function secretInputs(env: StepEnv) {
  const { aws, ctx } = env;
  const db = await replicaOf(env);
  if (!db.address || !db.port) {
    throw new Error(
      `${db.identifier} has no endpoint yet (${db.status}); wait until it is available and re-run`,
    );
  }
  const fromA = await aws.secrets.read(ctx.names.primaryConnectionSecret);
  if (fromA === undefined) {
    throw new Error(
      `secret ${ctx.names.primaryConnectionSecret} (region B's copy of region A's connection) not found in ${aws.region}: the primary stack replicates it; without it the user and password are unknown`,
    );
  }
  const current = await aws.secrets.read(ctx.names.failoverConnectionSecret);
  if (current === undefined) {
    throw new Error(
      `secret ${ctx.names.failoverConnectionSecret} not found in ${aws.region}: the failover stack creates it; deploy failover`,
    );
  }
  return { db, fromA: parseConnection(fromA, ctx.names.primaryConnectionSecret), current };
}

/** Host and port of a connection secret, or undefined when it cannot be read as one. */
function endpointOf(value: string): string | undefined {
  try {
    const parsed = JSON.parse(value) as { host?: unknown; port?: unknown };
    return `${String(parsed.host)}:${Number(parsed.port)}`;
  } catch {
    return undefined;
  }
}

export const repointSecret: Step = {
  id: "repoint-secret",
  title: "Point region B's connection secret at region B's database",
  async inspect(env) {
    const { db, current } = await secretInputs(env);
    const target = `${db.address}:${db.port}`;
    const now = endpointOf(current);
    const secret = env.ctx.names.failoverConnectionSecret;
    if (now === target) return { done: true, detail: `${secret} already points at ${target}` };
    return {
      done: false,
      plan: `write ${secret} for ${target} (now ${now ?? "unreadable"}) with the user and database of ${env.ctx.names.primaryConnectionSecret}`,
    };
  },
  async act(env) {
    const { db, fromA } = await secretInputs(env);
    if (db.source) {
      throw new Error(`${db.identifier} is still a replica of ${db.source}: promote it first`);
    }
    const secret = env.ctx.names.failoverConnectionSecret;
    const host = db.address ?? "";
    const port = db.port ?? 0;
    await env.aws.secrets.write(secret, connectionSecretValue({ ...fromA, host, port }));
    return `${secret} points at ${host}:${port}`;
  },
};
