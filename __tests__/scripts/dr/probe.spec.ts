import http from "node:http";
import { nodeStatusOf, probe } from "../../../scripts/dr/probe";
import { FakeClock } from "./fake-region";

describe("probe", () => {
  it("is up as soon as a try answers 2xx", async () => {
    const answers = [new Error("ECONNRESET"), 204];
    const statusOf = jest.fn(async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next ?? 500;
    });
    const result = await probe("http://a/health", { statusOf, clock: new FakeClock() });
    expect(result).toEqual({ up: true, detail: "http://a/health answered 204" });
    expect(statusOf).toHaveBeenCalledTimes(2);
  });

  it("is down after 3 tries without 2xx, saying what each gave", async () => {
    const answers: (number | Error)[] = [503, new Error("no answer within 5000 ms"), 302];
    const statusOf = async () => {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next ?? 0;
    };
    expect(await probe("http://a/health", { statusOf, clock: new FakeClock() })).toEqual({
      up: false,
      detail: "http://a/health gave no 2xx in 3 tries (503; no answer within 5000 ms; 302)",
    });
  });
});

describe("nodeStatusOf", () => {
  let server: http.Server;
  let port: number;
  const seen: { url?: string; host?: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, host: req.headers.host });
      res.writeHead(req.url?.endsWith("/slow") ? 200 : 503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("returns the status code of a plain GET", async () => {
    expect(await nodeStatusOf()(`http://127.0.0.1:${port}/health`, 2000)).toBe(503);
    expect(seen.at(-1)).toEqual({ url: "/health", host: `127.0.0.1:${port}` });
  });

  it("goes through the emulator's proxy in absolute form", async () => {
    const statusOf = nodeStatusOf(`http://127.0.0.1:${port}`);
    expect(await statusOf("https://a-alb.us-east-1.elb.amazonaws.com/health", 2000)).toBe(503);
    expect(seen.at(-1)).toEqual({
      url: "https://a-alb.us-east-1.elb.amazonaws.com/health",
      host: "a-alb.us-east-1.elb.amazonaws.com",
    });
  });

  it("rejects when nothing listens", async () => {
    await expect(nodeStatusOf()("http://127.0.0.1:1/health", 2000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
