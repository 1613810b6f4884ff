/**
 * The audit trail of a run that changes region B: one JSON line per step start and end, in a
 * local file (kept whatever happens to AWS) and in region B's CloudWatch Logs group (kept
 * whatever happens to this laptop). Records hold names, states and durations; callers never
 * pass a secret value, and nothing here reads one.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { RegionB } from "./aws/aws";
import type { Clock, Output } from "./runtime";

export interface AuditRecord {
  readonly step: string;
  readonly event: "start" | "end";
  readonly outcome?: string;
  readonly detail?: string;
  readonly durationMs?: number;
}

/** Receives each record of a run. */
export interface AuditSink {
  record(entry: AuditRecord): Promise<void>;
}

/** state/<environment>/dr-audit.log under the project directory. */
export function auditFile(projectDir: string, environment: string): string {
  return path.join(projectDir, "state", environment, "dr-audit.log");
}

export interface AuditOptions {
  readonly file: string;
  readonly logs: RegionB["logs"];
  readonly group: string;
  readonly run: string;
  readonly environment: string;
  readonly command: string;
  readonly clock: Clock;
  readonly out: Output;
}

/**
 * Opens the trail: creates the file's directory and a log stream named after the run. When
 * CloudWatch Logs refuses (no group yet, no permission, API down), warns once and goes on with
 * the file alone: an audit gap must not stop a recovery.
 */
export async function openAudit(options: AuditOptions): Promise<AuditSink> {
  const { file, logs, group, run, environment, command, clock, out } = options;
  mkdirSync(path.dirname(file), { recursive: true });
  const stream = run;
  let cloud = true;
  const lose = (error: unknown) => {
    cloud = false;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    out.warn(
      `audit: CloudWatch Logs group ${group} in region B is not written (${reason}); the trail goes on in ${file} only`,
    );
  };
  try {
    await logs.createStream(group, stream);
  } catch (error) {
    lose(error);
  }
  return {
    async record(entry) {
      const time = clock.now();
      const message = JSON.stringify({
        time: time.toISOString(),
        run,
        environment,
        command,
        ...entry,
      });
      appendFileSync(file, `${message}\n`);
      if (!cloud) return;
      try {
        await logs.put(group, stream, [{ timestamp: time.getTime(), message }]);
      } catch (error) {
        lose(error);
      }
    },
  };
}

/** A run id that sorts by time and names the log stream: 2024-05-01T12-00-00Z-1a2b3c. */
export function runId(clock: Clock, random: () => number = Math.random): string {
  const stamp = clock
    .now()
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");
  return `${stamp}-${Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, "0")}`;
}
