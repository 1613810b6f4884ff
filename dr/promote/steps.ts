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
  repointSecret,
  raiseCapacity,
  redeploy,
  waitServing,
  // Last: RDS takes the change only once the new writer is available, and after a promotion it
  // may first spend minutes backing up; B's tasks need not wait for that to serve.
  makeMultiAz,
];
