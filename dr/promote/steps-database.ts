/**
 * Promote steps 3 to 7: fence region A, show what the promotion loses, promote region B's
 * replica, make it Multi-AZ when the environment asks for it, and point region B's connection
 * secret at it (steps 1 and 2, confirming A is gone, are steps-confirm.ts and steps-writer.ts).
 */
import type { DbInstance } from "../aws/aws";
import { ASSUMPTIONS } from "../budgets";
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

/**
 * A standalone writer, available, or busy only with the Multi-AZ change step 6 asked for (which
 * takes long and needs no waiting: the writer serves meanwhile).
 */
function promoted(db: DbInstance): boolean {
  if (db.source) return false;
  return db.status === "available" || (db.status === "modifying" && Boolean(db.pendingMultiAz));
}

const minutesOf = (seconds: number) => Math.round(seconds / 60);

/** Why a replica in `backing-up` is not promoted yet, and for how long that usually lasts. */
function backingUpNote(env: StepEnv): string {
  const [lo, hi] = ASSUMPTIONS.replicaBackingUp;
  return `RDS does not promote an instance while it is backing-up: ${env.ctx.names.replica} takes its automated snapshot daily in database.backupWindow ${env.ctx.config.database.backupWindow} UTC (and once after creation). An incremental snapshot usually takes ${minutesOf(lo)}-${minutesOf(hi)} min (an assumption, not a measurement; a first snapshot of a large database takes longer); the promotion is asked as soon as it reads available`;
}

export const reportLoss: Step = {
  id: "report-loss",
  title: "Show what the promotion loses",
  async inspect(env) {
    const db = await replicaOf(env);
    if (!db.source) {
      return { done: true, checkOnly: true, detail: `${db.identifier} is already the writer` };
    }
    const lag = await env.aws.database.lastReplicaLag(db.identifier);
    if (!lag) {
      return {
        done: true,
        checkOnly: true,
        detail: `no ReplicaLag datapoint of ${db.identifier} in the last 3 hours: how far behind it is is unknown; A's recovery-point alarm (alarms.rpoSeconds ${env.ctx.config.alarms.rpoSeconds} s) was the last measure`,
      };
    }
    const ago = minutesOf((env.clock.now().getTime() - lag.at.getTime()) / 1000);
    return {
      done: true,
      checkOnly: true,
      detail: `last ReplicaLag of ${db.identifier}: ${lag.value} s at ${lag.at.toISOString().slice(11, 16)}Z (${ago} min ago). Writes region A took in about the last ${lag.value} s before it stopped replicating are not in B: promotion makes that loss final`,
    };
  },
  act: async () => "nothing to do",
};

export const promoteReplica: Step = {
  id: "promote-replica",
  title: "Promote region B's replica",
  async inspect(env) {
    const db = await replicaOf(env);
    if (promoted(db)) {
      return { done: true, detail: `${db.identifier} is a standalone writer (${db.status})` };
    }
    if (db.source && db.status === "backing-up") {
      return {
        done: false,
        plan: `wait until ${db.identifier} (replica of ${db.source}) is available, then promote it. ${backingUpNote(env)}`,
      };
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
    // The plan printed just before already explained a backing-up wait.
    let explained = (await replicaOf(env)).status === "backing-up";
    const progress = await waitUntil(
      `${ctx.names.replica} to be a standalone writer`,
      async () => {
        const db = await replicaOf(env);
        if (db.source && db.status === "backing-up" && !explained) {
          explained = true;
          say(`  ${backingUpNote(env)}`);
        }
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
        return {
          done: promoted(db),
          progress: `${db.status}${db.source ? `, replica of ${db.source}` : ""}`,
        };
      },
      { ...env.options, clock: env.clock, say },
    );
    return `${ctx.names.replica} is a standalone writer (${progress})`;
  },
};

export const makeMultiAz: Step = {
  id: "make-multi-az",
  title: "Give the new writer its Multi-AZ standby now",
  async inspect(env) {
    const db = await replicaOf(env);
    if (!env.ctx.config.database.multiAz) {
      return {
        done: true,
        checkOnly: true,
        detail: `database.multiAz is false for ${env.ctx.environment}: ${db.identifier} stays single-AZ`,
      };
    }
    if (db.multiAz || db.pendingMultiAz) {
      return {
        done: true,
        detail: `${db.identifier} is Multi-AZ${db.multiAz ? "" : " (RDS is adding the standby)"}`,
      };
    }
    return {
      done: false,
      plan: `make ${db.identifier} Multi-AZ with ApplyImmediately, as database.multiAz asks: RDS adds the standby while the writer serves (minutes to an hour, by size), instead of in its next maintenance window`,
    };
  },
  async act(env) {
    const id = env.ctx.names.replica;
    // RDS takes the change only from an available instance; right after a promotion it may
    // still be taking its first backup as a writer.
    const progress = await waitUntil(
      `${id} to take the Multi-AZ change`,
      async () => {
        const db = await replicaOf(env);
        if (db.source) throw new Error(`${id} is still a replica of ${db.source}`);
        if (db.multiAz || db.pendingMultiAz) return { done: true, progress: db.status };
        if (db.status === "available") {
          try {
            await env.aws.database.makeMultiAz(id);
            return { done: true, progress: "modifying" };
          } catch (error) {
            if (!(error instanceof Error && error.name === "InvalidDBInstanceStateFault")) {
              throw error;
            }
          }
        }
        return { done: false, progress: db.status };
      },
      { ...env.options, clock: env.clock, say: env.say },
    );
    return `asked RDS to make ${id} Multi-AZ now (${progress}); it serves meanwhile`;
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
