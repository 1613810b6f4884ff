/**
 * The automatic promotion's part of the rehearsal (`failover.automatic`, ADR 0004), run by
 * rehearsal.ts against the deployed region B before anyone promotes by hand. Lambda does not run
 * on the emulator: the function's handler (dr/auto/handler.ts, what dr/auto/lambda.ts calls) runs
 * in this process, once per rehearsed minute, against the emulator through the proxy, with the
 * switch, latch and state parameters the failover stack deployed and its alarm topic.
 *
 * Time is the rehearsal's own clock (as HELLO_YOU_DR_NOW sets dr's): it starts outside region A's
 * maintenance window and jumps a minute between runs, so the quorum window and the hold window
 * are rehearsed as they pass in production, in seconds. Each guard has its own scenario and
 * region B must be unchanged after it: the guard alone stood between the signals and a promotion.
 * The positive one meets the injected fault of scenario 2 (PutSecretValue applied, its reply
 * lost): the function promotes with no operator and stops there, and the operator's scenarios
 * resume from what it left.
 */
import { execFileSync } from "node:child_process";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import type { AppConfig } from "../../config/schema";
import { type AutoControls, sdkControls } from "../../dr/auto/controls";
import { decisionMinutes, detectionMinutes } from "../../dr/auto/decide";
import { autoPromote, type RunRecord } from "../../dr/auto/handler";
import { sdkRegionA } from "../../dr/aws/region-a";
import { sdkRegionB } from "../../dr/aws/sdk";
import { contextFor } from "../../dr/context";
import { nodeStatusOf } from "../../dr/promote/probe";
import type { Clock, Output } from "../../dr/runtime";
import { inMaintenanceWindow } from "../../dr/promote/steps-writer";
import {
  AUTO_PROMOTION_ARMED,
  AUTO_PROMOTION_LATCH_UNUSED,
  type RecoveryNames,
} from "../../naming/recovery";
import { ensureMoto } from "./moto";
import type { RehearsalContext } from "./rehearsal";
import { log } from "./run";

/** What the scenarios share: the deployed names, the clock, the runs and what they paged. */
export interface AutoStage {
  readonly ctx: RehearsalContext;
  readonly config: AppConfig;
  readonly names: RecoveryNames;
  readonly regionA: string;
  readonly regionB: string;
  readonly clock: RehearsalClock;
  readonly controls: AutoControls;
  readonly pages: string[];
  /** One rehearsed minute: the clock moves to a minute after the previous run, then one run. */
  readonly minute: (config?: AppConfig) => Promise<RunRecord>;
  /** Region A's reachability from everywhere (its APIs, its ALB). */
  readonly regionAUp: (up: boolean) => void;
  /**
   * A ReplicaLag datapoint of B's replica, `agoSeconds` before the real now. The emulator's
   * GetMetricStatistics leaves out the last, unfinished minute: give 90 s or more.
   */
  readonly lag: (seconds: number, agoSeconds: number) => void;
}

/** The rehearsal's clock: real time plus an offset the rehearsal moves forward. */
export class RehearsalClock implements Clock {
  private offset: number;
  constructor(start: Date) {
    this.offset = start.getTime() - Date.now();
  }
  now = () => new Date(Date.now() + this.offset);
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  /** Moves to `at` when that is later than now. */
  jumpTo(at: number): void {
    this.offset += Math.max(0, at - this.now().getTime());
  }
}

/**
 * Where the rehearsal's clock starts: the latest whole day back from now whose next two hours are
 * outside A's maintenance window. In the past, because the audit trail's events carry the
 * clock's time and CloudWatch Logs refuses events more than 2 hours ahead (it takes 14 days back).
 */
function outsideMaintenance(config: AppConfig): Date {
  const window = config.database.maintenanceWindow;
  for (let days = 1; days <= 7; days++) {
    const start = Date.now() - days * 24 * 3_600_000;
    const clear = Array.from({ length: 13 }, (_, i) => new Date(start + i * 600_000)).every(
      (t) => !inMaintenanceWindow(window, t),
    );
    if (clear) return new Date(start);
  }
  throw new Error(`no two hours outside database.maintenanceWindow ${window} in the last week`);
}

