import { buildTestStacks, configWith, synthJson } from "../helpers";

describe("stacks", () => {
  it("builds primary, failover and link with the ids users type", () => {
    const { app } = buildTestStacks(configWith());
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual(["failover", "link", "primary"]);
  });

  it("builds only primary when failover is disabled", () => {
    const config = configWith((c) => ({ ...c, failover: { ...c.failover, enabled: false } }));
    const { app, failover, link } = buildTestStacks(config);
    expect(failover).toBeUndefined();
    expect(link).toBeUndefined();
    expect(app.node.children.map((c) => c.node.id)).toEqual(["primary"]);
  });

  it("tags every AWS provider with project, environment, stack, managed-by and repository", () => {
    // prod: the link stack's us-east-1 provider for Route53 metrics is tagged too.
    const { primary, failover, link } = buildTestStacks(configWith(undefined, "prod"));
    for (const [stack, name] of [
      [primary, "primary"],
      [failover!, "failover"],
      [link!, "link"],
    ] as const) {
      const providers = synthJson(stack).provider?.aws ?? [];
      expect(providers.length).toBeGreaterThan(0);
      for (const provider of providers) {
        expect(provider.default_tags).toEqual([
          {
            tags: {
              project: "hello-you",
              environment: "prod",
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
    const { primary, failover, link } = buildTestStacks(configWith());
    const defaultRegion = (json: ReturnType<typeof synthJson>) =>
      json.provider?.aws.find((p) => !p.alias)?.region;
    expect(defaultRegion(synthJson(primary))).toBe("us-east-1");
    expect(defaultRegion(synthJson(failover!))).toBe("us-west-2");
    // The link stack's own resources (peering request, endpoint note) are region B's.
    expect(defaultRegion(synthJson(link!))).toBe("us-west-2");
  });
});
