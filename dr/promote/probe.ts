/**
 * Is region A still serving? Asked over HTTP(S) only, never through region A's APIs, which may
 * be down when the service is not (or the other way round).
 *
 * The probe connects to region A's ALB (its DNS name, from the parameter the link stack writes
 * in region B) but speaks to it as the service: with a DNS zone, HTTPS with the service's name
 * as TLS SNI and Host, and the certificate verified against that name. An ALB answering for its
 * own name only (a default rule, the HTTP redirect, a certificate for something else) is not
 * region A serving clients, so it must not count as up.
 */
import http from "node:http";
import https from "node:https";
import type { AppConfig } from "../../config";
import type { Clock } from "../runtime";

/** Where to connect, and which name to speak to it as. */
export interface ProbeTarget {
  /** Host to connect to: region A's ALB DNS name. */
  readonly connectTo: string;
  /** https: with a DNS zone (clients' listener); http: without one (A serves HTTP only). */
  readonly protocol: "https:" | "http:";
  /** The name the request is for: TLS SNI, Host header, and the name the certificate must carry. */
  readonly serverName: string;
  readonly path: string;
}

/** How `npm run dr` asks whether region A serves, from the environment's settings. */
export function regionAProbe(
  config: Pick<AppConfig, "dns" | "service">,
  albDnsName: string,
): ProbeTarget {
  const path = config.service.healthCheckPath;
  if (!config.dns)
    return { connectTo: albDnsName, protocol: "http:", serverName: albDnsName, path };
  const serverName = `${config.dns.recordName}.${config.dns.zoneName}`;
  return { connectTo: albDnsName, protocol: "https:", serverName, path };
}

/** `https://api.example.com/health at <ALB>`, or the plain URL when both names are the same. */
export function describeProbe(target: ProbeTarget): string {
  const url = `${target.protocol}//${target.serverName}${target.path}`;
  return target.serverName === target.connectTo ? url : `${url} at ${target.connectTo}`;
}

/**
 * The same question for an operator's shell: curl's --connect-to keeps the URL's name for SNI,
 * Host and certificate verification while connecting to the ALB. `target.connectTo` may be a
 * shell expression such as "$A_ALB".
 */
export function curlProbe(target: ProbeTarget): string {
  const url = `${target.protocol}//${target.serverName}${target.path}`;
  const head = "curl -sS -o /dev/null -w '%{http_code}\\n' --max-time 5";
  if (target.serverName === target.connectTo) return `${head} ${url}`;
  return `${head} --connect-to ${target.serverName}:443:${target.connectTo}:443 ${url}`;
}

/** The status code the target answers with; throws when nothing answers within `timeoutMs`. */
export type StatusOf = (target: ProbeTarget, timeoutMs: number) => Promise<number>;

export interface ProbeResult {
  readonly up: boolean;
  readonly detail: string;
}

/** `tries` GETs of `target`; up when any answers 2xx. Other answers and silence count as down. */
export async function probe(
  target: ProbeTarget,
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
  const what = describeProbe(target);
  const seen: string[] = [];
  for (let i = 0; i < tries; i++) {
    if (i > 0) await clock.sleep(retryDelayMs);
    try {
      const status = await statusOf(target, timeoutMs);
      if (status >= 200 && status < 300) return { up: true, detail: `${what} answered ${status}` };
      seen.push(String(status));
    } catch (error) {
      seen.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { up: false, detail: `${what} gave no 2xx in ${tries} tries (${seen.join("; ")})` };
}

/** One GET, in the options Node's http.get and https.get take; `protocol` picks the module. */
export interface ProbeRequest {
  readonly protocol: "http:" | "https:";
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly headers: { readonly host: string };
  /** TLS SNI, and the name Node verifies the certificate against (tls.checkServerIdentity). */
  readonly servername?: string;
  readonly rejectUnauthorized?: boolean;
  readonly timeout: number;
}

/**
 * The request that asks `target`. With `proxy` (the emulator rehearsal's HELLO_YOU_DR_PROXY) it
 * goes as plain HTTP in absolute form to the proxy: to the ALB (the URL's host), spoken to as the
 * service (the Host header), on the port the protocol uses. The emulator has no TLS and no
 * certificate to verify, so that rehearses the name and the answer, not the HTTPS check.
 */
export function probeRequest(target: ProbeTarget, timeoutMs: number, proxy?: string): ProbeRequest {
  if (proxy) {
    const via = new URL(proxy);
    const port = target.protocol === "https:" ? 443 : 80;
    return {
      protocol: "http:",
      host: via.hostname,
      port: Number(via.port || 80),
      path: `http://${target.connectTo}:${port}${target.path}`,
      headers: { host: target.serverName },
      timeout: timeoutMs,
    };
  }
  const base = { host: target.connectTo, path: target.path, timeout: timeoutMs };
  if (target.protocol === "http:") {
    return { ...base, protocol: "http:", port: 80, headers: { host: target.serverName } };
  }
  return {
    ...base,
    protocol: "https:",
    port: 443,
    headers: { host: target.serverName },
    servername: target.serverName,
    // Stated, not left to the default: the answer counts only from a certificate for the name.
    rejectUnauthorized: true,
  };
}

/** Sends one request and resolves to its status code. */
export type Send = (request: ProbeRequest) => Promise<number>;

export const nodeSend: Send = (request) =>
  new Promise((resolve, reject) => {
    const get = request.protocol === "https:" ? https.get : http.get;
    const req = get({ ...request, headers: { ...request.headers }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${request.timeout} ms`)));
    req.on("error", (error) => reject(error));
  });

/** Node's GET of each target, through `proxy` when the emulator's is set; `send` for specs. */
export function nodeStatusOf(proxy?: string, send: Send = nodeSend): StatusOf {
  return (target, timeoutMs) => send(probeRequest(target, timeoutMs, proxy));
}
