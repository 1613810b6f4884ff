import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../../../config";
import type { AutoControls } from "../../../dr/auto/controls";
import { autoPromote, type RunRecord } from "../../../dr/auto/handler";
import { auditFile } from "../../../dr/audit";
import { contextFor } from "../../../dr/context";
import { inMaintenanceWindow } from "../../../dr/promote/steps-writer";
import { parseWeeklyWindow } from "../../../facts/rds";
import type { Output } from "../../../dr/runtime";
import { FakeClock, FakeRegionA, FakeRegionB } from "../fake-region";

/** Region B's parameters and alarm topic, in memory. */
class FakeControls implements AutoControls {
  readonly values = new Map<string, string>();
  readonly pages: { subject: string; message: string }[] = [];
  readonly writes: string[] = [];
  async read(name: string) {
    return this.values.get(name);
  }
  async write(name: string, value: string) {
    this.writes.push(name);
    this.values.set(name, value);
  }
  async page(subject: string, message: string) {
    this.pages.push({ subject, message });
  }
}

const silent: Output = { line: () => {}, warn: () => {}, error: () => {} };

function setup(environment = "dev") {
  const ctx = contextFor(loadConfig(environment));
  // A Wednesday afternoon: outside dev's maintenance window.
  const clock = new FakeClock(Date.UTC(2026, 11, 2, 14, 0));
  expect(inMaintenanceWindow(ctx.config.database.maintenanceWindow, clock.now())).toBe(false);
  const aws = new FakeRegionB(ctx, clock);
  const regionA = new FakeRegionA(ctx.regionA);
  const controls = new FakeControls();
  const n = ctx.names.autoPromotion;
  controls.values.set(n.switch, "armed");
  controls.values.set(n.latch, "unused");
  controls.values.set(n.state, "{}");
  const dir = mkdtempSync(path.join(tmpdir(), "auto-"));
  let aUp = true;
  const setRegionA = (up: boolean) => {
    aUp = up;
    regionA.view = up
      ? { answered: true, status: "available" }
      : { answered: false, reason: "no answer within 5 s" };
  };
  setRegionA(true);
  const deps = {
    ctx,
    aws,
    regionA,
    controls,
    clock,
    out: silent,
    projectDir: dir,
    pollMs: 5000,
    statusOf: async () => {
      if (aUp) return 200;
      throw new Error("connect ETIMEDOUT");
    },
  };
  /** One run a minute, `count` times; the records in order. */
  const minutes = async (count: number) => {
    const records: RunRecord[] = [];
    for (let i = 0; i < count; i++) {
      records.push(await autoPromote(deps));
      clock.ms += 60_000;
    }
    return records;
  };
  return { ctx, clock, aws, regionA, controls, deps, minutes, setRegionA, dir, n };
}

const actions = (records: RunRecord[]) => records.map((r) => r.action);

