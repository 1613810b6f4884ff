import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { loadConfig } from "../../../config";
import {
  type ProbeRequest,
  type ProbeTarget,
  curlProbe,
  nodeSend,
  nodeStatusOf,
  probe,
  probeRequest,
  regionAProbe,
} from "../../../dr/promote/probe";
import { FakeClock } from "../fake-region";

const ALB = "a-alb-456.us-east-1.elb.amazonaws.com";
const prodTarget = regionAProbe(loadConfig("prod"), ALB);
const devTarget = regionAProbe(loadConfig("dev"), ALB);

describe("regionAProbe", () => {
  it("connects to A's ALB and speaks HTTPS as the service's name with a DNS zone (prod)", () => {
    expect(prodTarget).toEqual({
      connectTo: ALB,
      protocol: "https:",
      serverName: "api.example.com",
      path: "/health",
    });
  });

  it("speaks plain HTTP to the ALB's own name without one (dev: A serves HTTP only)", () => {
    expect(devTarget).toEqual({
      connectTo: ALB,
      protocol: "http:",
      serverName: ALB,
      path: "/health",
    });
  });

  it("gives the operator the same question as a curl that verifies the certificate", () => {
    expect(curlProbe(prodTarget)).toBe(
      `curl -sS -o /dev/null -w '%{http_code}\\n' --max-time 5 --connect-to api.example.com:443:${ALB}:443 https://api.example.com/health`,
    );
    expect(curlProbe(prodTarget)).not.toMatch(/ -k\b|--insecure/);
    expect(curlProbe(devTarget)).toBe(
      `curl -sS -o /dev/null -w '%{http_code}\\n' --max-time 5 http://${ALB}/health`,
    );
  });
});

describe("probeRequest", () => {
  it("with a DNS zone: SNI, Host and certificate check all use the service's name, on A's ALB", () => {
    expect(probeRequest(prodTarget, 5000)).toEqual({
      protocol: "https:",
      host: ALB,
      port: 443,
      path: "/health",
      headers: { host: "api.example.com" },
      servername: "api.example.com",
      rejectUnauthorized: true,
      timeout: 5000,
    });
  });

  it("without one: plain HTTP to the ALB, addressed to the ALB's own name", () => {
    const request = probeRequest(devTarget, 5000);
    expect(request).toEqual({
      protocol: "http:",
      host: ALB,
      port: 80,
      path: "/health",
      headers: { host: ALB },
      timeout: 5000,
    });
  });

  it("through the emulator's proxy: plain HTTP in absolute form to the ALB, as the service (no TLS there)", () => {
    expect(probeRequest(prodTarget, 2000, "http://127.0.0.1:45678")).toEqual({
      protocol: "http:",
      host: "127.0.0.1",
      port: 45678,
      path: `http://${ALB}:443/health`,
      headers: { host: prodTarget.serverName },
      timeout: 2000,
    });
  });

  it("is what nodeStatusOf hands to the request function", async () => {
    const sent: ProbeRequest[] = [];
    const statusOf = nodeStatusOf(undefined, async (request) => (sent.push(request), 204));
    expect(await statusOf(prodTarget, 1234)).toBe(204);
    expect(sent).toEqual([probeRequest(prodTarget, 1234)]);
    const viaProxy = nodeStatusOf("http://127.0.0.1:9", async (request) => (sent.push(request), 0));
    await viaProxy(prodTarget, 1234);
    expect(sent[1]).toEqual(probeRequest(prodTarget, 1234, "http://127.0.0.1:9"));
  });
});

describe("probe", () => {
  it("is up as soon as a try answers 2xx, naming the service and the ALB", async () => {
    const answers = [new Error("ECONNRESET"), 204];
    const statusOf = jest.fn(async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next ?? 500;
    });
    const result = await probe(prodTarget, { statusOf, clock: new FakeClock() });
    expect(result).toEqual({
      up: true,
      detail: `https://api.example.com/health at ${ALB} answered 204`,
    });
    expect(statusOf).toHaveBeenCalledTimes(2);
    expect(statusOf).toHaveBeenCalledWith(prodTarget, 5000);
  });

  it("is down after 3 tries without 2xx, saying what each gave", async () => {
    const answers: (number | Error)[] = [503, new Error("no answer within 5000 ms"), 302];
    const statusOf = async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next ?? 0;
    };
    expect(await probe(devTarget, { statusOf, clock: new FakeClock() })).toEqual({
      up: false,
      detail: `http://${ALB}/health gave no 2xx in 3 tries (503; no answer within 5000 ms; 302)`,
    });
  });
});