const silent: Output = {
  line: () => {},
  warn: (text) => log(`rehearsal: automatic promotion warns: ${text}`),
  error: (text) => log(`rehearsal: automatic promotion error: ${text}`),
};

/** Builds the stage; the SDK clients take the emulator's fake keys from this process. */
export async function autoStage(
  ctx: RehearsalContext,
  config: AppConfig,
  projectDir: string,
): Promise<AutoStage> {
  process.env.AWS_ACCESS_KEY_ID ??= "emulated";
  process.env.AWS_SECRET_ACCESS_KEY ??= "emulated";
  const dr = contextFor(config);
  const { proxy, moto } = ctx.emulator;
  const env = {
    HELLO_YOU_DR_ENDPOINT: "http://{region}.aws.emulator",
    HELLO_YOU_DR_PROXY: `http://127.0.0.1:${proxy.port}`,
  };
  const sns = new SNSClient({
    region: dr.regionB,
    endpoint: `http://127.0.0.1:${moto.port}`,
    credentials: { accessKeyId: "emulated", secretAccessKey: "emulated" },
  });
  const topics = (await sns.send(new ListTopicsCommand({}))).Topics ?? [];
  const topicArn = topics.map((t) => t.TopicArn ?? "").find((a) => a.endsWith("-alarms"));
  if (!topicArn)
    throw new Error(`no alarm topic in ${dr.regionB}: is the failover stack deployed?`);
  const pages: string[] = [];
  const real = sdkControls(dr.regionB, topicArn, env);
  const controls: AutoControls = {
    read: (name) => real.read(name),
    write: (name, value) => real.write(name, value),
    async page(subject, message) {
      pages.push(subject);
      log(`rehearsal: PAGE to ${topicArn}: ${subject}`);
      await real.page(subject, message);
    },
  };
  const clock = new RehearsalClock(outsideMaintenance(config));
  let last: number | undefined;
  const aws = sdkRegionB(dr.regionB, env);
  const regionA = sdkRegionA(dr.regionA, env);
  const statusOf = nodeStatusOf(env.HELLO_YOU_DR_PROXY);
  const python = ensureMoto(log);
  return {
    ctx,
    config,
    names: dr.names,
    regionA: dr.regionA,
    regionB: dr.regionB,
    clock,
    controls,
    pages,
    async minute(override) {
      if (last !== undefined) clock.jumpTo(last + 60_000);
      last = clock.now().getTime();
      return autoPromote({
        ctx: override ? contextFor(override) : dr,
        aws,
        regionA,
        controls,
        clock,
        statusOf,
        out: silent,
        projectDir,
        pollMs: 1000,
      });
    },
    regionAUp(up) {
      if (up) proxy.unreachable.delete(dr.regionA);
      else proxy.unreachable.add(dr.regionA);
    },
    lag(seconds, agoSeconds) {
      execFileSync(python, [
        "-c",
        `
import boto3, datetime, sys
url, region, replica, value, ago = sys.argv[1:]
cw = boto3.client("cloudwatch", endpoint_url=url, region_name=region, aws_access_key_id="emulated", aws_secret_access_key="emulated")
at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=int(ago))
cw.put_metric_data(Namespace="AWS/RDS", MetricData=[{"MetricName": "ReplicaLag", "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": replica}], "Timestamp": at, "Value": float(value), "Unit": "Seconds"}])
`,
        `http://127.0.0.1:${moto.port}`,
        dr.regionB,
        dr.names.replica,
        String(seconds),
        String(agoSeconds),
      ]);
    },
  };
}

/** `count` minutes with region A as `up` says; the runs' records. */
async function minutes(stage: AutoStage, count: number, config?: AppConfig) {
  const records: RunRecord[] = [];
  for (let i = 0; i < count; i++) records.push(await stage.minute(config));
  return records;
}

const actions = (records: RunRecord[]) => records.map((r) => r.action).join(", ");

