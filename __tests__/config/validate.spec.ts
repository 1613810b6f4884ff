import { ConfigError, ENVIRONMENTS, loadConfig, validateConfig, withOverrides } from "../../config";
import type { EnvironmentInput } from "../../config/schema";

/** The dev environment with `patch` applied; returns the problems validation reports. */
function problemsOf(patch: (c: EnvironmentInput) => void): string[] {
  const input = structuredClone(ENVIRONMENTS.dev) as EnvironmentInput;
  patch(input);
  try {
    validateConfig(input, "dev");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  return [];
}

describe("environment config", () => {
  it.each(Object.keys(ENVIRONMENTS))("%s validates with its defaults filled in", (name) => {
    const config = loadConfig(name);
    expect(config.environment).toBe(name);
    expect(config.scaling.cpuTargetPercent).toBe(70);
    expect(config.scaling.memoryTargetPercent).toBe(80);
  });

  it("prod is built for production: 3 AZs, NAT per AZ, Multi-AZ, deletion protection, DNS", () => {
    const prod = loadConfig("prod");
    expect(prod.network.azCount).toBe(3);
    expect(prod.network.natGateways).toBe("perAz");
    expect(prod.database.multiAz).toBe(true);
    expect(prod.database.deletionProtection).toBe(true);
    expect(prod.database.backupRetentionDays).toBeGreaterThanOrEqual(7);
    expect(prod.dns).not.toBeNull();
    expect(prod.allowHttpOnly).toBe(false);
  });

  it("dev is cheap: one NAT gateway and no DNS zone", () => {
    const dev = loadConfig("dev");
    expect(dev.network.natGateways).toBe("single");
    expect(dev.dns).toBeNull();
  });

  it("rejects an unknown environment and names the valid ones", () => {
    expect(() => loadConfig("staging")).toThrow(
      /DEPLOY_ENV: unknown environment "staging"; use one of dev, prod/,
    );
  });

  it("IMAGE_TAG overrides the image tag and is validated", () => {
    expect(loadConfig("dev", { IMAGE_TAG: "sha-1234abc" }).service.imageTag).toBe("sha-1234abc");
    expect(() => loadConfig("dev", { IMAGE_TAG: "not a tag" })).toThrow(
      /IMAGE_TAG: "not a tag" must be an image tag: 1 to 128 letters, digits, _, . and -/,
    );
    expect(withOverrides(ENVIRONMENTS.dev, { IMAGE_TAG: " " })).toBe(ENVIRONMENTS.dev);
  });
});

describe("validation rules", () => {
  const cases: [string, (c: EnvironmentInput) => void, RegExp][] = [
    [
      "invalid CIDR",
      (c) => (c.network.vpcCidr = "10.300.0.0/16"),
      /^network.vpcCidr: must be an IPv4 CIDR block/,
    ],
    [
      "CIDR too small",
      (c) => (c.network.vpcCidr = "10.30.0.0/24"),
      /^network.vpcCidr: must be a \/16 to \/22 block/,
    ],
    [
      "overlapping CIDRs",
      (c) => (c.failover.network.vpcCidr = "10.30.128.0/17"),
      /^failover.network.vpcCidr: 10.30.128.0\/17 overlaps network.vpcCidr 10.30.0.0\/16/,
    ],
    [
      "equal regions",
      (c) => (c.failover.network.region = "us-east-1"),
      /^failover.network.region: equals network.region \(us-east-1\)/,
    ],
    [
      "bad region",
      (c) => (c.network.region = "mars-1"),
      /^network.region: "mars-1" is not an AWS region; use a region code such as us-east-1/,
    ],
    [
      "min > max",
      (c) => (c.scaling = { minCapacity: 5, maxCapacity: 2, desiredCount: 2 }),
      /^scaling.minCapacity: 5 is above scaling.maxCapacity 2/,
    ],
    [
      "desired outside bounds",
      (c) => (c.scaling = { minCapacity: 1, maxCapacity: 3, desiredCount: 4 }),
      /^scaling.desiredCount: 4 is outside scaling.minCapacity..maxCapacity \(1..3\)/,
    ],
    [
      "standby above max",
      (c) => (c.failover.standbyTasks = 9),
      /^failover.standbyTasks: 9 is above scaling.maxCapacity 3/,
    ],
    [
      "invalid Fargate cpu",
      (c) => (c.service.cpu = 300),
      /^service.cpu: 300 is not a Fargate CPU size/,
    ],
    [
      "invalid Fargate pair",
      (c) => Object.assign(c.service, { cpu: 256, memory: 4096 }),
      /^service.memory: 4096 MiB is not valid with service.cpu 256; use one of 512, 1024, 2048/,
    ],
    [
      "no capacity weight",
      (c) => (c.service.capacity = { fargateWeight: 0, fargateSpotWeight: 0 }),
      /^service.capacity: fargateWeight and fargateSpotWeight are both 0/,
    ],
    [
      "long project",
      (c) => (c.project = "hello-you-platform"),
      /^project: is 18 characters; at most 12/,
    ],
    [
      "long environment",
      (c) => (c.environment = "staging1"),
      /^environment: is 8 characters; at most 6/,
    ],
    [
      "bad project chars",
      (c) => (c.project = "Hello_You"),
      /^project: use lower-case letters, digits and hyphens/,
    ],
    [
      "an SSH source for the bastion, a setting that is gone",
      (c) =>
        (c.bastion = {
          enabled: true,
          // @ts-expect-error the setting no longer exists; older files may still carry it
          sshAllowedCidrs: ["203.0.113.10/32"],
        }),
      /^bastion.sshAllowedCidrs: is gone: the bastion has no public address and no key pair, so the SSH rule admitted nobody; connect with Session Manager .*; remove this key$/,
    ],
    [
      "malformed email",
      (c) => (c.alarms = { emails: ["oncall-at-example.com"] }),
      /^alarms.emails.0: must be an e-mail address/,
    ],
    [
      "unknown key",
      (c) => Object.assign(c.service, { replicas: 3 }),
      /^service: unknown key "replicas"; remove or correct it/,
    ],
    [
      "unknown top-level key",
      (c) => Object.assign(c, { regions: [] }),
      /^\(root\): unknown key "regions"/,
    ],
    [
      "storage ceiling below size",
      (c) => (c.database = { allocatedStorage: 100, maxAllocatedStorage: 50 }),
      /^database.maxAllocatedStorage: 50 GiB is below database.allocatedStorage 100 GiB/,
    ],
    [
      "secret in plain env",
      (c) => (c.service.environment = { API_TOKEN: "x" }),
      /^service.environment.API_TOKEN: looks like a secret/,
    ],
    [
      "injected variable in env",
      (c) => (c.service.environment = { DATABASE_URL: "postgres://" }),
      /^service.environment.DATABASE_URL: is injected from Secrets Manager/,
    ],
    [
      "HTTP only without consent",
      (c) => (c.allowHttpOnly = false),
      /^dns: is not set, so the API would be served over plain HTTP/,
    ],
    [
      "bad retention",
      (c) => (c.network.flowLogRetentionDays = 10),
      /^network.flowLogRetentionDays: must be one of the CloudWatch Logs retention values/,
    ],
    [
      "bad health interval",
      (c) => (c.failover.healthCheck = { intervalSeconds: 20 as 10 }),
      /^failover.healthCheck.intervalSeconds:/,
    ],
    [
      "reserved db user",
      (c) => (c.database = { username: "postgres" }),
      /^database.username: is reserved/,
    ],
    [
      "bad health path",
      (c) => (c.service.healthCheckPath = "health"),
      /^service.healthCheckPath: must start with \//,
    ],
  ];

  it.each(cases)("%s", (_name, patch, message) => {
    const problems = problemsOf(patch);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it("reports every problem at once, structural and cross-field together", () => {
    const problems = problemsOf((c) => {
      c.network.vpcCidr = "not-a-cidr";
      c.scaling = { minCapacity: 4, maxCapacity: 2, desiredCount: 3 };
      c.service.memory = 999;
      c.alarms = { emails: ["nope"] };
    });
    expect(problems).toHaveLength(4);
    expect(problems.join("\n")).toMatch(/network.vpcCidr/);
    expect(problems.join("\n")).toMatch(/scaling.minCapacity/);
    expect(problems.join("\n")).toMatch(/service.memory/);
    expect(problems.join("\n")).toMatch(/alarms.emails.0/);
  });

  it("the error message lists the problems under the environment's name", () => {
    expect(() => validateConfig({ ...ENVIRONMENTS.dev, project: "x_y" }, "dev")).toThrow(
      /^Invalid configuration for environment "dev" \(1 problem\):\n {2}- project: use lower-case/,
    );
  });

  it("allows a failover region that overlaps when failover is disabled", () => {
    expect(
      problemsOf((c) => {
        c.failover.enabled = false;
        c.failover.network.vpcCidr = c.network.vpcCidr;
        c.failover.network.region = c.network.region;
      }),
    ).toEqual([]);
  });

  it("accepts ARM64 on FARGATE_SPOT (Graviton on Spot since September 2024)", () => {
    expect(
      problemsOf((c) => {
        c.service.architecture = "ARM64";
        c.service.capacity = { fargateWeight: 1, fargateSpotWeight: 3 };
      }),
    ).toEqual([]);
  });

  it("accepts ARM64 without spot, and a bastion", () => {
    expect(
      problemsOf((c) => {
        c.service.architecture = "ARM64";
        c.service.capacity = { fargateSpotWeight: 0 };
        c.bastion = { enabled: true };
      }),
    ).toEqual([]);
  });
});

describe("settings with one meaning and one place", () => {
  it("refuses failover.replicaLagSeconds, saying where it moved", () => {
    const problems = problemsOf((c) => {
      (c.failover as Record<string, unknown>).replicaLagSeconds = 120;
    });
    expect(problems).toEqual([
      "failover.replicaLagSeconds: moved to alarms.replicaLagSeconds (the in-region replica) or alarms.rpoSeconds (region B's replica, watched from the writer's replication slot); set it there and remove this key",
    ]);
  });

  it("still calls other unknown keys unknown", () => {
    const problems = problemsOf((c) => {
      (c.failover as Record<string, unknown>).replicaLag = 120;
    });
    expect(problems).toEqual(['failover: unknown key "replicaLag"; remove or correct it']);
  });
});
