/**
 * The three signals the automatic promotion counts (decide.ts), each gathered from region B by a
 * path of its own, so that one broken path is one vote, never a quorum:
 * - writer: region A's RDS API (DescribeDBInstances, one attempt, bounded), classified exactly as
 *   `dr promote`'s writer check does (steps-writer.ts);
 * - canary: region A's `/health` through A's ALB, spoken to as the service, as `dr promote`'s
 *   first step probes it (probe.ts);
 * - replication: region B's replica lag in region B's CloudWatch.
 * A signal that cannot be read is not a vote for "lost": only evidence moves region B.
 */
import type { RegionB } from "../aws/aws";
import type { RegionA } from "../aws/region-a";
import type { DrContext } from "../context";
import { type ProbeResult, type ProbeTarget, regionAProbe } from "../promote/probe";
import { askRegionA } from "../promote/steps-writer";
import { REPLICATION_LOST_LAG_SECONDS, type Signals } from "./decide";

export interface SignalSources {
  readonly ctx: DrContext;
  readonly aws: RegionB;
  readonly regionA: RegionA;
  readonly probe: (target: ProbeTarget) => Promise<ProbeResult>;
}

async function canary({ ctx, aws, probe }: SignalSources): Promise<Signals["canary"]> {
  const parameter = ctx.names.primaryEndpointParameter;
  const dnsName = await aws.parameters.read(parameter);
  if (!dnsName) {
    return {
      lost: false,
      detail: `not asked: SSM parameter ${parameter} (written by the link stack) is missing, so A's endpoint is unknown`,
    };
  }
  const result = await probe(regionAProbe(ctx.config, dnsName));
  return { lost: !result.up, detail: result.detail };
}

async function replication({ ctx, aws }: SignalSources): Promise<Signals["replication"]> {
  const id = ctx.names.replica;
  const lag = await aws.database.replicaLagSeconds(id);
  if (lag === undefined) {
    return {
      lost: true,
      detail: `no ReplicaLag datapoint of ${id} in the last 10 minutes: replication stopped or the replica reports nothing`,
    };
  }
  const lost = lag >= REPLICATION_LOST_LAG_SECONDS;
  return {
    lost,
    lagSeconds: lag,
    detail: `${id} lags ${lag} s${lost ? `, at or past ${REPLICATION_LOST_LAG_SECONDS} s` : ""}`,
  };
}

async function writer(sources: SignalSources): Promise<Signals["writer"]> {
  const a = await askRegionA(sources);
  return { lost: !a.present, present: a.present, detail: a.detail };
}

/** Errors of one signal's path become that signal's "not lost" with the reason, never a throw. */
async function guarded<T extends { lost: boolean; detail: string }>(
  what: string,
  read: () => Promise<T>,
  unread: Omit<T, "lost" | "detail">,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ...unread, lost: false, detail: `${what} unreadable from region B (${reason})` } as T;
  }
}

/** All three at once: a run takes as long as its slowest signal, not their sum. */
export async function gatherSignals(sources: SignalSources): Promise<Signals> {
  const [w, c, r] = await Promise.all([
    guarded("region A's writer", () => writer(sources), { present: false }),
    guarded("region A's canary", () => canary(sources), {}),
    guarded("replica lag", () => replication(sources), {}),
  ]);
  return { writer: w, canary: c, replication: r };
}