/** A healthy minute first (A reachable): every scenario starts from region A serving. */
async function healthyMinute(stage: AutoStage): Promise<string[]> {
  stage.regionAUp(true);
  const [record] = await minutes(stage, 1);
  stage.regionAUp(false);
  return record.action === "watch"
    ? []
    : [`with region A serving, the function's run said ${record.action}: ${record.reason}`];
}

/** Enough minutes for quorum, hold and a few more: what a guard must hold through. */
function longEnough(config: AppConfig): number {
  return decisionMinutes(config.failover.automation) + 3;
}

/**
 * 0. The deployment: the failover stack created the switch armed and the latch unused; with
 * failover.automatic false, runs change nothing, page no one and never write the state.
 */
export async function automaticOff(stage: AutoStage): Promise<string[]> {
  const problems: string[] = [];
  const { autoPromotion: p } = stage.names;
  const [armed, latch] = [await stage.controls.read(p.switch), await stage.controls.read(p.latch)];
  if (armed !== AUTO_PROMOTION_ARMED || latch !== AUTO_PROMOTION_LATCH_UNUSED) {
    problems.push(`the failover stack left ${p.switch}=${armed} and ${p.latch}=${latch}`);
  }
  const off = { ...stage.config, failover: { ...stage.config.failover, automatic: false } };
  const stateBefore = await stage.controls.read(p.state);
  stage.regionAUp(false);
  const records = await minutes(stage, longEnough(stage.config), off);
  log(`rehearsal: automatic off, region A down: ${actions(records)}`);
  if (records.some((r) => r.action !== "off")) problems.push(`runs said ${actions(records)}`);
  if ((await stage.controls.read(p.state)) !== stateBefore) {
    problems.push("with failover.automatic false, a run wrote the state parameter");
  }
  if (stage.pages.length) problems.push(`with failover.automatic false, it paged: ${stage.pages}`);
  return problems;
}

/** 1. Region A lost for less than the quorum window, again and again: no page, no change. */
export async function blipShorterThanQuorum(stage: AutoStage): Promise<string[]> {
  stage.lag(3, 8 * 60);
  const problems = await healthyMinute(stage);
  const pagesBefore = stage.pages.length;
  const quorum = stage.config.failover.automation.quorumMinutes;
  const records: RunRecord[] = [];
  for (let blip = 0; blip < 3; blip++) {
    stage.regionAUp(false);
    records.push(...(await minutes(stage, quorum - 1)));
    stage.regionAUp(true);
    records.push(...(await minutes(stage, 1)));
  }
  stage.regionAUp(false);
  log(`rehearsal: blips of ${quorum - 1} min: ${actions(records)}`);
  if (records.every((r) => r.action === "watch")) {
    problems.push("no run saw the blips: the signals did not say region A was lost");
  }
  if (records.some((r) => !["detecting", "watch"].includes(r.action))) {
    problems.push(`a blip shorter than ${quorum} min went past detection: ${actions(records)}`);
  }
  if (stage.pages.length > pagesBefore) problems.push("a blip paged");
  return problems;
}

/** A guard scenario: region A lost for longer than quorum and hold; `expected` every minute after. */
async function guarded(
  stage: AutoStage,
  what: string,
  expected: RunRecord["action"],
): Promise<string[]> {
  const problems = await healthyMinute(stage);
  const pagesBefore = stage.pages.length;
  const records = await minutes(stage, longEnough(stage.config));
  log(`rehearsal: ${what}, region A down: ${actions(records)}`);
  const after = records.slice(stage.config.failover.automation.quorumMinutes);
  if (after.some((r) => r.action !== expected)) {
    problems.push(`${what}: runs after the quorum window said ${actions(after)}, not ${expected}`);
  }
  const paged = stage.pages.slice(pagesBefore);
  if (paged.length !== 1) problems.push(`${what}: ${paged.length} pages, not one: ${paged}`);
  if (records.some((r) => r.promotion)) problems.push(`${what}: a run promoted`);
  return problems;
}

/** 2. The switch reads disarmed: a page, no promotion; armed again after. */
export async function disarmed(stage: AutoStage): Promise<string[]> {
  const { switch: name } = stage.names.autoPromotion;
  await stage.controls.write(name, "disarmed");
  const problems = await guarded(stage, "disarmed", "disarmed");
  await stage.controls.write(name, AUTO_PROMOTION_ARMED);
  return problems;
}

