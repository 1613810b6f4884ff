import { MAINTENANCE_OVERRUN_MINUTES, inMaintenanceWindow } from "../../../dr/promote/steps-writer";
import { detailOf, harness, outcomes } from "../harness";

// 2024-05-05 is a Sunday; prod's maintenance window is sun:05:00-sun:06:00.
const SUNDAY = (h: number, m = 0) => Date.UTC(2024, 4, 5, h, m);

describe("dr promote: a blip is not a loss", () => {
  it.each(["available", "modifying", "rebooting", "upgrading", "backing-up", "maintenance"])(
    "refuses while region A's RDS API shows A's writer %s, changing nothing",
    async (status) => {
      const h = harness();
      h.regionA.view = { answered: true, status };
      const result = await h.run();
      expect(outcomes(result)).toEqual({
        "confirm-primary-down": "checked",
        "check-primary-writer": "refused",
      });
      expect(detailOf(result, "check-primary-writer")).toContain(
        `region A's RDS API answers: ${h.ctx.names.primaryDatabase} is ${status}, a writer that is there`,
      );
      expect(detailOf(result, "check-primary-writer")).toContain("--force");
      expect(h.aws.changes).toEqual([]);
      expect(h.regionA.asked).toEqual([h.ctx.names.primaryDatabase]);
    },
  );

  it.each([
    [
      "does not answer",
      { answered: false as const, reason: "no answer within 5 s" },
      "did not answer",
    ],
    ["has no such instance", { answered: true as const }, "no instance"],
    ["shows it deleting", { answered: true as const, status: "deleting" }, "is deleting"],
    [
      "shows it inaccessible",
      { answered: true as const, status: "inaccessible-encryption-credentials" },
      "is inaccessible-encryption-credentials",
    ],
  ])("goes on when region A's RDS API %s", async (_what, view, said) => {
    const h = harness();
    h.regionA.view = view;
    const result = await h.run();
    expect(result.ok).toBe(true);
    expect(detailOf(result, "check-primary-writer")).toContain(said);
  });

  it("promotes with --force while A's writer is visible, saying so", async () => {
    const h = harness();
    h.regionA.view = { answered: true, status: "available" };
    const result = await h.run({ force: true });
    expect(result.ok).toBe(true);
    expect(detailOf(result, "check-primary-writer")).toMatch(/--force given$/);
  });

  it("refuses inside region A's maintenance window and its overrun, not after", async () => {
    const h = harness();
    h.clock.ms = SUNDAY(5, 30);
    const inside = await h.run();
    expect(outcomes(inside)["check-primary-writer"]).toBe("refused");
    expect(detailOf(inside, "check-primary-writer")).toContain(
      "inside region A's maintenance window sun:05:00-sun:06:00",
    );
    expect(h.aws.changes).toEqual([]);
    h.clock.ms = SUNDAY(6, 30);
    expect(outcomes(await h.run())["check-primary-writer"]).toBe("refused");
    h.clock.ms = SUNDAY(7, 5);
    const after = await h.run();
    expect(after.ok).toBe(true);
    expect(detailOf(after, "check-primary-writer")).toContain("outside A's maintenance window");
  });

  it("does not stop a run that is past the point of no return", async () => {
    const h = harness();
    h.aws.failNext.set("putSecretValue", new Error("throttled"));
    await h.run();
    h.regionA.view = { answered: true, status: "available" };
    const result = await h.run();
    expect(result.ok).toBe(true);
    expect(detailOf(result, "check-primary-writer")).toContain(
      "region B's database is already the writer",
    );
  });

  it("says how long region A has been failing, and from where", async () => {
    const h = harness();
    h.aws.alarmStates.set(h.ctx.names.primaryUnreachableAlarm, {
      state: "ALARM",
      since: new Date(h.clock.ms - 12 * 60_000),
    });
    const result = await h.run({ dryRun: true });
    const detail = detailOf(result, "confirm-primary-down");
    expect(detail).toMatch(/^from this machine, https:\/\/api\.example\.com\/health/);
    expect(detail).toContain(
      `${h.ctx.names.primaryUnreachableAlarm} is ALARM since 2024-05-01T11:48Z (12 min): region B's standby tasks cannot reach A's writer through the peering`,
    );
  });
});

