/** The shape of a failback step, and what every step is built from. */
import type { RecoveryNames } from "../../naming/recovery";
import type { DrContext } from "../context";
import { type RegionANames, regionANames, serviceName } from "./failback-names";

export interface FailbackStep {
  readonly title: string;
  readonly why: string;
  /** What must not happen while this step's state lasts, printed before the commands. */
  readonly warning?: string;
  readonly commands: readonly string[];
  /** What proves the step worked; the next step starts only when every check holds. */
  readonly checks: readonly string[];
}

export interface FailbackEnv {
  readonly ctx: DrContext;
  /** Region A's and region B's codes. */
  readonly A: string;
  readonly B: string;
  readonly a: RegionANames;
  readonly b: RecoveryNames;
  /** `<record>.<zone>`, without which there is no HTTPS and no DNS failover. */
  readonly fqdn?: string;
  /** The environment's settings file, where the plan's one setting (failover.promoted) lives. */
  readonly file: string;
  readonly deploy: (stacks: string) => string;
  readonly synth: string;
}

export function failbackEnv(ctx: DrContext): FailbackEnv {
  const env = ctx.environment;
  return {
    ctx,
    A: ctx.regionA,
    B: ctx.regionB,
    a: regionANames(ctx),
    b: ctx.names,
    fqdn: serviceName(ctx),
    file: `config/environments/${env}.ts`,
    deploy: (stacks) => `DEPLOY_ENV=${env} npx cdktf deploy ${stacks}`,
    synth: `DEPLOY_ENV=${env} npx cdktf synth`,
  };
}
