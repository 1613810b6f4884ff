/**
 * The one question `npm run dr` asks region A's APIs: is A's writer still there? Read-only
 * (DescribeDBInstances), bounded by a short timeout, and never required: when region A's API
 * does not answer, that is the answer ("A's API is down"), not an error. Everything else the
 * tool does calls region B only.
 */
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { clientSettings } from "./clients";

/** What region A's RDS API said about A's writer. */
export type WriterView =
  /** The API answered: the writer's status, or `undefined` when it has no such instance. */
  | { readonly answered: true; readonly status?: string }
  /** No answer within the timeout, or an error: region A's API counts as down. */
  | { readonly answered: false; readonly reason: string };

export interface RegionA {
  readonly region: string;
  writer(identifier: string): Promise<WriterView>;
}

/** How long `dr promote` waits for region A's RDS API before counting it as down. */
export const REGION_A_TIMEOUT_MS = 5000;

/** Region A's RDS API through the SDK, one attempt, abandoned after `timeoutMs`. */
export function sdkRegionA(
  region: string,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs = REGION_A_TIMEOUT_MS,
): RegionA {
  // One attempt: retries would only stretch the wait on a region that does not answer.
  const rds = new RDSClient({ ...clientSettings(region, env), maxAttempts: 1 });
  return {
    region,
    async writer(identifier) {
      const abort = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new Error(`no answer within ${timeoutMs / 1000} s`));
        }, timeoutMs);
      });
      try {
        const out = await Promise.race([
          rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }), {
            abortSignal: abort.signal,
          }),
          timeout,
        ]);
        return { answered: true, status: out.DBInstances?.[0]?.DBInstanceStatus ?? "unknown" };
      } catch (error) {
        const name = error instanceof Error ? error.name : "";
        if (name === "DBInstanceNotFoundFault" || name === "DBInstanceNotFound") {
          return { answered: true };
        }
        const message = error instanceof Error ? error.message : String(error);
        return {
          answered: false,
          reason: `${name && name !== "Error" ? `${name}: ` : ""}${message}`,
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
