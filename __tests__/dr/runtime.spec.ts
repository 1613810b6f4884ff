import { clockFrom, NOW_VARIABLE, systemClock } from "../../dr/runtime";

describe("the dr clock", () => {
  it("is the system clock unless the rehearsal starts it elsewhere", () => {
    expect(clockFrom({})).toBe(systemClock);
    expect(clockFrom({ [NOW_VARIABLE]: " " })).toBe(systemClock);
  });

  it("starts at HELLO_YOU_DR_NOW and runs on from there", () => {
    const clock = clockFrom({ [NOW_VARIABLE]: "2026-12-06T03:10:00Z" });
    const now = clock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(Date.parse("2026-12-06T03:10:00Z"));
    expect(now).toBeLessThan(Date.parse("2026-12-06T03:11:00Z"));
  });

  it("refuses a value that is no time, naming the variable", () => {
    expect(() => clockFrom({ [NOW_VARIABLE]: "sunday" })).toThrow(
      'HELLO_YOU_DR_NOW: "sunday" is not a time; give an ISO time such as 2026-12-06T03:10:00Z, or unset it',
    );
  });
});
