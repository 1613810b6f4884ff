/**
 * Promote step 1: make sure region A is gone before anything changes, unless an earlier run is
 * already past the point of no return.
 */
import { fenceAnswer, findFence } from "./fence";
import { regionAProbe } from "./probe";
import { Refusal, type Step, type StepEnv } from "./step";

/**
 * Why an earlier run is past the point of no return, or undefined when it is not. Then region A
 * answering again decides nothing: stopping would leave region B half promoted, and the fence
 * already keeps A out of DNS. Past it means B's database is a standalone writer, or the fence
 * reads fenced: a run sets the fence (step 2) before it asks RDS to promote (step 3), so every
 * promotion a run started, finished or still under way, has it. A replica that is merely not
 * "available" is no such proof (RDS also says modifying, rebooting or backing-up during
 * maintenance), so it does not lift the check on its own: two writers would be the price.
 */
export async function pastNoReturn({ aws, ctx }: StepEnv): Promise<string | undefined> {
  const db = await aws.database.describe(ctx.names.replica);
  if (db && !db.source) {
    return "region B's database is already the writer (an earlier run promoted it)";
  }
  const fence = await findFence(aws, ctx.names.loadBalancer);
  if (fence.state !== "fenced") return undefined;
  const promoting =
    db && db.status !== "available"
      ? `; ${db.identifier} is ${db.status}, promotion under way`
      : "";
  return `the fence already answers ${fenceAnswer("fenced")} (an earlier run set it${promoting})`;
}

/** The replica's state when it is busy, so a refusal shows what the operator may know better. */
async function busyReplica({ aws, ctx }: StepEnv): Promise<string> {
  const db = await aws.database.describe(ctx.names.replica);
  if (!db || db.status === "available") return "";
  return ` (${db.identifier} reads ${db.status} while the fence is not set: if that is a promotion started outside dr, --force lets this run finish it)`;
}

/**
 * How long region A has been failing as region B sees it: B's standby tasks reach A's writer
 * through the peering, and their alarm changes state when they cannot. Empty when there is no
 * such alarm (no standby task) or it cannot be read.
 */
async function failingSince({ aws, ctx, clock }: StepEnv): Promise<string> {
  const name = ctx.names.primaryUnreachableAlarm;
  let alarm;
  try {
    alarm = await aws.alarms.state(name);
  } catch (error) {
    return `; alarm ${name} unreadable (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!alarm) return `; no alarm ${name} in ${aws.region} (no standby task watches A's writer)`;
  const since = alarm.since
    ? ` since ${alarm.since.toISOString().slice(0, 16)}Z (${Math.round((clock.now().getTime() - alarm.since.getTime()) / 60_000)} min)`
    : "";
  const meaning =
    alarm.state === "ALARM"
      ? "region B's standby tasks cannot reach A's writer through the peering"
      : "from region B, A's writer still answers";
  return `; ${name} is ${alarm.state}${since}: ${meaning}`;
}

export const confirmPrimaryDown: Step = {
  id: "confirm-primary-down",
  title: "Confirm region A is down",
  async inspect(env) {
    const { aws, ctx, options, probe } = env;
    const parameter = ctx.names.primaryEndpointParameter;
    const dnsName = await aws.parameters.read(parameter);
    if (!dnsName) {
      const why = `SSM parameter ${parameter} is missing in ${aws.region}, so region A's endpoint is unknown and cannot be probed (the link stack writes it)`;
      if (!options.force) throw new Refusal(`${why}; pass --force to promote without the check`);
      return { done: true, checkOnly: true, detail: `not checked: ${why}; --force given` };
    }
    const result = await probe(regionAProbe(ctx.config, dnsName));
    const seen = `from this machine, ${result.detail}${await failingSince(env)}`;
    if (!result.up) return { done: true, checkOnly: true, detail: seen };
    if (options.force) {
      return { done: true, checkOnly: true, detail: `${seen}; --force given` };
    }
    const past = await pastNoReturn(env);
    if (!past) {
      throw new Refusal(
        `region A still serves: ${result.detail}. Promoting now would leave two writers; pass --force if region A must be abandoned anyway (its database is lost)${await busyReplica(env)}`,
      );
    }
    return {
      done: true,
      checkOnly: true,
      detail: `${result.detail}, but ${past}: going on, the fence keeps region A out of DNS`,
    };
  },
  act: async () => "nothing to do",
};
