import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { FENCE_PATH } from "../../naming/recovery";

// The handler is shipped as plain JavaScript (constructs/fence-enforcer/): no build step.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const handler = require("../../constructs/fence-enforcer/index.js") as {
  enforce(env: Record<string, string>, deps: Deps): Promise<EnforceRecord>;
  get(request: GetRequest): Promise<{ status: number; body: string }>;
};

interface GetRequest {
  protocol: "http:" | "https:";
  host: string;
  port?: number;
  path: string;
  serverName?: string;
  timeoutMs: number;
}
interface EnforceRecord {
  fence: string;
  seen: string;
  actions: string[];
}
interface Command {
  readonly input: Record<string, unknown>;
}
interface Client {
  send(command: Command): Promise<unknown>;
}
interface Deps {
  ssm: Client;
  ecs: Client;
  autoscaling: Client;
  commands: Record<string, unknown>;
  fetch(request: GetRequest): Promise<{ status: number; body: string }>;
  log(line: string): void;
}

const ENV = {
  FENCE_LOCATION_PARAMETER: "/hello-you/dev/dr/fence-location",
  FENCE_PATH,
  FENCE_PROTOCOL: "https:",
  FENCE_SERVER_NAME: "api.example.com",
  CLUSTER_NAME: "hello-you-dev-use1-hello-you",
  SERVICE_NAME: "hello-you-dev-use1-hello-you",
};
const B_ALB = "b-alb-123.us-west-2.elb.amazonaws.com";

/** Region A's APIs as the function sees them: what it called, and a service it can change. */
function fakeRegionA(opts: { min?: number; max?: number; desired?: number; parameter?: string }) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const state = { min: opts.min ?? 1, max: opts.max ?? 6, desired: opts.desired ?? 2 };
  const client: Client = {
    async send(command) {
      const name = command.constructor.name;
      calls.push({ name, input: command.input });
      switch (name) {
        case "GetParameterCommand":
          if (opts.parameter === undefined) {
            throw Object.assign(new Error("parameter not found"), { name: "ParameterNotFound" });
          }
          return { Parameter: { Value: opts.parameter } };
        case "DescribeScalableTargetsCommand":
          return { ScalableTargets: [{ MinCapacity: state.min, MaxCapacity: state.max }] };
        case "RegisterScalableTargetCommand":
          state.min = command.input.MinCapacity as number;
          state.max = command.input.MaxCapacity as number;
          return {};
        case "DescribeServicesCommand":
          return {
            services: [
              { status: "ACTIVE", desiredCount: state.desired, runningCount: state.desired },
            ],
          };
        case "UpdateServiceCommand":
          state.desired = command.input.desiredCount as number;
          return {};
        default:
          throw new Error(`unexpected call ${name}`);
      }
    },
  };
  return { client, calls, state };
}

const commands = {
  GetParameterCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
};

async function run(
  fence: () => Promise<{ status: number; body: string }>,
  region: Parameters<typeof fakeRegionA>[0] = { parameter: B_ALB },
) {
  const a = fakeRegionA(region);
  const fetched: GetRequest[] = [];
  const logs: string[] = [];
  const record = await handler.enforce(ENV, {
    ssm: a.client,
    ecs: a.client,
    autoscaling: a.client,
    commands,
    fetch: (request) => {
      fetched.push(request);
      return fence();
    },
    log: (line) => logs.push(line),
  });
  const writes = a.calls.filter((c) => /^(Register|Update)/.test(c.name));
  return { record, a, fetched, logs, writes };
}

