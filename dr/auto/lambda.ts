/**
 * The automatic promotion's Lambda entry (constructs/auto-promoter.ts bundles this file with
 * esbuild at synth time). Its settings are the validated configuration the stack was synthesized
 * from, written beside the bundle as context.json, so the function decides with exactly the
 * guards the deployment shows; the alarm topic's ARN comes from the environment.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AppConfig } from "../../config";
import { sdkRegionA } from "../aws/region-a";
import { sdkRegionB } from "../aws/sdk";
import { contextFor } from "../context";
import { nodeStatusOf } from "../promote/probe";
import { consoleOutput, systemClock } from "../runtime";
import { sdkControls } from "./controls";
import { autoPromote, type RunRecord } from "./handler";

/** Name of the settings file beside the bundle. */
export const CONTEXT_FILE = "context.json";

export async function handler(): Promise<RunRecord> {
  const topicArn = process.env.ALARM_TOPIC_ARN;
  if (!topicArn) throw new Error("ALARM_TOPIC_ARN is not set: the function has no one to page");
  const config = JSON.parse(readFileSync(path.join(__dirname, CONTEXT_FILE), "utf8")) as AppConfig;
  const ctx = contextFor(config);
  const record = await autoPromote({
    ctx,
    aws: sdkRegionB(ctx.regionB, process.env),
    regionA: sdkRegionA(ctx.regionA, process.env),
    controls: sdkControls(ctx.regionB, topicArn, process.env),
    clock: systemClock,
    statusOf: nodeStatusOf(),
    out: consoleOutput,
    projectDir: "/tmp",
  });
  // The timeline is in the audit trail; the function's log keeps one line a run.
  console.log(JSON.stringify({ ...record, promotion: record.promotion?.ok }));
  return record;
}
