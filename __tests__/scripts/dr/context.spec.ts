import { loadConfig } from "../../../config";
import { contextFor, environmentFrom } from "../../../scripts/dr/context";

describe("dr context", () => {
  it("takes --env, else DEPLOY_ENV, else dev", () => {
    expect(environmentFrom("prod", { DEPLOY_ENV: "dev" })).toBe("prod");
    expect(environmentFrom(undefined, { DEPLOY_ENV: "prod" })).toBe("prod");
    expect(environmentFrom(undefined, {})).toBe("dev");
  });

  it("knows both regions and region B's names", () => {
    const ctx = contextFor(loadConfig("dev"));
    expect(ctx).toMatchObject({ regionA: "us-east-1", regionB: "us-west-2" });
    expect(ctx.names.replica).toBe("hello-you-dev-usw2-db-replica");
    expect(ctx.vpcName).toBe("hello-you-dev-usw2-vpc");
  });

  it("refuses an environment without region B, naming the setting and the fix", () => {
    const config = loadConfig("dev");
    expect(() =>
      contextFor({ ...config, failover: { ...config.failover, enabled: false } }),
    ).toThrow(
      'failover.enabled is false for environment "dev": there is no region B to recover into. Set failover.enabled: true in config/environments/dev.ts',
    );
  });
});
