/**
 * Is region A still serving? Asked over HTTP(S) only, never through region A's APIs, which may
 * be down when the service is not (or the other way round).
 */
import http from "node:http";
import https from "node:https";
import type { Clock } from "./runtime";

/** The status code `url` answers with; throws when nothing answers within `timeoutMs`. */
export type StatusOf = (url: string, timeoutMs: number) => Promise<number>;

export interface ProbeResult {
  readonly up: boolean;
  readonly detail: string;
}

/** `tries` GETs of `url`; up when any answers 2xx. Other answers and silence count as down. */
export async function probe(
  url: string,
  {
    statusOf,
    clock,
    tries = 3,
    timeoutMs = 5000,
    retryDelayMs = 2000,
  }: {
    statusOf: StatusOf;
    clock: Clock;
    tries?: number;
    timeoutMs?: number;
    retryDelayMs?: number;
  },
): Promise<ProbeResult> {
  const seen: string[] = [];
  for (let i = 0; i < tries; i++) {
    if (i > 0) await clock.sleep(retryDelayMs);
    try {
      const status = await statusOf(url, timeoutMs);
      if (status >= 200 && status < 300) return { up: true, detail: `${url} answered ${status}` };
      seen.push(String(status));
    } catch (error) {
      seen.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { up: false, detail: `${url} gave no 2xx in ${tries} tries (${seen.join("; ")})` };
}

/**
 * Node's http(s) GET. The certificate is not verified: A's ALB name is not the certificate's
 * name, and this only asks whether anything answers (as Route53's HTTPS checks do); nothing
 * secret is sent. With `proxy` (the emulator's), the request goes to it in absolute form.
 */
export function nodeStatusOf(proxy?: string): StatusOf {
  return (url, timeoutMs) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const via = proxy ? new URL(proxy) : undefined;
      const options: https.RequestOptions = via
        ? { host: via.hostname, port: Number(via.port || 80), path: url }
        : {
            host: target.hostname,
            port: target.port || undefined,
            path: target.pathname + target.search,
            rejectUnauthorized: false,
          };
      const get = via || target.protocol === "http:" ? http.get : https.get;
      const req = get(
        { ...options, headers: { host: target.host }, timeout: timeoutMs, agent: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", (error) => reject(error));
    });
}
