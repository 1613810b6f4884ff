/**
 * A promote step as data: `inspect` reads the actual state and says whether the step is done
 * or what acting would do; `act` does it. Running `inspect` first on every run is what makes a
 * re-run after a failure resume where it stopped.
 */
import type { RegionB } from "../aws/aws";
import type { RegionA } from "../aws/region-a";
import type { DrContext } from "../context";
import type { ProbeResult, ProbeTarget } from "./probe";
import type { Clock } from "../runtime";

export interface PromoteOptions {
  /**
   * Promote even when region A answers, its endpoint is unknown, its writer is visible, or it is
   * in its maintenance window.
   */
  readonly force: boolean;
  readonly dryRun: boolean;
  readonly pollMs: number;
  /** Longest wait of a waiting step (promotion, tasks). */
  readonly timeoutMs: number;
}

export interface StepEnv {
  readonly aws: RegionB;
  /** Region A's RDS API, read-only and bounded: asked only whether A's writer is still there. */
  readonly regionA: RegionA;
  readonly ctx: DrContext;
  readonly options: PromoteOptions;
  readonly clock: Clock;
  readonly say: (text: string) => void;
  /** Asks whether region A serves (probe.ts: its ALB, spoken to as the service). */
  readonly probe: (target: ProbeTarget) => Promise<ProbeResult>;
  /** Ids of earlier steps a dry run planned but did not do: later steps plan as if they had. */
  readonly pending: ReadonlySet<string>;
}

export type Inspection =
  | { readonly done: true; readonly detail: string; readonly checkOnly?: boolean }
  | { readonly done: false; readonly plan: string };

export interface Step {
  readonly id: string;
  readonly title: string;
  inspect(env: StepEnv): Promise<Inspection>;
  /** Does what `inspect` planned; returns what it did, in one line. */
  act(env: StepEnv): Promise<string>;
}

/** A refusal the operator can lift (with --force, or by fixing what it names): not a failure. */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Refusal";
  }
}
