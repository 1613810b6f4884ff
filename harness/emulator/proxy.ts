/**
 * A forward HTTP proxy in front of moto that gives each AWS region (and Route53, and IAM) a name
 * of its own, so that a test can take one of them away while the rest keeps answering.
 *
 * Providers reach `http://<zone>.aws.emulator` endpoints through this proxy (the provider's
 * `http_proxy` setting), so no DNS entry is needed: the proxy sees the host name, decides the zone
 * (`us-east-1`, `route53`, `iam`, ...; an account-ID prefix, as S3 Control adds, is ignored),
 * and either forwards the request to moto or, for an unreachable zone, drops the connection the
 * way a dead region does, recording who called. It also bridges the RPC v2 CBOR gap
 * (rpcv2-cbor.ts).
 */
import http from "node:http";
import type { Socket } from "node:net";
import { type Headers, rpcv2Operation, toCborResponse, toJsonRequest } from "./rpcv2-cbor";

/** A call that reached a zone the test had taken down. */
export interface RefusedCall {
  readonly zone: string;
  readonly service: string;
  readonly operation: string;
}

/**
 * A call made to fail on purpose (failure injection): while it is in `faults`, every matching
 * request has its connection dropped, as a network fault mid-operation would: before the request
 * reaches AWS (`drop-request`, the default), or after AWS has carried it out, so that the caller
 * never hears that it succeeded (`lose-reply`).
 */
export interface Fault {
  readonly service: string;
  readonly operation: string;
  readonly mode?: "drop-request" | "lose-reply";
}

/** An HTTP request to a load balancer's DNS name, and what answered it (alb.py), if anything. */
export interface AlbRequest {
  readonly zone: string;
  readonly host: string;
  readonly path: string;
  /** The status the load balancer answered, or undefined when nothing answered. */
  readonly status?: number;
}

export interface EmulatorProxy {
  readonly port: number;
  /** Live: adding a zone takes it down for the next request. */
  readonly unreachable: Set<string>;
  readonly refused: RefusedCall[];
  /** Live: calls to fail on purpose, and the record of those that were. */
  readonly faults: Fault[];
  readonly injected: RefusedCall[];
  /** Requests to load balancers (a recovery probe), in order. */
  readonly albRequests: AlbRequest[];
  /** Calls forwarded to moto, by "<service> <operation>". */
  readonly forwarded: Map<string, number>;
  close(): Promise<void>;
}

export const EMULATOR_DOMAIN = "aws.emulator";

/** The zone a request is for, from its host: `123456789012.us-east-1.aws.emulator` -> us-east-1. */
export function zoneOf(host: string | undefined): string | undefined {
  const name = String(host ?? "").replace(/:\d+$/, "");
  if (!name.endsWith(`.${EMULATOR_DOMAIN}`)) return undefined;
  const labels = name.slice(0, -EMULATOR_DOMAIN.length - 1).split(".");
  return labels[labels.length - 1];
}

/**
 * The region of a load balancer's DNS name as AWS forms it (`<name>-<id>.<region>.elb.amazonaws.com`,
 * the form moto gives too), or undefined for any other host.
 */
export function loadBalancerZone(host: string | undefined): string | undefined {
  const name = String(host ?? "").replace(/:\d+$/, "");
  return /\.([a-z]{2}(?:-[a-z]+)+-\d)\.elb\.amazonaws\.com$/.exec(name)?.[1];
}

/** Zones served from one global endpoint: their requests are signed for us-east-1 whatever. */
const GLOBAL_ZONES = new Set(["iam", "route53"]);

/**
 * The zone a call really goes to: the host's, unless the request is signed for another region.
 * A provider sends every call of a service to that service's endpoint (so to its own region's
 * host here), but some operations name another region for one call, such as deleting an RDS
 * backup replication, which waits on the source region; that call belongs to the region it is
 * signed for. Global services keep their own zone.
 */
export function callZone(hostZone: string | undefined, authorization?: string): string | undefined {
  if (!hostZone || GLOBAL_ZONES.has(hostZone)) return hostZone;
  const signed = /Credential=[^/]+\/\d+\/([a-z]{2}(?:-[a-z]+)+-\d)\//.exec(
    authorization ?? "",
  )?.[1];
  return signed ?? hostZone;
}

/** Service and operation of a signed AWS request, for the record of calls to dead zones. */
export function describeCall(
  req: http.IncomingMessage,
  body: Buffer,
): { service: string; operation: string } {
  const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? "");
  const service = scope ? scope[2] : "?";
  const target = req.headers["x-amz-target"];
  let operation = target ? String(target).split(".").pop() : undefined;
  operation ??= /\/operation\/([^/?]+)/.exec(req.url ?? "")?.[1];
  operation ??= /(?:^|&)Action=([^&]+)/.exec(body.toString("utf8"))?.[1];
  operation ??= `${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`;
  return { service, operation };
}

/**
 * Starts the proxy on a free loopback port. `unreachable` is a live Set: adding a zone to it
 * takes that zone down for the next request.
 */
