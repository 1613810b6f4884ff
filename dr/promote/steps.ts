/** The promote procedure, in order; each step is idempotent (step.ts). */
import { confirmPrimaryDown } from "./steps-confirm";
import { promoteReplica, repointSecret, setFence } from "./steps-database";
import { raiseCapacity, redeploy, waitServing } from "./steps-service";
import type { Step } from "./step";

export const PROMOTE_STEPS: readonly Step[] = [
  confirmPrimaryDown,
  setFence,
  promoteReplica,
  repointSecret,
  raiseCapacity,
  redeploy,
  waitServing,
];
