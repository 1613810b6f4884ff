import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { FargateService } from "../../constructs/fargate-service";
import {
  FENCE_CHECK_CONTAINER,
  FENCE_START_CHECK_SCRIPT,
  type FenceStartCheckSpec,
} from "../../constructs/fence-start-check";
import { FENCE_PATH } from "../../naming/recovery";
import { configWith, listOf, loadBalancerFixture, synthJson } from "../helpers";

const PARAMETER = "/hello-you/test/dr/fence-location";
const B_ALB = "hello-you-test-b-123.us-west-2.elb.amazonaws.com";

function build(fenceCheck?: Partial<FenceStartCheckSpec>) {
  const config = configWith();
  const { stack, naming, aws, key, network, loadBalancer } = loadBalancerFixture({
    deletionProtection: false,
  });
  const value = new SecretsmanagerSecretVersion(stack, "value", {
    secretId: "db",
    secretString: "{}",
  });
  const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`;
  new FargateService(stack, "svc", {
    naming,
    aws,
    service: config.service,
    scaling: config.scaling,
    network,
    loadBalancer,
    kmsKey: key,
    secrets: {
      databaseUrlValueFrom: `${arn("db")}:url::`,
      secretKeyArn: arn("key"),
      secretArns: [arn("db"), arn("key")],
      valueResources: [value],
    },
    databaseCidrs: network.dataSubnetCidrs,
    fenceCheck: fenceCheck && {
      fenceLocationParameter: PARAMETER,
      fencePath: FENCE_PATH,
      tlsServerName: "api.example.com",
      parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
      ...fenceCheck,
    },
  });
  const json = synthJson(stack);
  const containers = JSON.parse(
    String(listOf(json, "aws_ecs_task_definition")[0].container_definitions),
  ) as Record<string, unknown>[];
  return { json, containers, appName: config.service.name };
}

describe("FargateService with a fence check at task start", () => {
  it("runs the check in the app's image first; the app starts only when it succeeds", () => {
    const { containers, appName } = build({});
    const [check, app] = containers;
    expect(check).toMatchObject({
      name: FENCE_CHECK_CONTAINER,
      essential: false,
      image: app.image,
      entryPoint: ["python3", "-I", "-c"],
      command: [readFileSync(FENCE_START_CHECK_SCRIPT, "utf8")],
      environment: expect.arrayContaining([
        { name: "FENCE_LOCATION_PARAMETER", value: PARAMETER },
        { name: "FENCE_PATH", value: FENCE_PATH },
        { name: "FENCE_PROTOCOL", value: "https:" },
        { name: "FENCE_SERVER_NAME", value: "api.example.com" },
      ]),
    });
    // The region the task runs in, as its logs are sent to.
    const region = (app.logConfiguration as { options: Record<string, string> }).options[
      "awslogs-region"
    ];
    expect(check.environment).toContainEqual({ name: "AWS_REGION", value: region });
    expect(app).toMatchObject({
      name: appName,
      essential: true,
      dependsOn: [{ containerName: FENCE_CHECK_CONTAINER, condition: "SUCCESS" }],
    });
  });

  it("lets the task role read that one parameter, decrypting through SSM only", () => {
    const { json } = build({});
    const policy = listOf(json, "aws_iam_role_policy").find(
      (p) => p.name === "read-where-region-b-fence-is",
    );
    expect(JSON.parse(String(policy?.policy)).Statement).toEqual([
      expect.objectContaining({
        Action: "ssm:GetParameter",
        Resource: expect.stringMatching(new RegExp(`^arn:.*:ssm:.*:parameter${PARAMETER}$`)),
      }),
      expect.objectContaining({
        Action: "kms:Decrypt",
        Resource: "arn:aws:kms:us-east-1:123456789012:key/k",
        Condition: {
          StringEquals: { "kms:ViaService": expect.stringMatching(/^ssm\..+\.amazonaws\.com$/) },
        },
      }),
    ]);
    const [service] = listOf(json, "aws_ecs_service");
    expect(JSON.stringify(service.depends_on)).toContain("fence-check-policy");
  });

  it("opens port 80 outbound only when the fence is read over plain HTTP", () => {
    const http80 = (json: ReturnType<typeof synthJson>) =>
      listOf(json, "aws_vpc_security_group_egress_rule").filter((r) => r.from_port === 80);
    expect(http80(build({}).json)).toHaveLength(0);
    expect(http80(build({ tlsServerName: undefined }).json)).toHaveLength(1);
  });

  it("adds nothing without a fence check (region B, or no failover)", () => {
    const { containers } = build();
    expect(containers).toHaveLength(1);
    expect(containers[0].dependsOn).toBeUndefined();
  });

  it("refuses a parameter name that is not a path", () => {
    expect(() => build({ fenceLocationParameter: "fence-location" })).toThrow(
      /fenceCheck.fenceLocationParameter "fence-location" must be a path starting with "\/"/,
    );
  });
});

/** What the fake endpoints answer, and what they saw. */
interface World {
  parameter?: string;
  fence?: { status: number; body: string };
  ssmCalls: { authorization: string; ok: boolean }[];
  fenceHosts: string[];
}

const SECRET = "test-secret-key";
const TOKEN = "test-session-token";

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Bytes) =>
  typeof data === "string"
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

class Sha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: Bytes) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

/** Recomputes the request's Signature Version 4 with the AWS SDK's signer. */
async function validSignature(req: http.IncomingMessage, body: string): Promise<boolean> {
  const date = String(req.headers["x-amz-date"]);
  const signer = new SignatureV4({
    service: "ssm",
    region: "us-east-1",
    sha256: Sha256,
    // x-amz-content-sha256 is an S3 header; other services sign without it.
    applyChecksum: false,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: SECRET, sessionToken: TOKEN },
  });
  const signed = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      path: "/",
      query: {},
      headers: {
        "content-type": String(req.headers["content-type"]),
        host: String(req.headers.host),
        "x-amz-target": String(req.headers["x-amz-target"]),
      },
      body,
    },
    {
      signingDate: new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      ),
    },
  );
  return signed.headers.authorization === req.headers.authorization;
}

/** One server: region A's SSM at "/", region B's ALB through it as an HTTP proxy. */
async function fakeAws(world: World) {
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      if (req.method === "POST") {
        const ok = await validSignature(req, body);
        world.ssmCalls.push({ authorization: String(req.headers.authorization), ok });
        if (!ok) res.writeHead(403).end('{"__type":"InvalidSignatureException"}');
        else if (world.parameter === undefined)
          res.writeHead(400).end('{"__type":"ParameterNotFound"}');
        else res.writeHead(200).end(JSON.stringify({ Parameter: { Value: world.parameter } }));
        return;
      }
      world.fenceHosts.push(String(req.headers.host));
      const ours = new URL(req.url ?? "", "http://x").pathname === FENCE_PATH;
      if (!ours || !world.fence) res.writeHead(404).end();
      else res.writeHead(world.fence.status).end(world.fence.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Runs the script as the container does; exit code and its one line. */
async function runCheck(world: World, extraEnv: Record<string, string> = {}) {
  const { server, port } = await fakeAws(world);
  try {
    const child = spawn("python3", ["-I", "-c", readFileSync(FENCE_START_CHECK_SCRIPT, "utf8")], {
      env: {
        PATH: process.env.PATH ?? "",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIDTEST",
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_SESSION_TOKEN: TOKEN,
        AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
        http_proxy: `http://127.0.0.1:${port}`,
        FENCE_LOCATION_PARAMETER: PARAMETER,
        FENCE_PATH,
        FENCE_PROTOCOL: "http:",
        FENCE_TIMEOUT_SECONDS: "2",
        ...extraEnv,
      },
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, record: JSON.parse(out.trim().split("\n").at(-1) ?? "{}") };
  } finally {
    server.close();
  }
}