describe("autoPromote (the function's run, against the in-memory region B)", () => {
  it("with failover.automatic false, reads nothing and promotes nothing", async () => {
    const s = setup("prod");
    expect(s.ctx.config.failover.automatic).toBe(false);
    s.setRegionA(false);
    const records = await s.minutes(10);
    expect(actions(records)).toEqual(Array(10).fill("off"));
    expect(s.controls.writes).toEqual([]);
    expect(s.regionA.asked).toEqual([]);
    expect(s.aws.changes).toEqual([]);
  });

  it("region A lost: pages, holds, latches, then runs every promote step with no operator", async () => {
    const s = setup();
    const healthy = await s.minutes(2);
    expect(actions(healthy)).toEqual(["watch", "watch"]);
    s.setRegionA(false);
    const lost = await s.minutes(8);
    expect(actions(lost)).toEqual([
      "detecting",
      "detecting",
      "detecting",
      "holding",
      "holding",
      "promote",
      "already-promoted",
      "already-promoted",
    ]);
    const promotion = lost[5].promotion;
    expect(promotion?.ok).toBe(true);
    expect(promotion?.timeline.map((t) => t.step)).toEqual([
      "confirm-primary-down",
      "check-primary-writer",
      "set-fence",
      "report-loss",
      "promote-replica",
      "repoint-secret",
      "raise-capacity",
      "redeploy",
      "wait-serving",
      "make-multi-az",
    ]);
    expect(s.aws.db?.source).toBeUndefined();
    expect(s.aws.rules[0].fixedResponse?.body).toBe("fenced");
    expect(s.controls.values.get(s.n.latch)).toMatch(/^used by automatic run /);
    expect(s.controls.pages.map((p) => p.subject)).toEqual([
      expect.stringMatching(/^region A lost: automatic promotion at /),
      "region A lost: automatic promotion starts now",
      "automatic promotion finished: region B serves as the writer",
    ]);
    // The page before the hold says how to stop it.
    expect(s.controls.pages[0].message).toContain(`--name ${s.n.switch} --value disarmed`);
    // The latch is written before the first change.
    const latchWrite = s.controls.writes.indexOf(s.n.latch);
    expect(latchWrite).toBeGreaterThan(-1);
    // Same audit trail as npm run dr: the decisions and every step, in the file and the group.
    const file = readFileSync(auditFile(s.dir, "dev"), "utf8").trim().split("\n");
    const steps = file.map((l) => JSON.parse(l) as { step: string; command: string });
    expect(steps.every((r) => r.command === "promote (automatic)")).toBe(true);
    expect(steps.map((r) => r.step)).toEqual(
      expect.arrayContaining(["auto-decide", "set-fence", "promote-replica", "wait-serving"]),
    );
    expect(s.aws.logEvents).toHaveLength(file.length);
  });

  it("a blip shorter than the quorum window changes nothing and pages no one", async () => {
    const s = setup();
    for (let i = 0; i < 5; i++) {
      s.setRegionA(false);
      await s.minutes(2);
      s.setRegionA(true);
      await s.minutes(1);
    }
    expect(s.controls.pages).toEqual([]);
    expect(s.aws.changes).toEqual([]);
  });

  it("disarmed, or with the switch missing, it pages once and changes nothing", async () => {
    for (const value of ["disarmed", undefined]) {
      const s = setup();
      if (value) s.controls.values.set(s.n.switch, value);
      else s.controls.values.delete(s.n.switch);
      await s.minutes(1);
      s.setRegionA(false);
      const records = await s.minutes(10);
      expect(actions(records).slice(3)).toEqual(Array(7).fill("disarmed"));
      expect(s.controls.pages).toHaveLength(1);
      expect(s.aws.changes).toEqual([]);
      // It reads the switch; it never writes it.
      expect(s.controls.writes).not.toContain(s.n.switch);
    }
  });

  it("with the latch used, it pages once, says how to reset it, and changes nothing", async () => {
    const s = setup();
    s.controls.values.set(s.n.latch, "used by automatic run x");
    await s.minutes(1);
    s.setRegionA(false);
    const records = await s.minutes(10);
    expect(actions(records)).not.toContain("promote");
    expect(s.controls.pages).toHaveLength(1);
    expect(s.controls.pages[0].message).toContain(`--name ${s.n.latch} --value unused`);
    expect(s.aws.changes).toEqual([]);
  });

  it("with the last lag before the loss above alarms.rpoSeconds, it pages instead", async () => {
    const s = setup();
    s.aws.lag = s.ctx.config.alarms.rpoSeconds + 1;
    await s.minutes(1);
    s.setRegionA(false);
    const records = await s.minutes(10);
    expect(actions(records).slice(3)).toEqual(Array(7).fill("vetoed-rpo"));
    expect(s.aws.changes).toEqual([]);
  });

  it("while A's RDS API shows its writer, the canary and the replication cannot move it", async () => {
    const s = setup();
    s.setRegionA(false);
    s.regionA.view = { answered: true, status: "upgrading" };
    s.aws.lag = undefined;
    const records = await s.minutes(10);
    expect(actions(records)).toEqual(Array(10).fill("vetoed-writer"));
    expect(s.aws.changes).toEqual([]);
  });

  it("a run that stops half-way is not retried by the next: the latch holds", async () => {
    const s = setup();
    await s.minutes(1);
    s.setRegionA(false);
    s.aws.failNext.set("putSecretValue", new Error("reply lost"));
    const records = await s.minutes(9);
    expect(actions(records)).toEqual([
      "detecting",
      "detecting",
      "detecting",
      "holding",
      "holding",
      "promote",
      "already-promoted",
      "already-promoted",
      "already-promoted",
    ]);
    expect(records[5].promotion?.ok).toBe(false);
    expect(s.controls.pages.at(-1)?.subject).toBe(
      "automatic promotion stopped at repoint-secret: finish it by hand",
    );
    expect(s.controls.pages.at(-1)?.message).toContain("npm run dr -- promote --env dev");
  });

  it("inside region A's maintenance window, a lost region A is not detected at all", async () => {
    const s = setup();
    const window = parseWeeklyWindow(s.ctx.config.database.maintenanceWindow);
    // Five minutes into the window, in the week of Monday 2026-11-30.
    s.clock.ms = Date.parse("2026-11-30T00:00:00Z") + ((window?.start ?? 0) + 5) * 60_000;
    s.setRegionA(false);
    const records = await s.minutes(10);
    expect(actions(records)).toEqual(Array(10).fill("suppressed"));
    expect(s.controls.pages).toEqual([]);
    expect(s.aws.changes).toEqual([]);
  });

  it("a state parameter that holds no JSON starts afresh instead of failing", async () => {
    const s = setup();
    s.controls.values.set(s.n.state, "garbage");
    const [record] = await s.minutes(1);
    expect(record.action).toBe("watch");
    expect(JSON.parse(s.controls.values.get(s.n.state) ?? "")).toHaveProperty("lastEvaluatedAt");
  });
});
