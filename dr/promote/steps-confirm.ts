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
async function pastNoReturn({ aws, ctx }: StepEnv): Promise<string | undefined> {
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
    if (!result.up) return { done: true, checkOnly: true, detail: result.detail };
    if (options.force) {
      return { done: true, checkOnly: true, detail: `${result.detail}; --force given` };
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
