/** The promote procedure, in order; each step is idempotent (step.ts). */
import { confirmPrimaryDown } from "./steps-confirm";
import { checkPrimaryWriter } from "./steps-writer";
import { makeMultiAz, promoteReplica, repointSecret, reportLoss, setFence } from "./steps-database";
import { raiseCapacity, redeploy, waitServing } from "./steps-service";
import type { Step } from "./step";

export const PROMOTE_STEPS: readonly Step[] = [
  confirmPrimaryDown,
  checkPrimaryWriter,
  setFence,
  reportLoss,
  promoteReplica,
  makeMultiAz,
  repointSecret,
  raiseCapacity,
  redeploy,
  waitServing,
];
