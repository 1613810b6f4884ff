/**
 * The automatic promotion's section of docs/disaster-recovery.md (dr/runbook-doc.ts places it):
 * what each environment has, the guards, the worst-case times from decide.ts, and the commands
 * that disarm it and reset its latch, with the real parameter names.
 */
import { ENVIRONMENTS } from "../../config";
import { validateConfig } from "../../config/validate";
import {
  AUTO_PROMOTION_ARMED,
  AUTO_PROMOTION_LATCH_UNUSED,
  recoveryNames,
} from "../../naming/recovery";
import {
  LAG_MAX_AGE_MS,
  MAX_GAP_MS,
  QUORUM,
  REPLICATION_LOST_LAG_SECONDS,
  decisionMinutes,
  detectionMinutes,
} from "./decide";
import { MAINTENANCE_OVERRUN_MINUTES } from "../promote/steps-writer";

function environments(): string {
  return Object.entries(ENVIRONMENTS)
    .map(([name, input]) => {
      const c = validateConfig(input, name);
      if (!c.failover.enabled) return `- \`${name}\`: no region B.`;
      if (!c.failover.automatic)
        return `- \`${name}\`: off (\`failover.automatic: false\`): a person decides.`;
      const g = c.failover.automation;
      return `- \`${name}\`: on. Quorum window ${g.quorumMinutes} min, hold ${g.holdMinutes} min, RPO veto above ${c.alarms.rpoSeconds} s: paged at most ${detectionMinutes(g.quorumMinutes)} min after the outage, promotion starts at most ${decisionMinutes(g)} min after it.`;
    })
    .join("\n");
}

export function automaticPromotionSection(): string {
  const prod = validateConfig(ENVIRONMENTS.prod, "prod");
  const n = recoveryNames({
    project: prod.project,
    environment: prod.environment,
    primaryRegion: prod.network.region,
    failoverRegion: prod.failover.network.region,
    serviceName: prod.service.name,
  }).autoPromotion;
  const B = prod.failover.network.region;
  return `## Automatic promotion (\`failover.automatic\`)

Off by default; why and how in [ADR 0004](adr/0004-automatic-promotion.md). With it, a function in
region B (\`auto-promoter\`, every minute) runs step 2 of the runbook itself: the same code as
\`npm run dr -- promote\` (its steps, their checks of region A, the same audit trail, with command
\`promote (automatic)\`), bundled at synth time.

${environments()}

It promotes only when all of these hold, in this order:

1. **Outside region A's maintenance window** (\`database.maintenanceWindow\` and ${MAINTENANCE_OVERRUN_MINUTES} min after): nothing is detected there.
2. **Quorum of independent signals**: at least ${QUORUM} of region A's RDS API (does not answer, or
   has no writer / a stopped or failed one), A's \`/health\` from B (no 2xx in 3 tries), and B's
   replica lag (no datapoint for 10 min, or ${REPLICATION_LOST_LAG_SECONDS} s and more) say lost.
3. **Writer veto**: A's RDS API showing A's writer there (available, modifying, rebooting,
   upgrading, backing-up...) vetoes whatever the other two say.
4. **Sustained**: the quorum held on every run for \`failover.automation.quorumMinutes\`, runs no more
   than ${MAX_GAP_MS / 1000} s apart.
5. **Latch** \`${n.latch}\` reads \`${AUTO_PROMOTION_LATCH_UNUSED}\` (once used, never again until a person resets it).
6. **Switch** \`${n.switch}\` reads \`${AUTO_PROMOTION_ARMED}\`.
7. **RPO veto**: the last replica lag seen before the loss (at most ${LAG_MAX_AGE_MS / 60_000} min old) is known and
   within \`alarms.rpoSeconds\`. On an idle database the replica reports up to 5 minutes of lag, so
   a quiet night vetoes and pages: a person decides then.
8. **Page, then hold**: it pages B's alarm topic ("automatic promotion at <time>") and waits
   \`failover.automation.holdMinutes\`; it then sets the latch, pages again and runs the steps.

Each veto pages once. Region A answering again during the hold takes the page back.

**Disarm** it (maintenance in A, a drill, or to stop a pending promotion during the hold; prod's
names, other environments have their own):

\`\`\`sh
aws ssm put-parameter --region ${B} --overwrite --name ${n.switch} --value disarmed
aws ssm put-parameter --region ${B} --overwrite --name ${n.switch} --value ${AUTO_PROMOTION_ARMED}   # re-arm
\`\`\`

**Reset the latch** once region B's promotion is finished and failed back (or after deciding by
hand): \`aws ssm put-parameter --region ${B} --overwrite --name ${n.latch} --value ${AUTO_PROMOTION_LATCH_UNUSED}\`.
A deploy never re-arms the switch nor resets the latch (Terraform ignores their values). The
function stays after promotion, unchanged (the promoted apply deletes no role while IAM may be
down): it finds B's database a writer and does nothing.

**When the function is down** (Lambda in B failing, its role broken), nothing promotes on its own:
recovery falls back to the person paged by B's alarms, as with \`failover.automatic: false\`. Its
errors are in its log group (\`/aws/lambda/<name>-auto-promoter\`). **When its run stops
half-way** (a step fails, or Lambda's 15 minutes run out), the latch is already set: it pages what
stopped it, and \`npm run dr -- promote\` resumes where it stopped. **Two writers** cannot come from
it: it sets the fence (step 3) before it promotes, exactly as a person's run does, and region A's
fence enforcer holds A's service at zero from then on.
`;
}
