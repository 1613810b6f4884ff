import { ConfigError, loadConfig, loadSettings } from "../../config";
import { contextFor, environmentFrom, loadContext } from "../../dr/context";

/** Variables that `loadSettings` (the deploy's validation) refuses; dr does not read them. */
const BAD_SHELL = { TF_STATE_BUCKET: "Bad_Bucket!", IMAGE_TAG: "not a tag" };

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

  it("loads only the environment's file: bad backend variables in the shell do not stop it", () => {
    // The variables really are bad: the deploy's validation refuses them.
    expect(() => loadSettings({ ...BAD_SHELL, DEPLOY_ENV: "prod" })).toThrow(ConfigError);
    const saved = { ...process.env };
    Object.assign(process.env, BAD_SHELL);
    try {
      expect(loadContext("prod").names.replica).toBe("hello-you-prod-usw2-db-replica");
    } finally {
      for (const key of Object.keys(BAD_SHELL)) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });

  it("still refuses an unknown environment by name", () => {
    expect(() => loadContext("staging")).toThrow('DEPLOY_ENV: unknown environment "staging"');
  });
});
