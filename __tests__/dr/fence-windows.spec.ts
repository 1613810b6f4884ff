import { remainingWindows } from "../../dr/fence-windows";
import { configWith } from "../helpers";

describe("windows that remain", () => {
  const prod = remainingWindows(configWith(undefined, "prod"));

  it("names each window, with the sequence that opens it and what closes it", () => {
    expect(prod.map((w) => w.id)).toEqual([
      "a-still-running",
      "b-lost-before-a-saw-it",
      "a-returns",
      "manual-apply",
    ]);
    for (const w of prod) {
      expect(w.sequence.length).toBeGreaterThanOrEqual(3);
      expect(w.closedBy).not.toBe("");
    }
  });

  it("takes its numbers from the settings", () => {
    const slow = remainingWindows(
      configWith(
        (c) => ({
          ...c,
          service: { ...c.service, deregistrationDelaySeconds: 120 },
          failover: { ...c.failover, healthCheck: { intervalSeconds: 30, failureThreshold: 5 } },
        }),
        "prod",
      ),
    );
    expect(slow[0].length).toContain("plus 120 s");
    expect(slow[0].sequence.join(" ")).toContain("after 5 probes 30 s apart (about 180 s");
  });

  it("says the one window the enforcer cannot close: B lost before A read the fence", () => {
    const [, lost] = prod;
    expect(lost.sequence.join(" ")).toContain('only a 200 "fenced" stops A');
    expect(lost.closedBy).toContain("failover.promoted: true");
  });

  it("without a DNS zone, says only the enforcer stops A", () => {
    const dev = remainingWindows(configWith());
    expect(dev[0].sequence.join(" ")).toContain("only the enforcer stops A");
  });
});