const world = (patch: Partial<World> = {}): World => ({
  parameter: B_ALB,
  fenceHosts: [],
  ssmCalls: [],
  ...patch,
});

describe("the fence check script (constructs/fence-start-check/check.py)", () => {
  it('stops the task (exit 1) when B answers 200 "fenced", asking B\'s ALB by its own name', async () => {
    const w = world({ fence: { status: 200, body: "fenced" } });
    const { code, record } = await runCheck(w);
    expect(code).toBe(1);
    expect(record.fence).toBe("fenced");
    expect(record.decision).toMatch(/^stop: region B is promoted/);
    expect(w.fenceHosts).toEqual([B_ALB]);
    expect(w.ssmCalls).toEqual([expect.objectContaining({ ok: true })]);
  });

  it("signs the SSM call as the AWS SDK does, session token included", async () => {
    const w = world({ fence: { status: 200, body: "open" } });
    await runCheck(w);
    expect(w.ssmCalls).toHaveLength(1);
    expect(w.ssmCalls[0].ok).toBe(true);
    expect(w.ssmCalls[0].authorization).toContain("x-amz-security-token");
  });

  it("takes the task role's credentials from the container endpoint", async () => {
    const creds = http.createServer((req, res) => {
      const authorized = req.headers.authorization === "container-token";
      res
        .writeHead(authorized ? 200 : 401)
        .end(JSON.stringify({ AccessKeyId: "AKIDTEST", SecretAccessKey: SECRET, Token: TOKEN }));
    });
    await new Promise<void>((resolve) => creds.listen(0, "127.0.0.1", resolve));
    try {
      const w = world({ fence: { status: 200, body: "fenced" } });
      const { code } = await runCheck(w, {
        AWS_ACCESS_KEY_ID: "",
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${(creds.address() as AddressInfo).port}/creds`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: "container-token",
      });
      expect(code).toBe(1);
      expect(w.ssmCalls[0].ok).toBe(true);
    } finally {
      creds.close();
    }
  });

  it.each([
    ["open", { status: 200, body: "open" }],
    ["a 503", { status: 503, body: "fenced" }],
    ["a 404 (no fence rule)", undefined],
    ["another word", { status: 200, body: "fenced-ish" }],
  ])("lets the app start (exit 0) on %s", async (_label, fence) => {
    const { code, record } = await runCheck(world({ fence }));
    expect(code).toBe(0);
    expect(record.fence).not.toBe("fenced");
    expect(record.decision).toMatch(/^start:/);
  });

  it("lets the app start when link has not written the fence location yet", async () => {
    const w = world({ parameter: undefined, fence: { status: 200, body: "fenced" } });
    const { code, record } = await runCheck(w);
    expect(code).toBe(0);
    expect(record.seen).toMatch(/not written yet/);
    expect(w.fenceHosts).toEqual([]);
  });

  it("lets the app start when region B cannot be reached", async () => {
    const { code, record } = await runCheck(world({ fence: { status: 200, body: "fenced" } }), {
      http_proxy: "http://127.0.0.1:9",
    });
    expect(code).toBe(0);
    expect(record.fence).toBe("unknown");
  });

  it("lets the app start when SSM refuses the call", async () => {
    const { code, record } = await runCheck(world({ fence: { status: 200, body: "fenced" } }), {
      AWS_SECRET_ACCESS_KEY: "wrong",
    });
    expect(code).toBe(0);
    expect(record.seen).toMatch(/cannot read .* 403/);
  });
});
