/**
 * Promote step 2: tell a blip from a loss. Region A failing its health check is not region A
 * lost: a Multi-AZ engine upgrade in A's maintenance window takes both of A's nodes down for
 * minutes, and a reboot or a failover for one or two. Promoting then leaves two writers once A's
 * database is back. So before anything changes, this step asks region A's RDS API (read-only,
 * bounded: the one call to region A the tool makes) whether A's writer is still there, and checks
 * the clock against A's maintenance window.
 */
import { DAYS, parseWeeklyWindow } from "../../facts/rds";
import { pastNoReturn } from "./steps-confirm";
import { Refusal, type Step, type StepEnv } from "./step";

/**
 * Statuses of an instance that is gone or will not come back without someone acting (RDS
 * DBInstanceStatus values). Any other status is a writer that is there: available, modifying,
 * rebooting, upgrading, backing-up, maintenance, configuring-*, storage-optimization, starting...
 */
const GONE = new Set([
  "deleting",
  "failed",
  "inaccessible-encryption-credentials",
  "incompatible-restore",
  "restore-error",
  "stopped",
  "stopping",
]);

/**
 * Minutes after the maintenance window's end still counted as inside it: RDS starts work within
 * the window, and an engine upgrade started near its end runs past it.
 */
export const MAINTENANCE_OVERRUN_MINUTES = 60;

const DAY = 24 * 60;
const WEEK = 7 * DAY;

/** Whether `now` falls in the weekly `window` (ddd:hh24:mi-ddd:hh24:mi, UTC) or its overrun. */
export function inMaintenanceWindow(window: string, now: Date): boolean {
  const parsed = parseWeeklyWindow(window);
  if (!parsed) throw new Error(`database.maintenanceWindow "${window}" cannot be read`);
  // getUTCDay counts from Sunday; the window counts from Monday 00:00.
  const minute = ((now.getUTCDay() + 6) % 7) * DAY + now.getUTCHours() * 60 + now.getUTCMinutes();
  const offset = (minute - parsed.start + WEEK) % WEEK;
  return offset < parsed.minutes + MAINTENANCE_OVERRUN_MINUTES;
}

function utc(now: Date): string {
  const day = DAYS[(now.getUTCDay() + 6) % 7];
  return `${day} ${now.toISOString().slice(11, 16)} UTC`;
}

/**
 * What region A's RDS API said, as one clause, and whether it shows the writer there. Also the
 * writer signal of the automatic promotion (dr/auto/signals.ts): one classification for both.
 */
export async function askRegionA({ regionA, ctx }: Pick<StepEnv, "regionA" | "ctx">) {
  const id = ctx.names.primaryDatabase;
  const view = await regionA.writer(id);
  if (!view.answered) {
    return {
      present: false,
      detail: `region A's RDS API (${regionA.region}) did not answer (${view.reason}): counted as down`,
    };
  }
  if (view.status === undefined) {
    return { present: false, detail: `region A's RDS API answers: no instance ${id}` };
  }
  const present = !GONE.has(view.status);
  return { present, detail: `region A's RDS API answers: ${id} is ${view.status}` };
}

export const checkPrimaryWriter: Step = {
  id: "check-primary-writer",
  title: "Check that region A's writer is gone, not in maintenance",
  async inspect(env) {
    const { ctx, options, clock } = env;
    const a = await askRegionA(env);
    const window = ctx.config.database.maintenanceWindow;
    const now = clock.now();
    const inWindow = inMaintenanceWindow(window, now);
    const reasons = [
      ...(a.present
        ? [`${a.detail}, a writer that is there (maintenance, reboot or failover), not a lost one`]
        : []),
      ...(inWindow
        ? [
            `it is ${utc(now)}, inside region A's maintenance window ${window} or the ${MAINTENANCE_OVERRUN_MINUTES} min after it, when a Multi-AZ engine upgrade takes both of A's nodes down for minutes`,
          ]
        : []),
    ];
    const seen = `${a.detail}; ${utc(now)}, ${inWindow ? "inside" : "outside"} A's maintenance window ${window}`;
    if (reasons.length === 0) return { done: true, checkOnly: true, detail: seen };
    if (options.force) return { done: true, checkOnly: true, detail: `${seen}; --force given` };
    const past = await pastNoReturn(env);
    if (past) {
      return { done: true, checkOnly: true, detail: `${seen}, but ${past}: going on` };
    }
    throw new Refusal(
      `${reasons.join("; and ")}. Promoting now leaves two writers when A's database is back. Wait and re-run; pass --force only if region A's database must be abandoned (its writes since the replica's last sync are lost)`,
    );
  },
  act: async () => "nothing to do",
};