describe("fence enforcer handler", () => {
  it("reads B's fence at B's ALB, as the service's TLS name, the fence path", async () => {
    const { fetched, a } = await run(async () => ({ status: 200, body: "open" }));
    expect(a.calls[0]).toEqual({
      name: "GetParameterCommand",
      input: { Name: ENV.FENCE_LOCATION_PARAMETER, WithDecryption: true },
    });
    expect(fetched).toEqual([
      expect.objectContaining({
        protocol: "https:",
        host: B_ALB,
        path: FENCE_PATH,
        serverName: "api.example.com",
      }),
    ]);
  });

  it("when fenced, sets A's scaling bounds to 0..0 and its desired count to 0, and logs it", async () => {
    const { record, a, writes, logs } = await run(async () => ({ status: 200, body: "fenced\n" }));
    expect(writes).toEqual([
      {
        name: "RegisterScalableTargetCommand",
        input: {
          ServiceNamespace: "ecs",
          ResourceId: `service/${ENV.CLUSTER_NAME}/${ENV.SERVICE_NAME}`,
          ScalableDimension: "ecs:service:DesiredCount",
          MinCapacity: 0,
          MaxCapacity: 0,
        },
      },
      {
        name: "UpdateServiceCommand",
        input: { cluster: ENV.CLUSTER_NAME, service: ENV.SERVICE_NAME, desiredCount: 0 },
      },
    ]);
    expect(a.state).toEqual({ min: 0, max: 0, desired: 0 });
    expect(record.actions).toEqual([
      "scaling bounds 1..6 -> 0..0",
      "desired count 2 -> 0 (2 running)",
    ]);
    expect(JSON.parse(logs[0])).toMatchObject({ fence: "fenced", actions: record.actions });
  });

  it("when fenced and already at zero, changes nothing", async () => {
    const { writes, record } = await run(async () => ({ status: 200, body: "fenced" }), {
      parameter: B_ALB,
      min: 0,
      max: 0,
      desired: 0,
    });
    expect(writes).toEqual([]);
    expect(record.actions).toEqual(["already at zero"]);
  });

  it.each([
    ["open", async () => ({ status: 200, body: "open" }), "open"],
    ["a 503 that says fenced", async () => ({ status: 503, body: "fenced" }), "unknown"],
    ["a 404 (no fence rule)", async () => ({ status: 404, body: "" }), "unknown"],
    ["another word", async () => ({ status: 200, body: "fenced-not" }), "unknown"],
    [
      "B unreachable",
      async () => {
        throw new Error("connect ETIMEDOUT");
      },
      "unknown",
    ],
  ])("does nothing to A's service on %s", async (_what, fence, state) => {
    const { writes, record, a } = await run(fence);
    expect(record.fence).toBe(state);
    expect(writes).toEqual([]);
    // Not even a read of A's service: only a fenced answer leads there.
    expect(a.calls.map((c) => c.name)).toEqual(["GetParameterCommand"]);
  });

  it("does nothing while the fence's location is unknown (link not applied yet)", async () => {
    const fence = jest.fn();
    const { writes, record } = await run(fence, {});
    expect(fence).not.toHaveBeenCalled();
    expect(writes).toEqual([]);
    expect(record.seen).toContain("ParameterNotFound");
  });

  it("refuses to run without its settings", async () => {
    const a = fakeRegionA({ parameter: B_ALB });
    const deps = { ssm: a.client, ecs: a.client, autoscaling: a.client, commands };
    await expect(
      handler.enforce({ ...ENV, SERVICE_NAME: "" }, { ...deps, fetch: jest.fn(), log: jest.fn() }),
    ).rejects.toThrow("missing environment variables: SERVICE_NAME");
    await expect(
      handler.enforce(
        { ...ENV, FENCE_SERVER_NAME: "" },
        { ...deps, fetch: jest.fn(), log: jest.fn() },
      ),
    ).rejects.toThrow("FENCE_SERVER_NAME is needed with https:");
  });
});

describe("fence enforcer handler's GET", () => {
  let server: http.Server;
  let port: number;
  const seen: { host?: string; url?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ host: req.headers.host, url: req.url });
      res.writeHead(200, { "content-type": "text/plain" }).end("fenced");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("reads status and body, addressed to the ALB's own name", async () => {
    await expect(
      handler.get({
        protocol: "http:",
        host: "127.0.0.1",
        port,
        path: FENCE_PATH,
        timeoutMs: 2000,
      }),
    ).resolves.toEqual({ status: 200, body: "fenced" });
    expect(seen.at(-1)).toEqual({ host: "127.0.0.1", url: FENCE_PATH });
  });

  it("fails when nothing listens, which the handler counts as unknown", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      handler.get({
        protocol: "http:",
        host: "127.0.0.1",
        port: closedPort,
        path: FENCE_PATH,
        timeoutMs: 2000,
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
