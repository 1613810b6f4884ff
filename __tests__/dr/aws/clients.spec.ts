import { mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import {
  ENDPOINT_VARIABLE,
  ForwardProxyHandler,
  PROXY_VARIABLE,
  clientSettings,
  createClients,
  regionalCredentials,
} from "../../../dr/aws/clients";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

describe("createClients", () => {
  it("builds every client for region B, and nothing for region A", async () => {
    const clients = createClients("us-west-2", {});
    const regions = await Promise.all(Object.values(clients).map((c) => c.config.region()));
    expect(Object.keys(clients).sort()).toEqual(
      [
        "autoScaling",
        "cloudWatch",
        "ec2",
        "ecr",
        "ecs",
        "elb",
        "logs",
        "rds",
        "secrets",
        "ssm",
      ].sort(),
    );
    expect(new Set(regions)).toEqual(new Set(["us-west-2"]));
  });

  it("points every client at the emulator endpoint of region B", async () => {
    const clients = createClients("us-west-2", {
      [ENDPOINT_VARIABLE]: "http://{region}.aws.emulator",
    });
    for (const client of Object.values(clients)) {
      const endpoint = await client.config.endpoint?.();
      expect(endpoint?.hostname).toBe("us-west-2.aws.emulator");
      expect(endpoint?.protocol).toBe("http:");
    }
  });
});

describe("regionalCredentials", () => {
  /** Records where each request was going, and answers none: no STS is reached. */
  class Recorder extends NodeHttpHandler {
    readonly hosts: string[] = [];
    override handle(request: Parameters<NodeHttpHandler["handle"]>[0]) {
      this.hosts.push(request.hostname);
      return Promise.reject(new Error("recorded, not sent"));
    }
  }
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("assumes a profile's role through region B's STS, though the profile names region A", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dr-sts-"));
    writeFileSync(
      join(dir, "config"),
      [
        "[profile dr]",
        "role_arn = arn:aws:iam::123456789012:role/hello-you-prod-usw2-dr-operator",
        "source_profile = break-glass",
        "region = us-east-1",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "credentials"),
      [
        "[break-glass]",
        "aws_access_key_id = AKIDEXAMPLE",
        "aws_secret_access_key = secret",
        "",
      ].join("\n"),
    );
    for (const key of Object.keys(process.env)) {
      if (key.startsWith("AWS_")) delete process.env[key];
    }
    Object.assign(process.env, {
      AWS_CONFIG_FILE: join(dir, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      AWS_PROFILE: "dr",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    const recorder = new Recorder();
    const provider = regionalCredentials({ region: "us-west-2", requestHandler: recorder });
    await expect(provider()).rejects.toThrow();
    expect(recorder.hosts).toEqual(["sts.us-west-2.amazonaws.com"]);
  });
});

describe("clientSettings", () => {
  it("uses the SDK's own endpoints and handler without the variables", () => {
    expect(clientSettings("eu-west-1", {})).toEqual({ region: "eu-west-1", endpoint: undefined });
  });

  it("refuses a proxy without an http endpoint template, saying what to set", () => {
    expect(() => clientSettings("us-west-2", { [PROXY_VARIABLE]: "http://127.0.0.1:1" })).toThrow(
      `${PROXY_VARIABLE} is set without ${ENDPOINT_VARIABLE}`,
    );
  });

  it("refuses a proxy that is not an http:// URL", () => {
    expect(() =>
      clientSettings("us-west-2", {
        [ENDPOINT_VARIABLE]: "http://{region}.aws.emulator",
        [PROXY_VARIABLE]: "socks5://127.0.0.1:1",
      }),
    ).toThrow(`${PROXY_VARIABLE}: "socks5://127.0.0.1:1" is not an http:// proxy URL`);
  });

  it("refuses an endpoint template that gives no URL", () => {
    expect(() =>
      clientSettings("us-west-2", { [ENDPOINT_VARIABLE]: "{region}.aws.emulator" }),
    ).toThrow(`${ENDPOINT_VARIABLE}: "{region}.aws.emulator" does not give a URL`);
  });
});

describe("ForwardProxyHandler", () => {
  let server: http.Server;
  let port: number;
  const seen: { url?: string; host?: string; authorization?: string }[] = [];

  beforeAll(async () => {
    // Stands in for harness/emulator/proxy.ts: records the request line and answers for SSM.
    server = http.createServer((req, res) => {
      seen.push({ url: req.url, host: req.headers.host, authorization: req.headers.authorization });
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify({ Parameter: { Name: "/p", Value: "a-alb.example" } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the request to the proxy in absolute form, with the Host it was signed for", async () => {
    const { ssm } = createClients("us-west-2", {
      [ENDPOINT_VARIABLE]: "http://{region}.aws.emulator",
      [PROXY_VARIABLE]: `http://127.0.0.1:${port}`,
    });
    ssm.config.credentials = async () => credentials;
    const out = await ssm.send(new GetParameterCommand({ Name: "/p" }));
    expect(out.Parameter?.Value).toBe("a-alb.example");
    expect(seen.at(-1)?.url).toBe("http://us-west-2.aws.emulator/");
    expect(seen.at(-1)?.host).toBe("us-west-2.aws.emulator");
    expect(seen.at(-1)?.authorization).toContain("/us-west-2/ssm/aws4_request");
  });

  it("refuses an https request: a plain proxy cannot carry it", () => {
    const handler = new ForwardProxyHandler(new URL(`http://127.0.0.1:${port}`));
    const request = { protocol: "https:", hostname: "ssm.us-west-2.amazonaws.com", path: "/" };
    expect(() => handler.handle(request as Parameters<typeof handler.handle>[0])).toThrow(
      "the proxy carries plain HTTP only",
    );
  });
});
