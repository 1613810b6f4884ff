import {
  type DecisionInput,
  type DetectorState,
  type Signals,
  MAX_GAP_MS,
  SCHEDULE_JITTER_MS,
  decide,
  decisionMinutes,
  detectionMinutes,
} from "../../../dr/auto/decide";

const T0 = Date.UTC(2026, 11, 2, 14, 0);
const at = (minute: number) => new Date(T0 + minute * 60_000);
const guards = { quorumMinutes: 3, holdMinutes: 2, rpoSeconds: 60 };

const writer = {
  lost: { lost: true, present: false, detail: "A's RDS API did not answer" },
  gone: { lost: true, present: false, detail: "A's RDS API answers: no instance" },
  present: { lost: false, present: true, detail: "A's RDS API answers: available" },
};
const up = { lost: false, detail: "answered 200" };
const down = { lost: true, detail: "no 2xx" };
const flowing = (lagSeconds = 5) => ({ lost: false, lagSeconds, detail: `lags ${lagSeconds} s` });
const stalled = { lost: true, detail: "no ReplicaLag datapoint" };

const healthy: Signals = { writer: writer.present, canary: up, replication: flowing() };
const regionLost: Signals = { writer: writer.lost, canary: down, replication: flowing() };

function input(minute: number, signals: Signals, state: DetectorState, extra = {}): DecisionInput {
  return {
    now: at(minute),
    signals,
    state,
    inMaintenance: false,
    armed: true,
    latchUsed: false,
    guards,
    ...extra,
  };
}

/** Runs one decision a minute from `from`, threading the state; returns every decision. */
function minutes(
  signalsAt: (minute: number) => Signals,
  count: number,
  { from = 0, state = {} as DetectorState, extra = {} as Partial<DecisionInput> } = {},
) {
  const out = [];
  let s = state;
  for (let m = from; m < from + count; m++) {
    const d = decide(input(m, signalsAt(m), s, extra));
    out.push(d);
    s = d.state;
  }
  return out;
}

const actions = (ds: { action: string }[]) => ds.map((d) => d.action);
const pages = (ds: { page?: { kind: string } }[]) =>
  ds.flatMap((d) => (d.page ? [d.page.kind] : []));

