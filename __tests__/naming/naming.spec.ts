import { NAME_LIMITS } from "../../facts/names";
import { Naming, fit, regionShortCode } from "../../naming/naming";
import { MAX_ENVIRONMENT_LENGTH, MAX_PROJECT_LENGTH } from "../../config/validate";

describe("naming", () => {
  it.each([
    ["us-east-1", "use1"],
    ["us-west-2", "usw2"],
    ["eu-central-1", "euc1"],
    ["ap-southeast-2", "apse2"],
    ["ap-northeast-1", "apne1"],
    ["us-gov-west-1", "usgw1"],
  ])("%s is abbreviated %s", (region, code) => {
    expect(regionShortCode(region)).toBe(code);
  });

  it("prefixes names with project, environment and region", () => {
    const naming = new Naming("hello-you", "dev", "us-east-1");
    expect(naming.name("alb", "alb")).toBe("hello-you-dev-use1-alb");
    expect(naming.kmsAlias("main")).toBe("alias/hello-you-dev-use1-main");
    expect(naming.bucketPrefix("alb-logs")).toBe("hello-you-dev-use1-alb-logs-");
  });

  it("keeps ALB and target-group names within 32 characters for the longest allowed inputs", () => {
    const naming = new Naming(
      "a".repeat(MAX_PROJECT_LENGTH),
      "b".repeat(MAX_ENVIRONMENT_LENGTH),
      "ap-southeast-2",
    );
    expect(naming.name("alb", "alb").length).toBeLessThanOrEqual(32);
    expect(naming.name("targetGroup", "tg").length).toBeLessThanOrEqual(32);
    expect(naming.name("alb", "alb")).toBe(naming.full("alb"));
  });

  it("cuts an over-long name deterministically, ending in a hash of the whole", () => {
    const naming = new Naming("hello-you", "dev", "us-east-1");
    const long = naming.name("targetGroup", "a-very-long-suffix-for-a-target-group");
    expect(long).toHaveLength(NAME_LIMITS.targetGroup);
    expect(long).toMatch(/^hello-you-dev-use1-a-very-[0-9a-f]{6}$/);
    expect(naming.name("targetGroup", "a-very-long-suffix-for-a-target-group")).toBe(long);
    expect(naming.name("targetGroup", "a-very-long-suffix-for-a-target-grouq")).not.toBe(long);
  });

  it("bucket prefixes leave room for Terraform's unique suffix", () => {
    const prefix = new Naming("a".repeat(12), "b".repeat(6), "us-east-1").bucketPrefix(
      "alb-access-logs",
    );
    expect(prefix.length).toBeLessThanOrEqual(NAME_LIMITS.bucketPrefix);
    expect(prefix.endsWith("-")).toBe(true);
  });

  it("never leaves a trailing hyphen before the hash", () => {
    expect(fit("abc-------------------------------------def", 20)).toMatch(/^abc-[0-9a-f]{6}$/);
  });
});