/** 3. The latch already used: a page, no promotion; reset after, as a person would. */
export async function latchUsed(stage: AutoStage): Promise<string[]> {
  const { latch } = stage.names.autoPromotion;
  await stage.controls.write(latch, "used by the rehearsal");
  const problems = await guarded(stage, "latch used", "latched");
  await stage.controls.write(latch, AUTO_PROMOTION_LATCH_UNUSED);
  return problems;
}

/** 4. The last lag before the loss above alarms.rpoSeconds: a page, no promotion. */
export async function lagAboveRpo(stage: AutoStage): Promise<string[]> {
  // Newer than the blips' 3 s (8 min ago), older than the promotion's 3 s (90 s ago, a minute
  // later): each scenario reads its own.
  stage.lag(stage.config.alarms.rpoSeconds + 300, 180);
  return guarded(
    stage,
    `lag above alarms.rpoSeconds ${stage.config.alarms.rpoSeconds}`,
    "vetoed-rpo",
  );
}

export interface AutomaticRun {
  readonly problems: string[];
  readonly record?: RunRecord;
}

/**
 * 5. Region A lost, nothing else in the way: the function detects, pages, holds, latches and runs
 * the promote steps with no operator. Measured on the rehearsal's clock from the outage.
 */
export async function promotesWithNoOperator(stage: AutoStage): Promise<AutomaticRun> {
  stage.lag(3, 90);
  const problems = await healthyMinute(stage);
  const pagesBefore = stage.pages.length;
  const outage = stage.clock.now().getTime();
  log(`rehearsal: region A lost at ${new Date(outage).toISOString()} on the rehearsal's clock`);
  const records: RunRecord[] = [];
  const { quorumMinutes, holdMinutes } = stage.config.failover.automation;
  let paged: number | undefined;
  let record: RunRecord | undefined;
  for (let i = 0; i < decisionMinutes({ quorumMinutes, holdMinutes }) + 2 && !record; i++) {
    const run = await stage.minute();
    records.push(run);
    const at = stage.clock.now().getTime();
    if (run.action === "holding" && paged === undefined) paged = at;
    if (run.action === "promote") record = run;
  }
  const timeline = record?.promotion?.timeline ?? [];
  const started = timeline[0]?.startedAt.getTime();
  const last = timeline.at(-1);
  const ended = last ? last.startedAt.getTime() + last.durationMs : undefined;
  const minutesFrom = (t?: number) =>
    t === undefined ? "never" : `${((t - outage) / 60_000).toFixed(1)} min`;
  log(
    `rehearsal: automatic promotion: ${actions(records)}; from the outage: paged ${minutesFrom(paged)} (bound ${detectionMinutes(quorumMinutes).toFixed(1)} min), first step ${minutesFrom(started)} (bound ${decisionMinutes({ quorumMinutes, holdMinutes }).toFixed(1)} min), steps ran ${started === undefined || ended === undefined ? "-" : `${((ended - started) / 1000).toFixed(1)} s`}, last step ended ${minutesFrom(ended)}, on the rehearsal's clock`,
  );
  if (!record) {
    problems.push(`no run promoted: ${actions(records)}`);
    return { problems };
  }
  for (const t of record.promotion?.timeline ?? []) {
    log(
      `rehearsal:   ${t.step}: ${t.outcome} in ${(t.durationMs / 1000).toFixed(1)} s: ${t.detail.slice(0, 160)}`,
    );
  }
  const subjects = stage.pages.slice(pagesBefore);
  if (!/automatic promotion at/.test(subjects[0] ?? "")) {
    problems.push(`the first page was not the one before the hold: ${subjects}`);
  }
  const latch = await stage.controls.read(stage.names.autoPromotion.latch);
  if (!latch?.startsWith("used by automatic run")) problems.push(`the latch reads ${latch}`);
  const next = await stage.minute();
  if (next.promotion) problems.push("the next minute's run promoted again");
  log(`rehearsal: the minute after: ${next.action}`);
  return { problems, record };
}
