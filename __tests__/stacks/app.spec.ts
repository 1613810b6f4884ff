import { buildTestStacks, configWith, synthJson } from "../helpers";

describe("stacks", () => {
  it("builds primary and failover with the ids users type", () => {
    const { app } = buildTestStacks(configWith());
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual(["failover", "primary"]);
  });

  it("builds only primary when failover is disabled", () => {
    const config = configWith((c) => ({ ...c, failover: { ...c.failover, enabled: false } }));
    const { app, failover } = buildTestStacks(config);
    expect(failover).toBeUndefined();
    expect(app.node.children.map((c) => c.node.id)).toEqual(["primary"]);
  });

  it("tags every AWS provider with project, environment, stack, managed-by and repository", () => {
    const { primary, failover } = buildTestStacks(configWith());
    for (const [stack, name] of [
      [primary, "primary"],
      [failover!, "failover"],
    ] as const) {
      const providers = synthJson(stack).provider?.aws ?? [];
      expect(providers.length).toBeGreaterThan(0);
      for (const provider of providers) {
        expect(provider.default_tags).toEqual([
          {
            tags: {
              project: "hello-you",
              environment: "dev",
              stack: name,
              "managed-by": "cdktf",
              repository: "hello-you-infra",
            },
          },
        ]);
      }
    }
  });

  it("places each stack's default provider in its region", () => {
    const { primary, failover } = buildTestStacks(configWith());
    const defaultRegion = (json: ReturnType<typeof synthJson>) =>
      json.provider?.aws.find((p) => !p.alias)?.region;
    expect(defaultRegion(synthJson(primary))).toBe("us-east-1");
    expect(defaultRegion(synthJson(failover!))).toBe("us-west-2");
  });
});
