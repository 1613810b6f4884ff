import {
  minStorageCeiling,
  parseDailyWindow,
  parseWeeklyWindow,
  postgresClassProblem,
  windowsOverlap,
} from "../../facts";

describe("RDS instance classes", () => {
  it.each([
    ["db.t4g.micro", "14"],
    ["db.t3.2xlarge", "17"],
    ["db.m8g.48xlarge", "17"],
    ["db.r6i.32xlarge", "15"],
    ["db.x2iezn.6xlarge", "16"],
  ])("offers %s for PostgreSQL %s", (instanceClass, major) => {
    expect(postgresClassProblem(instanceClass, major)).toBeUndefined();
  });

  it.each([
    ["t4g.micro", "16", /is not an RDS instance class such as db\.t4g\.micro/],
    ["db.t5.micro", "16", /RDS for PostgreSQL has no db\.t5 classes/],
    ["db.t4g.4xlarge", "16", /db\.t4g comes in micro, small, medium, large, xlarge, 2xlarge/],
    ["db.m5.32xlarge", "16", /db\.m5 comes in/],
    ["db.m4.large", "14", /previous-generation class RDS does not offer for PostgreSQL 14/],
    ["db.serverless", "16", /not an RDS instance class/],
  ])("refuses %s for PostgreSQL %s", (instanceClass, major, message) => {
    expect(postgresClassProblem(instanceClass, major)).toMatch(message);
  });
});

describe("RDS windows", () => {
  it("parses daily windows, across midnight too, and refuses malformed ones", () => {
    expect(parseDailyWindow("03:00-04:00")).toEqual({ start: 180, minutes: 60 });
    expect(parseDailyWindow("23:30-00:15")).toEqual({ start: 1410, minutes: 45 });
    for (const bad of ["3:00-4:00", "24:00-01:00", "03:60-04:00", "03:00", "03:00-04:00-05:00"]) {
      expect(parseDailyWindow(bad)).toBeUndefined();
    }
  });

  it("parses weekly windows, across the week's end too, and refuses malformed ones", () => {
    expect(parseWeeklyWindow("mon:00:00-mon:00:30")).toEqual({ start: 0, minutes: 30 });
    expect(parseWeeklyWindow("sun:23:30-mon:00:30")).toEqual({
      start: 6 * 1440 + 1410,
      minutes: 60,
    });
    for (const bad of ["Sun:05:00-Sun:06:00", "sun:05:00-xyz:06:00", "sun:25:00-sun:26:00"]) {
      expect(parseWeeklyWindow(bad)).toBeUndefined();
    }
  });

  it("finds overlaps on any day, and across midnight and the week's end", () => {
    const overlap = (backup: string, maintenance: string) =>
      windowsOverlap(parseDailyWindow(backup)!, parseWeeklyWindow(maintenance)!);
    expect(overlap("03:00-04:00", "sun:05:00-sun:06:00")).toBe(false);
    expect(overlap("05:59-06:30", "wed:05:00-wed:06:00")).toBe(true);
    expect(overlap("06:00-06:30", "wed:05:00-wed:06:00")).toBe(false);
    expect(overlap("23:45-00:30", "mon:00:00-mon:00:30")).toBe(true);
    expect(overlap("01:00-02:00", "sun:23:00-mon:01:30")).toBe(true);
    expect(overlap("02:00-03:00", "sun:23:00-mon:01:30")).toBe(false);
  });
});

describe("storage autoscaling ceiling", () => {
  it("is at least 10 % above the allocation, in whole GiB", () => {
    expect(minStorageCeiling(100)).toBe(110);
    expect(minStorageCeiling(20)).toBe(22);
    expect(minStorageCeiling(25)).toBe(28);
  });
});