describe("nodeSend over plain HTTP", () => {
  let server: http.Server;
  let port: number;
  const seen: { url?: string; host?: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, host: req.headers.host });
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The request probeRequest builds, sent to the local server instead of A's ALB. */
  const local = (request: ProbeRequest) => nodeSend({ ...request, host: "127.0.0.1", port });

  it("returns the status code, addressed to the ALB's own name", async () => {
    const statusOf = nodeStatusOf(undefined, local);
    expect(await statusOf(devTarget, 2000)).toBe(503);
    expect(seen.at(-1)).toEqual({ url: "/health", host: ALB });
  });

  it("goes through the emulator's proxy in absolute form", async () => {
    const statusOf = nodeStatusOf(`http://127.0.0.1:${port}`);
    expect(await statusOf(prodTarget, 2000)).toBe(503);
    expect(seen.at(-1)).toEqual({ url: `http://${ALB}:443/health`, host: prodTarget.serverName });
  });

  it("rejects when nothing listens", async () => {
    const refused = (request: ProbeRequest) => nodeSend({ ...request, host: "127.0.0.1", port: 1 });
    await expect(nodeStatusOf(undefined, refused)(devTarget, 2000)).rejects.toThrow(/ECONNREFUSED/);
  });
});

/**
 * Real TLS against local servers: a test CA signs one certificate for api.example.com and one
 * for another name. The request connects to 127.0.0.1 (standing in for A's ALB, a name no
 * certificate carries), so an answer proves the certificate was checked against the service's
 * name, and a refusal proves it was checked at all.
 */
describe("nodeSend over HTTPS", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "dr-probe-tls-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const servers: https.Server[] = [];
  const seen: { sni?: string | false | null; host?: string }[] = [];
  let ca: string;

  /** A key and a certificate for `name`, signed by the test CA. */
  function certificate(name: string) {
    writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=DNS:${name}\n`);
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${name}`,
    );
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-out",
      `${name}.crt`,
      "-extfile",
      `${name}.ext`,
    );
    const read = (file: string) => readFileSync(path.join(dir, file), "utf8");
    return { key: read(`${name}.key`), cert: read(`${name}.crt`) };
  }

  async function serve(name: string): Promise<number> {
    const server = https.createServer(certificate(name), (req, res) => {
      seen.push({ sni: (req.socket as TLSSocket).servername, host: req.headers.host });
      res.writeHead(200).end("ok");
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as { port: number }).port;
  }

  let good: number;
  let wrong: number;
  beforeAll(async () => {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-subj",
      "/CN=dr probe test CA",
      "-days",
      "2",
    );
    ca = readFileSync(path.join(dir, "ca.crt"), "utf8");
    good = await serve("api.example.com");
    wrong = await serve("other.example.com");
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  const service: ProbeTarget = {
    connectTo: "127.0.0.1",
    protocol: "https:",
    serverName: "api.example.com",
    path: "/health",
  };
  /** The request probeRequest builds, sent to a local port, trusting the test CA if asked. */
  const to =
    (port: number, trust = true) =>
    (request: ProbeRequest) =>
      nodeSend(Object.assign({ ...request, port }, trust ? { ca } : {}));

  it("answers when the certificate is valid for the service's name, sending it as SNI and Host", async () => {
    expect(await nodeStatusOf(undefined, to(good))(service, 2000)).toBe(200);
    expect(seen.at(-1)).toEqual({ sni: "api.example.com", host: "api.example.com" });
  });

  it("refuses a certificate for another name, though the connection itself succeeds", async () => {
    await expect(nodeStatusOf(undefined, to(wrong))(service, 2000)).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
  });

  it("refuses a certificate from an authority it does not trust", async () => {
    await expect(nodeStatusOf(undefined, to(good, false))(service, 2000)).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/),
    });
  });
});
