import { formatStatus, statusChecks } from "../../dr/status";
import { harness } from "./harness";

async function status(h: ReturnType<typeof harness>, maxLagSeconds = 600) {
  const checks = await statusChecks(h.aws, h.ctx, { maxLagSeconds });
  const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
  return { checks, byName, ...formatStatus(h.ctx, checks) };
}

describe("dr status", () => {
  it("is ready with a healthy pilot light, and says so in one screen", async () => {
    const s = await status(harness());
    expect(s.ready).toBe(true);
    expect(s.checks.map((c) => [c.name, c.level])).toEqual([
      ["replica", "ok"],
      ["replica lag", "ok"],
      ["backups", "ok"],
      ["service", "ok"],
      ["target group", "ok"],
      ["fence", "ok"],
      ["promotion", "ok"],
      ["secrets", "ok"],
      ["image", "ok"],
      ["region A endpoint", "ok"],
      ["peering", "info"],
    ]);
    expect(s.byName.replica.detail).toContain(
      "hello-you-prod-usw2-db-replica available, replica of",
    );
    expect(s.byName.fence.detail).toBe('open (port 80 rule answers 200 "open")');
    expect(s.byName.peering.detail).toBe("pcx-1 active");
    expect(s.lines.at(-1)).toBe("READY: region B can take over (npm run dr -- promote --env prod)");
  });

  it("prod: not ready until the digest B's tasks run is in B's image cache", async () => {
    const h = harness();
    const repository = "hello-you-prod-usw2-ghcr/diogo-pessoa/hello-you-api/hello-you-api";
    const digest = `sha256:${"a".repeat(64)}`;
    expect((await status(h)).byName.image).toEqual({
      name: "image",
      level: "ok",
      detail: `${repository} holds ${digest}: a recovery's tasks pull it from us-west-2`,
    });
    h.aws.cachedImages.clear();
    const cold = await status(h);
    expect(cold.ready).toBe(false);
    expect(cold.byName.image).toMatchObject({
      level: "NOT READY",
      detail: expect.stringContaining(
        `${repository} does not hold ${digest} yet: no standby task has pulled it (is the GitHub token in ecr-pullthroughcache/hello-you-prod-usw2-ghcr?`,
      ),
    });
    // A task definition that bypasses the cache is not ready either.
    h.aws.taskImage = `ghcr.io/diogo-pessoa/hello-you-api/hello-you-api@${digest}`;
    expect((await status(h)).byName.image.detail).toContain("not through B's image cache");
  });

  it("says where the image comes from when B pulls from upstream, without asking ECR", async () => {
    const h = harness();
    const upstream = {
      ...h.ctx,
      config: {
        ...h.ctx.config,
        failover: { ...h.ctx.config.failover, imageSource: "upstream" as const },
      },
    };
    h.aws.cachedImages.clear();
    const checks = await statusChecks(h.aws, upstream, { maxLagSeconds: 600 });
    expect(checks.find((c) => c.name === "image")).toMatchObject({
      level: "info",
      detail: expect.stringContaining("failover.imageSource: upstream"),
    });
  });

  it("is not ready after a promote: no replica, fence fenced", async () => {
    const h = harness();
    await h.run();
    const s = await status(h);
    expect(s.ready).toBe(false);
    expect(s.byName.replica.detail).toContain("is no longer a replica");
    expect(s.byName.fence.level).toBe("NOT READY");
    expect(s.byName["replica lag"].level).toBe("info");
  });

  it("says whether fence, database and config agree on a promotion", async () => {
    const h = harness();
    expect((await status(h)).byName.promotion.detail).toBe(
      "database replica, fence open, failover.promoted false: not promoted",
    );
    await h.run();
    expect((await status(h)).byName.promotion).toMatchObject({
      level: "NOT READY",
      detail: expect.stringContaining(
        "database writer, fence fenced, failover.promoted false: region B was promoted and config/environments/prod.ts does not say so",
      ),
    });
    const recorded = harness();
    await recorded.run();
    const promoted = {
      ...recorded.ctx,
      config: {
        ...recorded.ctx.config,
        failover: { ...recorded.ctx.config.failover, promoted: true },
      },
    };
    const checks = await statusChecks(recorded.aws, promoted, { maxLagSeconds: 600 });
    expect(checks.find((c) => c.name === "promotion")).toMatchObject({
      level: "info",
      detail: "database writer, fence fenced, failover.promoted true: promoted",
    });
  });

  it("reports a fence set over a database not promoted as a promotion to finish", async () => {
    const h = harness();
    h.aws.failNext.set("promote", new Error("throttled"));
    await h.run();
    expect((await status(h)).byName.promotion.detail).toContain(
      "a promotion under way or interrupted; re-run npm run dr -- promote",
    );
  });

  it("is not ready when the lag exceeds --max-lag-seconds", async () => {
    const h = harness();
    h.aws.lag = 900;
    const s = await status(h, 600);
    expect(s.byName["replica lag"]).toMatchObject({
      level: "NOT READY",
      detail: "900 s (limit 600 s, --max-lag-seconds)",
    });
  });

  it("reports a missing datapoint as information, not as a failure", async () => {
    const h = harness();
    h.aws.lag = undefined;
    expect((await status(h)).byName["replica lag"].level).toBe("info");
  });

  it("is not ready without replicated backups, missing secrets or the endpoint parameter", async () => {
    const h = harness();
    h.aws.backups = [];
    h.aws.secretStore.delete(h.ctx.names.primaryConnectionSecret);
    h.aws.parameters_.clear();
    const s = await status(h);
    expect(s.byName.backups.level).toBe("NOT READY");
    expect(s.byName.secrets.detail).toBe(
      "missing: hello-you-prod-use1-database, the copy of region A's (primary stack)",
    );
    expect(s.byName["region A endpoint"].level).toBe("NOT READY");
    expect(s.lines.at(-1)).toBe(
      "NOT READY: 3 of 11 checks failed (backups, secrets, region A endpoint)",
    );
  });

  it("is not ready when fewer than failover.standbyTasks targets are healthy", async () => {
    const h = harness();
    h.aws.loadBalancing.targetHealth = async () => ({ healthy: 0, total: 1 });
    h.aws.service.describe = async () => ({
      status: "ACTIVE",
      desiredCount: 1,
      runningCount: 0,
      deployments: [],
    });
    const s = await status(h);
    expect(s.byName["target group"].level).toBe("NOT READY");
    expect(s.byName.service.level).toBe("NOT READY");
  });

  it("turns an API error into a failed check without failing the others", async () => {
    const h = harness();
    h.aws.loadBalancing.findLoadBalancer = async () => {
      throw new Error("AccessDenied: elasticloadbalancing:DescribeLoadBalancers");
    };
    h.aws.network.peerings = async () => {
      throw new Error("UnauthorizedOperation");
    };
    const s = await status(h);
    expect(s.byName.fence).toMatchObject({
      level: "NOT READY",
      detail: "could not check: AccessDenied: elasticloadbalancing:DescribeLoadBalancers",
    });
    expect(s.byName.peering.level).toBe("info");
    expect(s.byName.replica.level).toBe("ok");
  });
});