export async function startProxy({
  motoPort,
  unreachable = new Set<string>(),
  log = () => {},
}: {
  motoPort: number;
  unreachable?: Set<string>;
  log?: (message: string) => void;
}): Promise<EmulatorProxy> {
  const refused: RefusedCall[] = [];
  const faults: Fault[] = [];
  const injected: RefusedCall[] = [];
  const albRequests: AlbRequest[] = [];
  const forwarded = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const lbZone = loadBalancerZone(url.host);
      if (lbZone) {
        const request = {
          zone: lbZone,
          host: String(req.headers.host ?? url.host),
          path: url.pathname,
        };
        if (unreachable.has(lbZone)) {
          albRequests.push(request);
          log(`unreachable ${lbZone}: HTTP to ${url.host}`);
          req.socket.destroy();
          return;
        }
        askLoadBalancer(motoPort, url, request.host, (status) => {
          albRequests.push({ ...request, status });
          if (status === undefined) req.socket.destroy();
          else res.writeHead(status, { "content-type": "text/plain" }).end(`${status}\n`);
        });
        return;
      }
      const zone = callZone(zoneOf(url.host), req.headers.authorization);
      if (!zone) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`the emulator proxy only serves *.${EMULATOR_DOMAIN}, not ${url.host}\n`);
        return;
      }
      if (unreachable.has(zone)) {
        const call = { zone, ...describeCall(req, body) };
        refused.push(call);
        log(`unreachable ${zone}: ${call.service} ${call.operation}`);
        req.socket.destroy();
        return;
      }
      const call = describeCall(req, body);
      const fault = faults.find(
        (f) => f.service === call.service && f.operation === call.operation,
      );
      if (fault) {
        injected.push({ zone, ...call });
        log(
          `injected fault (${fault.mode ?? "drop-request"}): ${zone} ${call.service} ${call.operation}`,
        );
        if (fault.mode !== "lose-reply") {
          req.socket.destroy();
          return;
        }
      }
      const key = `${call.service} ${call.operation}`;
      forwarded.set(key, (forwarded.get(key) ?? 0) + 1);
      forward(motoPort, req, url, body, fault ? lostReply(req) : res);
    });
  });
  // HTTPS would be a tunnel to a real host: a service without an emulator endpoint. Refuse it
  // and say which host, so the gap is visible instead of a call leaving the machine.
  server.on("connect", (req: http.IncomingMessage, socket: Socket) => {
    refused.push({ zone: "internet", service: String(req.url), operation: "CONNECT" });
    log(`refused HTTPS to ${req.url}: no emulator endpoint for it`);
    socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the proxy has no TCP address");
  return {
    port: address.port,
    unreachable,
    refused,
    faults,
    injected,
    albRequests,
    forwarded,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A response that AWS's answer never reaches: the connection drops when it would be sent. */
function lostReply(req: http.IncomingMessage): http.ServerResponse {
  const drop = () => req.socket.destroy();
  return { writeHead: drop, end: drop } as unknown as http.ServerResponse;
}

/**
 * What the load balancer of `url`'s host answers (moto_shims.py's /_emulator/alb), or undefined
 * when no load balancer has that name or nothing listens on the port.
 */
function askLoadBalancer(
  motoPort: number,
  url: URL,
  host: string,
  done: (status: number | undefined) => void,
): void {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const query = new URLSearchParams({
    dns: url.hostname,
    host: host.replace(/:\d+$/, ""),
    path: url.pathname,
    port,
  });
  http
    .get({ host: "127.0.0.1", port: motoPort, path: `/_emulator/alb?${query}` }, (res) => {
      res.resume();
      done(res.statusCode === 404 ? undefined : res.statusCode);
    })
    .on("error", () => done(undefined));
}

function forward(
  motoPort: number,
  req: http.IncomingMessage,
  url: URL,
  body: Buffer,
  res: http.ServerResponse,
): void {
  // moto reads S3 bucket names from a virtual-host name; the loopback host makes every request
  // path-style, as the provider sends it (s3_use_path_style).
  let headers: Headers = { ...req.headers, host: `127.0.0.1:${motoPort}` };
  delete headers["proxy-connection"];
  let path = url.pathname + url.search;
  const rpc = rpcv2Operation(path, headers);
  if (rpc) ({ path, headers, body } = toJsonRequest(rpc, headers, body));
  const upstream = http.request(
    { host: "127.0.0.1", port: motoPort, method: req.method, path, headers },
    (up) => {
      const parts: Buffer[] = [];
      up.on("data", (c) => parts.push(c));
      up.on("end", () => {
        let status = up.statusCode ?? 502;
        let outHeaders: Headers = up.headers;
        let outBody: Buffer = Buffer.concat(parts);
        if (rpc) {
          ({
            status,
            headers: outHeaders,
            body: outBody,
          } = toCborResponse(status, outHeaders, outBody));
        } else {
          outHeaders = { ...outHeaders };
          delete outHeaders["transfer-encoding"];
          outHeaders["content-length"] = String(outBody.length);
        }
        res.writeHead(status, outHeaders);
        res.end(outBody);
      });
    },
  );
  upstream.on("error", (error) => {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`moto did not answer: ${error.message}\n`);
  });
  upstream.end(body);
}
