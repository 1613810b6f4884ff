import { DEFAULT_USAGE, usageWith } from "../../cost/usage";

describe("usage assumptions", () => {
  it("lays overrides over the defaults, one role or one figure at a time", () => {
    const usage = usageWith({ serving: { requestsPerMonth: 50_000_000 }, databaseGb: 100 });
    expect(usage.serving.requestsPerMonth).toBe(50_000_000);
    expect(usage.serving.albLcu).toBe(DEFAULT_USAGE.serving.albLcu);
    expect(usage.standby).toEqual(DEFAULT_USAGE.standby);
    expect(usage.databaseGb).toBe(100);
  });

  it("is the defaults without overrides", () => {
    expect(usageWith(undefined)).toEqual(DEFAULT_USAGE);
  });

  it("refuses unknown keys and bad figures, naming each", () => {
    expect(() =>
      usageWith(
        { serving: { requestPerMonth: 1, albLcu: -1 }, databaseGB: 3, standby: 2 },
        "my.json",
      ),
    ).toThrow(
      [
        "Invalid usage assumptions:",
        "  - my.json.serving.requestPerMonth is not an assumption; known: requestsPerMonth, albLcu, natGbPerGateway, logGbPerGroup, flowLogGb, endpointGbPerEndpoint, bucketGb",
        "  - my.json.serving.albLcu must be a number of zero or more, not -1",
        "  - my.json.databaseGB is not an assumption; known: serving, standby, cachedImageGb, databaseGb, replicationGbPerMonth, wafLogBytesPerRequest, containerInsightsMetrics, enhancedMonitoringGbAt60s, logMonthsKeptAtMost, functionInvocationsPerMonth, functionSecondsPerInvocation",
        "  - my.json.standby must be an object",
      ].join("\n"),
    );
  });
});
