import { configWarnings } from "../../stacks/warnings";
import { configWith } from "../helpers";

describe("synth warnings", () => {
  it("dev: no HTTPS, mutable tag; region B without DNS failover and without standby", () => {
    const dev = configWith();
    expect(configWarnings(dev, "primary")).toEqual([
      expect.stringMatching(/^no DNS zone .*plain HTTP/),
      expect.stringMatching(/^service.imageTag is "latest"/),
    ]);
    expect(configWarnings(dev, "failover")).toEqual([
      expect.stringMatching(/DNS failover is off/),
      expect.stringMatching(/^failover.standbyTasks is 0/),
    ]);
  });

  it("prod with an immutable tag raises nothing", () => {
    const prod = configWith(
      (c) => ({ ...c, service: { ...c.service, imageTag: "v1.4.2" } }),
      "prod",
    );
    expect(configWarnings(prod, "primary")).toEqual([]);
    expect(configWarnings(prod, "failover")).toEqual([]);
  });

  it("warns in both regions while the maintenance page is on", () => {
    const down = configWith(
      (c) => ({
        ...c,
        service: { ...c.service, imageTag: "v1.4.2" },
        maintenance: { enabled: true },
      }),
      "prod",
    );
    for (const stack of ["primary", "failover"] as const) {
      expect(configWarnings(down, stack)).toEqual([
        "maintenance.enabled is true: this region's ALB answers every request but /health with the maintenance page (503)",
      ]);
    }
  });

  it("warns while a major version upgrade is allowed, naming the target and the way back", () => {
    const upgrading = configWith(
      (c) => ({
        ...c,
        service: { ...c.service, imageTag: "v1.4.2" },
        database: { ...c.database, engineVersion: "17", allowMajorVersionUpgrade: true },
      }),
      "prod",
    );
    expect(configWarnings(upgrading, "primary")).toEqual([
      expect.stringMatching(
        /^database.allowMajorVersionUpgrade is true: .*apply at once.*engineVersion 17.*back to false.*docs\/upgrades.md/,
      ),
    ]);
  });

  it("warns when no standby task fills region B's image cache", () => {
    const cold = configWith(
      (c) => ({
        ...c,
        service: { ...c.service, imageTag: "v1.4.2" },
        failover: { ...c.failover, standbyTasks: 0 },
      }),
      "prod",
    );
    expect(configWarnings(cold, "failover")).toContainEqual(
      expect.stringMatching(
        /^failover.imageSource is regionalCache but failover.standbyTasks is 0: .*still pulls through to GHCR/,
      ),
    );
  });

  it("warns when there is no second region", () => {
    const alone = configWith(
      (c) => ({ ...c, failover: { ...c.failover, enabled: false } }),
      "prod",
    );
    expect(configWarnings(alone, "primary")).toContainEqual(
      expect.stringMatching(/^failover.enabled is false/),
    );
  });
});

describe("synth warnings from AWS facts", () => {
  it("warns loudly about a primary region with no task outside production", () => {
    const idle = configWith((c) => ({
      ...c,
      scaling: { minCapacity: 0, maxCapacity: 3, desiredCount: 0 },
    }));
    expect(configWarnings(idle, "primary")).toContainEqual(
      expect.stringMatching(
        /^scaling.minCapacity and scaling.desiredCount are 0: region A runs NO task/,
      ),
    );
    expect(configWarnings(configWith(), "primary").join("\n")).not.toMatch(/scaling\./);
  });

  it("warns when the autoscaler may scale the primary region in to no task", () => {
    const scaleToZero = configWith((c) => ({
      ...c,
      scaling: { minCapacity: 0, maxCapacity: 3, desiredCount: 1 },
    }));
    expect(configWarnings(scaleToZero, "primary")).toContainEqual(
      expect.stringMatching(
        /^scaling.minCapacity is 0: the autoscaler may scale region A in to no task/,
      ),
    );
  });

  it("warns about a VPC block outside the private ranges, once per stack", () => {
    const publicBlocks = configWith((c) => ({
      ...c,
      network: { ...c.network, vpcCidr: "100.64.0.0/16" },
      failover: { ...c.failover, network: { ...c.failover.network, vpcCidr: "8.8.0.0/16" } },
    }));
    const outside = (stack: "primary" | "failover") =>
      configWarnings(publicBlocks, stack).filter((w) => w.includes("outside the private ranges"));
    expect(outside("primary")).toEqual([
      expect.stringMatching(/^network.vpcCidr 100.64.0.0\/16 is outside the private ranges/),
    ]);
    expect(outside("failover")).toEqual([
      expect.stringMatching(/^failover.network.vpcCidr 8.8.0.0\/16 is outside the private ranges/),
    ]);
  });

  it("warns that an opt-in region must be enabled first", () => {
    const optIn = configWith((c) => ({
      ...c,
      failover: { ...c.failover, network: { ...c.failover.network, region: "eu-south-2" } },
    }));
    expect(configWarnings(optIn, "failover")).toContainEqual(
      expect.stringMatching(/^failover.network.region eu-south-2 is an opt-in region/),
    );
    expect(configWarnings(optIn, "primary").join("\n")).not.toMatch(/opt-in/);
  });

  it("automatic promotion without region B: says nothing promotes on its own", () => {
    const off = configWith((c) => ({ ...c, failover: { ...c.failover, enabled: false } }));
    expect(off.failover.automatic).toBe(true);
    expect(configWarnings(off, "primary")).toContainEqual(
      expect.stringMatching(/^failover.automatic is true but failover.enabled is false/),
    );
  });
});
