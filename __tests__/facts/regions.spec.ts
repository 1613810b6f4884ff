import { REGIONS, regionProblem, resolveZones, usableZoneCount, zoneNames } from "../../facts";

describe("regions", () => {
  it("knows commercial regions and refuses made-up ones, with nearby codes", () => {
    expect(regionProblem("eu-central-2")).toBeUndefined();
    expect(regionProblem("eu-central-3")).toBe(
      '"eu-central-3" is not an AWS region; eu-central-* has eu-central-1, eu-central-2',
    );
    expect(regionProblem("mars-1")).toMatch(/^"mars-1" is not an AWS region; use a region code/);
  });

  it("says why a region of another partition is refused", () => {
    expect(regionProblem("us-gov-east-1")).toMatch(/is in AWS GovCloud \(US\)/);
    expect(regionProblem("cn-north-1")).toMatch(/is in AWS China/);
  });

  it("does not take inherited object keys for regions", () => {
    expect(regionProblem("constructor")).toMatch(/is not an AWS region/);
    expect(zoneNames("__proto__")).toEqual([]);
  });

  it("lists at least two zones for every region, letters in order", () => {
    for (const [region, facts] of Object.entries(REGIONS)) {
      expect(usableZoneCount(region)).toBeGreaterThanOrEqual(2);
      expect([...facts.zones].sort().join("")).toBe(facts.zones);
    }
    expect(zoneNames("ca-central-1")).toEqual(["ca-central-1a", "ca-central-1b", "ca-central-1d"]);
  });
});

describe("resolveZones", () => {
  it("takes the region's first zones when none are pinned", () => {
    expect(resolveZones("us-east-1", 3)).toEqual({
      zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      problems: [],
    });
    expect(resolveZones("ap-northeast-1", 3).zones).toEqual([
      "ap-northeast-1a",
      "ap-northeast-1c",
      "ap-northeast-1d",
    ]);
  });

  it("never wraps around: too few zones is a problem, not a repeated zone", () => {
    const { zones, problems } = resolveZones("us-west-1", 3, [
      "us-west-1a",
      "us-west-1b",
      "us-west-1c",
    ]);
    expect(zones).toEqual([]);
    expect(problems).toEqual([
      {
        field: "azCount",
        message:
          "is 3, but us-west-1 offers an account 2 availability zones; lower azCount to 2 or choose another region",
      },
    ]);
  });

  it("needs pinned zones where names differ per account, and accepts them", () => {
    expect(resolveZones("us-west-1", 2).problems[0]).toMatchObject({ field: "availabilityZones" });
    expect(resolveZones("us-west-1", 2, ["us-west-1b", "us-west-1c"])).toEqual({
      zones: ["us-west-1b", "us-west-1c"],
      problems: [],
    });
  });

  it("refuses pinned zones that are missing, foreign, repeated or miscounted", () => {
    const messages = (pinned: string[], count = 2) =>
      resolveZones("eu-west-1", count, pinned).problems.map((p) => p.message);
    expect(messages(["eu-west-1a", "eu-west-1d"])).toEqual([
      "eu-west-1d does not exist in eu-west-1; its zones are eu-west-1a, eu-west-1b, eu-west-1c",
    ]);
    expect(messages(["eu-west-1a", "eu-west-2a"])).toEqual([
      "eu-west-2a is not a zone of eu-west-1; use eu-west-1a, eu-west-1b, eu-west-1c",
    ]);
    expect(messages(["eu-west-1a", "eu-west-1a"])).toEqual([
      "lists a zone twice (eu-west-1a, eu-west-1a); each subnet tier needs distinct zones",
    ]);
    expect(messages(["eu-west-1a"])).toEqual([
      "lists 1 zones but azCount is 2; list exactly one per AZ",
    ]);
  });

  it("reports an unknown region as the region's problem", () => {
    expect(resolveZones("xx-nowhere-1", 2).problems).toEqual([
      { field: "region", message: expect.stringMatching(/is not an AWS region/) },
    ]);
  });
});
