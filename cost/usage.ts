/**
 * What the synthesized JSON cannot say: how much traffic, data and logging a stack sees in a
 * month. Each figure is an assumption, stated here once and overridable with
 * `npm run cost -- <env> --usage <file.json>` (a partial object of the same shape).
 *
 * `serving` is the region that takes client traffic (region A; region B once promoted);
 * `standby` is the pilot light and the `link` stack. The standby's requests are not zero: Route53
 * probes region B's ALB for the fence (`/.well-known/hello-you/fence`) every 10 s from about 15
 * checker locations, about 4 million requests a month through its WAF.
 */
export interface RoleUsage {
  /** Client (or health-check) requests reaching the ALB, and so the WAF, per month. */
  readonly requestsPerMonth: number;
  /** Average ALB load balancer capacity units in use. */
  readonly albLcu: number;
  /** GB through each NAT gateway per month (image pulls, AWS APIs without an endpoint). */
  readonly natGbPerGateway: number;
  /** GB ingested per month by each log group not sized below (service, database, audit...). */
  readonly logGbPerGroup: number;
  /** GB of VPC flow logs per month per VPC. */
  readonly flowLogGb: number;
  /** GB processed by each interface endpoint per month. */
  readonly endpointGbPerEndpoint: number;
  /** GB kept in each S3 bucket (ALB access logs, held for their lifecycle). */
  readonly bucketGb: number;
}

export interface Usage {
  readonly serving: RoleUsage;
  readonly standby: RoleUsage;
  /**
   * GB of images a pull-through cache keeps: every release its standby task pulled (about 0.2 GB
   * each, kept until removed; ten releases).
   */
  readonly cachedImageGb: number;
  /** Database size when the JSON does not give it (a replica inherits its source's storage). */
  readonly databaseGb: number;
  /** GB of write-ahead log shipped from region A's writer to region B's replica per month. */
  readonly replicationGbPerMonth: number;
  /** Bytes a WAF log record takes, per inspected request. */
  readonly wafLogBytesPerRequest: number;
  /** Custom metrics Container Insights publishes per cluster with one service. */
  readonly containerInsightsMetrics: number;
  /** GB of Enhanced Monitoring records per database instance per month at a 60 s interval. */
  readonly enhancedMonitoringGbAt60s: number;
  /** Months of logs kept, at most: archived storage is ingest x min(retention, this). */
  readonly logMonthsKeptAtMost: number;
  /** Invocations of a scheduled function per month (the fence enforcer runs every minute). */
  readonly functionInvocationsPerMonth: number;
  /** Seconds one invocation bills (an HTTPS read of the fence, at most one ECS call). */
  readonly functionSecondsPerInvocation: number;
}

export const DEFAULT_USAGE: Usage = {
  serving: {
    requestsPerMonth: 5_000_000,
    albLcu: 1,
    natGbPerGateway: 10,
    logGbPerGroup: 1,
    flowLogGb: 5,
    endpointGbPerEndpoint: 2,
    bucketGb: 5,
  },
  standby: {
    requestsPerMonth: 4_000_000,
    albLcu: 0.1,
    natGbPerGateway: 2,
    logGbPerGroup: 0.1,
    flowLogGb: 1,
    endpointGbPerEndpoint: 0.5,
    bucketGb: 2,
  },
  cachedImageGb: 2,
  databaseGb: 20,
  replicationGbPerMonth: 10,
  wafLogBytesPerRequest: 1500,
  containerInsightsMetrics: 20,
  enhancedMonitoringGbAt60s: 0.2,
  logMonthsKeptAtMost: 12,
  functionInvocationsPerMonth: 43_800,
  functionSecondsPerInvocation: 1,
};

type Overrides = { [K in keyof Usage]?: Usage[K] extends object ? Partial<Usage[K]> : Usage[K] };

/**
 * `DEFAULT_USAGE` with `overrides` laid over it. Unknown keys and anything but a finite number
 * of zero or more are refused, naming the key: a misspelt assumption must not be ignored.
 */
export function usageWith(overrides: unknown, where = "usage"): Usage {
  const problems: string[] = [];
  const merge = (base: object, patch: unknown, path: string): object => {
    if (patch === undefined) return base;
    if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
      problems.push(`${path} must be an object`);
      return base;
    }
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      const at = `${path}.${key}`;
      const current = (base as Record<string, unknown>)[key];
      if (current === undefined) {
        problems.push(`${at} is not an assumption; known: ${Object.keys(base).join(", ")}`);
      } else if (typeof current === "object") {
        out[key] = merge(current as object, value, at);
      } else if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        problems.push(`${at} must be a number of zero or more, not ${JSON.stringify(value)}`);
      } else out[key] = value;
    }
    return out;
  };
  const usage = merge(DEFAULT_USAGE, overrides as Overrides, where) as Usage;
  if (problems.length)
    throw new Error(`Invalid usage assumptions:\n  - ${problems.join("\n  - ")}`);
  return usage;
}