describe("decide: the quorum", () => {
  it("watches while region A is healthy, recording the lag as the recovery point", () => {
    const d = decide(input(0, healthy, {}));
    expect(d.action).toBe("watch");
    expect(d.page).toBeUndefined();
    expect(d.state.lagBeforeLoss).toEqual({ seconds: 5, at: at(0).toISOString() });
    expect(d.state.lostSince).toBeUndefined();
  });

  it.each([
    ["the canary alone", { writer: writer.present, canary: down, replication: flowing() }],
    ["the replication alone", { writer: writer.present, canary: up, replication: stalled }],
    ["A's RDS API alone", { writer: writer.lost, canary: up, replication: flowing() }],
  ])("one signal is never a quorum: %s", (_, signals) => {
    expect(actions(minutes(() => signals, 10))).toEqual(Array(10).fill("watch"));
  });

  it("a writer A's RDS API shows there vetoes the other two", () => {
    const signals = { writer: writer.present, canary: down, replication: stalled };
    const ds = minutes(() => signals, 10);
    expect(actions(ds)).toEqual(Array(10).fill("vetoed-writer"));
    expect(pages(ds)).toEqual([]);
    expect(ds[0].reason).toMatch(/2 of 3 signals.*shows its writer there/);
  });

  it.each([
    ["API silent + canary", regionLost],
    ["writer gone + replication", { writer: writer.gone, canary: up, replication: stalled }],
    [
      "canary + replication, API silent",
      { writer: writer.lost, canary: down, replication: stalled },
    ],
  ])("two lost signals start detection: %s", (_, signals) => {
    const [first] = minutes(() => signals, 1, {
      state: { lagBeforeLoss: { seconds: 5, at: "x" } },
    });
    expect(first.action).toBe("detecting");
    expect(first.state.lostSince).toBe(at(0).toISOString());
  });

  it("pages only once the quorum has held for quorumMinutes (detection at minute 3)", () => {
    const ds = minutes((m) => (m < 1 ? healthy : regionLost), 6);
    expect(actions(ds)).toEqual([
      "watch",
      "detecting",
      "detecting",
      "detecting",
      "holding",
      "holding",
    ]);
    expect(ds[4].detectedAt).toEqual(at(1));
    expect(pages(ds)).toEqual(["pending"]);
  });

  it("a blip shorter than the quorum window never pages, however often it comes back", () => {
    // Lost two minutes in three: never three minutes in a row.
    const ds = minutes((m) => (m % 3 === 2 ? healthy : regionLost), 30);
    expect(actions(ds)).not.toContain("holding");
    expect(actions(ds)).not.toContain("promote");
    expect(pages(ds)).toEqual([]);
  });

  it("a gap between runs longer than MAX_GAP_MS restarts the count", () => {
    const lost = { lostSince: at(0).toISOString(), lastEvaluatedAt: at(0).toISOString() };
    const state = { ...lost, lagBeforeLoss: { seconds: 5, at: at(-1).toISOString() } };
    const late = new Date(T0 + MAX_GAP_MS + 1000);
    const d = decide({ ...input(0, regionLost, state), now: late });
    expect(d.action).toBe("detecting");
    expect(d.state.lostSince).toBe(late.toISOString());
    const onTime = decide({ ...input(0, regionLost, state), now: new Date(T0 + MAX_GAP_MS) });
    expect(onTime.state.lostSince).toBe(at(0).toISOString());
  });

  it("nothing is detected inside A's maintenance window, and a pending page is taken back", () => {
    const ds = minutes(() => regionLost, 10, { extra: { inMaintenance: true } });
    expect(actions(ds)).toEqual(Array(10).fill("suppressed"));
    const pending = minutes(() => regionLost, 5, { from: 0 });
    const taken = decide(input(5, regionLost, pending[4].state, { inMaintenance: true }));
    expect(taken.page?.kind).toBe("stood-down");
    expect(taken.state.lostSince).toBeUndefined();
  });
});