describe("inMaintenanceWindow", () => {
  it.each([
    ["sun:05:00-sun:06:00", SUNDAY(4, 59), false],
    ["sun:05:00-sun:06:00", SUNDAY(5, 0), true],
    ["sun:05:00-sun:06:00", SUNDAY(6, 0 + MAINTENANCE_OVERRUN_MINUTES - 1), true],
    ["sun:05:00-sun:06:00", SUNDAY(6, MAINTENANCE_OVERRUN_MINUTES), false],
    // Across the week's end: Sunday night into Monday.
    ["sun:23:30-mon:00:30", SUNDAY(23, 45), true],
    ["sun:23:30-mon:00:30", Date.UTC(2024, 4, 6, 1, 0), true],
    ["sun:23:30-mon:00:30", Date.UTC(2024, 4, 6, 2, 0), false],
  ])("%s at %s: %s", (window, ms, inside) => {
    expect(inMaintenanceWindow(window, new Date(ms))).toBe(inside);
  });

  it("refuses a window it cannot read", () => {
    expect(() => inMaintenanceWindow("sunday", new Date())).toThrow(
      'database.maintenanceWindow "sunday" cannot be read',
    );
  });
});

describe("dr promote: what it loses, and the new writer's standby", () => {
  it("prints the replica's last known lag before the irreversible step", async () => {
    const h = harness();
    h.aws.lag = undefined;
    await h.run();
    const loss = h.lines.findIndex((l) => l.includes("last ReplicaLag of"));
    const promote = h.lines.findIndex((l) => l.includes("Promote region B's replica"));
    expect(loss).toBeGreaterThan(-1);
    expect(loss).toBeLessThan(promote);
    expect(h.lines[loss]).toContain("3 s at 11:58Z");
  });

  it("says when the lag is unknown", async () => {
    const h = harness();
    h.aws.lastLag = undefined;
    const result = await h.run({ dryRun: true });
    expect(detailOf(result, "report-loss")).toContain("no ReplicaLag datapoint");
  });

  it("explains a backing-up wait once, then promotes", async () => {
    const h = harness();
    if (h.aws.db) h.aws.db.status = "backing-up";
    h.aws.backingUpPolls = 4;
    const planned = await h.run({ dryRun: true });
    expect(detailOf(planned, "promote-replica")).toContain(
      "RDS does not promote an instance while it is backing-up",
    );
    if (h.aws.db) h.aws.db.status = "backing-up";
    h.aws.backingUpPolls = 4;
    const result = await h.run();
    expect(result.ok).toBe(true);
    const notes = h.lines.filter((l) => l.includes("does not promote an instance while"));
    expect(notes).toHaveLength(2);
    expect(notes[1]).toContain("database.backupWindow 03:00-04:00 UTC");
    expect(notes[1]).toMatch(/usually takes 2-15 min/);
  });

  it("makes the promoted writer Multi-AZ at once in prod, and a re-run does not wait for it", async () => {
    const h = harness();
    const first = await h.run();
    expect(h.aws.changes).toContain(`makeMultiAz ${h.ctx.names.replica}`);
    expect(outcomes(first)["make-multi-az"]).toBe("done");
    // Still converting: the writer serves, and the promotion counts as done.
    if (h.aws.db)
      h.aws.db = { ...h.aws.db, status: "modifying", multiAz: false, pendingMultiAz: true };
    h.aws.multiAzPolls = 100;
    const again = await h.run();
    expect(outcomes(again)["promote-replica"]).toBe("already done");
    expect(outcomes(again)["make-multi-az"]).toBe("already done");
    expect(h.aws.changes.filter((c) => c.startsWith("makeMultiAz"))).toHaveLength(1);
  });

  it("leaves dev's single-AZ writer single-AZ", async () => {
    const h = harness("dev");
    const result = await h.run();
    expect(outcomes(result)["make-multi-az"]).toBe("checked");
    expect(h.aws.changes.filter((c) => c.startsWith("makeMultiAz"))).toEqual([]);
  });
});