describe("decide: the guards after detection", () => {
  const lostFrom1 = (m: number) => (m < 1 ? healthy : regionLost);

  it("holds holdMinutes after the page, then promotes once", () => {
    const ds = minutes(lostFrom1, 8);
    expect(actions(ds)).toEqual([
      "watch",
      "detecting",
      "detecting",
      "detecting",
      "holding",
      "holding",
      "promote",
      "latched",
    ]);
    // Even if the latch write was lost, one loss promotes once.
    expect(pages(ds)).toEqual(["pending", "promoting", "latched"]);
    expect(ds[6].reason).toMatch(/hold window of 2 min over, armed, latch unused, last lag 5 s/);
  });

  it("a disarm during the hold stops it, and pages once", () => {
    const ds = minutes(lostFrom1, 6);
    const after = minutes(() => regionLost, 5, {
      from: 6,
      state: ds[5].state,
      extra: { armed: false },
    });
    expect(actions(after)).toEqual(Array(5).fill("disarmed"));
    expect(pages(after)).toEqual(["disarmed"]);
  });

  it("re-armed after a disarm, it pages again and holds a whole window again", () => {
    const disarmed = minutes(lostFrom1, 6, { extra: { armed: false } });
    const rearmed = minutes(() => regionLost, 3, { from: 6, state: disarmed[5].state });
    expect(actions(rearmed)).toEqual(["holding", "holding", "promote"]);
    expect(pages(rearmed)[0]).toBe("pending");
  });

  it("a used latch never promotes, and pages once", () => {
    const ds = minutes(lostFrom1, 12, { extra: { latchUsed: true } });
    expect(actions(ds)).not.toContain("promote");
    expect(actions(ds).slice(4)).toEqual(Array(8).fill("latched"));
    expect(pages(ds)).toEqual(["latched"]);
  });

  it("vetoes on the recovery point: the last lag before the loss above rpoSeconds", () => {
    const lagging: Signals = { ...healthy, replication: flowing(61) };
    const ds = minutes((m) => (m < 1 ? lagging : regionLost), 10);
    expect(actions(ds).slice(4)).toEqual(Array(6).fill("vetoed-rpo"));
    expect(pages(ds)).toEqual(["vetoed-rpo"]);
    expect(ds[4].reason).toMatch(
      /last replica lag before the loss was 61 s.*above alarms.rpoSeconds 60/,
    );
  });

  it("a lag exactly at rpoSeconds passes", () => {
    const atLimit: Signals = { ...healthy, replication: flowing(60) };
    const ds = minutes((m) => (m < 1 ? atLimit : regionLost), 7);
    expect(actions(ds)[6]).toBe("promote");
  });

  it("judges the lag before the loss, not the lag that grows during it", () => {
    const growing = (m: number): Signals =>
      m < 1 ? healthy : { ...regionLost, replication: flowing(60 * m) };
    expect(actions(minutes(growing, 7))[6]).toBe("promote");
  });

  it("a lag reading older than LAG_MAX_AGE_MS at the loss does not vouch for the recovery point", () => {
    const old = { lagBeforeLoss: { seconds: 5, at: at(-16).toISOString() } };
    const ds = minutes(() => ({ ...regionLost, replication: stalled }), 6, { state: old });
    expect(actions(ds).slice(3)).toEqual(["vetoed-rpo", "vetoed-rpo", "vetoed-rpo"]);
    const recent = { lagBeforeLoss: { seconds: 5, at: at(-14).toISOString() } };
    const ok = minutes(() => ({ ...regionLost, replication: stalled }), 6, { state: recent });
    expect(actions(ok)[3]).toBe("holding");
  });

  it("vetoes when no lag was ever seen: what promotion loses is unknown", () => {
    const ds = minutes(() => ({ ...regionLost, replication: stalled }), 6);
    expect(actions(ds).slice(3)).toEqual(["vetoed-rpo", "vetoed-rpo", "vetoed-rpo"]);
    expect(ds[3].reason).toMatch(/no replica lag was seen before the loss/);
  });

  it("region A back during the hold: stands down, pages so, and starts over", () => {
    const ds = minutes((m) => (m >= 1 && m < 6 ? regionLost : healthy), 8);
    expect(actions(ds)).toEqual([
      "watch",
      "detecting",
      "detecting",
      "detecting",
      "holding",
      "holding",
      "watch",
      "watch",
    ]);
    expect(pages(ds)).toEqual(["pending", "stood-down"]);
    expect(ds[7].state.lostSince).toBeUndefined();
  });

  it("the latch outranks the disarm switch and the recovery point in what it says", () => {
    const d = minutes(lostFrom1, 5, { extra: { latchUsed: true, armed: false } })[4];
    expect(d.action).toBe("latched");
  });
});

describe("decide: the worst-case times the recovery model reads", () => {
  it("detection is one period, the quorum window and one run's signals; the decision adds the hold", () => {
    expect(detectionMinutes(3)).toBeCloseTo(4 + 19 / 60);
    expect(decisionMinutes({ quorumMinutes: 3, holdMinutes: 2 })).toBeCloseTo(6 + 19 / 60);
  });

  it("a run a few seconds early still counts its minute, for the quorum and the hold", () => {
    const early = (minute: number) => new Date(T0 + minute * 60_000 - SCHEDULE_JITTER_MS);
    let state: DetectorState = { lagBeforeLoss: { seconds: 5, at: at(0).toISOString() } };
    const seen: string[] = [];
    for (const m of [0, 1, 2, 3, 4, 5]) {
      const d = decide({ ...input(m, regionLost, state), now: m === 0 ? at(0) : early(m) });
      seen.push(d.action);
      state = d.state;
    }
    expect(seen).toEqual(["detecting", "detecting", "detecting", "holding", "holding", "promote"]);
  });
});
