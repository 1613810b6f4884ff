import { decode, encode } from "../../../harness/emulator/cbor";
import http from "node:http";
import {
  callZone,
  type EmulatorProxy,
  loadBalancerZone,
  startProxy,
  zoneOf,
} from "../../../harness/emulator/proxy";

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A stand-in for moto that records what reached it and answers with `reply`. */
function fakeMoto(reply: (seen: Seen) => { status: number; body: string }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const s = { path: req.url ?? "", headers: req.headers, body };
      seen.push(s);
      const { status, body: out } = reply(s);
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
      res.end(out);
    });
  });
  return { server, seen };
}

function viaProxy(
  proxy: EmulatorProxy,
  url: string,
  { headers = {}, body = "" }: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: proxy.port,
        method: "POST",
        path: url,
        headers: { host: new URL(url).host, ...headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c) => parts.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const signed = (service: string, region = "us-east-1") => ({
  authorization: `AWS4-HMAC-SHA256 Credential=emulated/20261125/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
});

describe("emulator proxy", () => {
  let moto: ReturnType<typeof fakeMoto>;
  let proxy: EmulatorProxy;
  beforeEach(async () => {
    moto = fakeMoto(() => ({
      status: 200,
      body: JSON.stringify({
        MetricAlarms: [{ AlarmName: "a", StateUpdatedTimestamp: 1795630659.5, Threshold: 1 }],
      }),
    }));
    await new Promise<void>((r) => moto.server.listen(0, "127.0.0.1", r));
    const address = moto.server.address() as { port: number };
    proxy = await startProxy({ motoPort: address.port });
  });
  afterEach(async () => {
    await proxy.close();
    await new Promise((r) => moto.server.close(r));
  });

  it("names the zone from the host, ignoring an account-ID prefix", () => {
    expect(zoneOf("us-east-1.aws.emulator")).toBe("us-east-1");
    expect(zoneOf("123456789012.eu-west-1.aws.emulator:80")).toBe("eu-west-1");
    expect(zoneOf("route53.aws.emulator")).toBe("route53");
    expect(zoneOf("s3.amazonaws.com")).toBeUndefined();
  });

  it("forwards a reachable zone's request to moto unchanged", async () => {
    const res = await viaProxy(proxy, "http://us-east-1.aws.emulator/?Action=DescribeVpcs", {
      headers: signed("ec2"),
      body: "Action=DescribeVpcs",
    });
    expect(res.status).toBe(200);
    expect(moto.seen).toHaveLength(1);
    expect(moto.seen[0].path).toBe("/?Action=DescribeVpcs");
    expect(moto.seen[0].body).toBe("Action=DescribeVpcs");
  });

  it("drops the connection for an unreachable zone and records who called", async () => {
    proxy.unreachable.add("us-east-1");
    await expect(
      viaProxy(proxy, "http://us-east-1.aws.emulator/", {
        headers: { ...signed("rds"), "content-type": "application/x-www-form-urlencoded" },
        body: "Action=DescribeDBInstances&Version=2014-10-31",
      }),
    ).rejects.toThrow();
    expect(moto.seen).toHaveLength(0);
    expect(proxy.refused).toEqual([
      { zone: "us-east-1", service: "rds", operation: "DescribeDBInstances" },
    ]);
    // Other zones keep answering.
    expect(
      (
        await viaProxy(proxy, "http://us-west-2.aws.emulator/", {
          headers: signed("ec2", "us-west-2"),
        })
      ).status,
    ).toBe(200);
  });

  it("fails an injected call while it is listed, and only that call", async () => {
    proxy.faults.push({ service: "secretsmanager", operation: "PutSecretValue" });
    const call = (operation: string) =>
      viaProxy(proxy, "http://us-west-2.aws.emulator/", {
        headers: {
          ...signed("secretsmanager", "us-west-2"),
          "x-amz-target": `secretsmanager.${operation}`,
        },
        body: "{}",
      });
    await expect(call("PutSecretValue")).rejects.toThrow();
    expect((await call("GetSecretValue")).status).toBe(200);
    expect(proxy.injected).toEqual([
      { zone: "us-west-2", service: "secretsmanager", operation: "PutSecretValue" },
    ]);
    expect(proxy.refused).toEqual([]);
    proxy.faults.length = 0;
    expect((await call("PutSecretValue")).status).toBe(200);
  });

  it("loses the reply of an injected lose-reply call after moto carried it out", async () => {
    proxy.faults.push({
      service: "secretsmanager",
      operation: "PutSecretValue",
      mode: "lose-reply",
    });
    const call = () =>
      viaProxy(proxy, "http://us-west-2.aws.emulator/", {
        headers: {
          ...signed("secretsmanager", "us-west-2"),
          "x-amz-target": "secretsmanager.PutSecretValue",
        },
        body: "{}",
      });
    await expect(call()).rejects.toThrow();
    expect(moto.seen).toHaveLength(1);
    expect(proxy.forwarded.get("secretsmanager PutSecretValue")).toBe(1);
    expect(proxy.injected).toHaveLength(1);
  });

  it("names a load balancer's region from its DNS name, and no other host's", () => {
    expect(loadBalancerZone("hello-you-dev-alb-1.us-east-1.elb.amazonaws.com")).toBe("us-east-1");
    expect(loadBalancerZone("x-1.eu-west-2.elb.amazonaws.com:80")).toBe("eu-west-2");
    expect(loadBalancerZone("us-east-1.aws.emulator")).toBeUndefined();
  });

  it("answers a load balancer's name with what moto's ALB answers, and nothing when its region is down", async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get(
            {
              host: "127.0.0.1",
              port: proxy.port,
              path: "http://lb-1.us-east-1.elb.amazonaws.com:80/health",
              headers: { host },
            },
            (res) => (res.resume(), resolve(res.statusCode ?? 0)),
          )
          .on("error", reject);
      });
    expect(await get("api.example.com")).toBe(200);
    expect(moto.seen.at(-1)?.path).toBe(
      "/_emulator/alb?dns=lb-1.us-east-1.elb.amazonaws.com&host=api.example.com&path=%2Fhealth&port=80",
    );
    proxy.unreachable.add("us-east-1");
    await expect(get("api.example.com")).rejects.toThrow();
    expect(proxy.albRequests).toEqual([
      { zone: "us-east-1", host: "api.example.com", path: "/health", status: 200 },
      { zone: "us-east-1", host: "api.example.com", path: "/health" },
    ]);
    expect(proxy.refused).toEqual([]);
  });

  it("sends a call signed for another region to that region, as AWS would", async () => {
    expect(callZone("us-west-2", signed("rds", "us-east-1").authorization)).toBe("us-east-1");
    expect(callZone("us-west-2", signed("rds", "us-west-2").authorization)).toBe("us-west-2");
    expect(callZone("us-west-2", undefined)).toBe("us-west-2");
    // Global services sign for us-east-1 whatever: they keep their own zone.
    expect(callZone("iam", signed("iam", "us-east-1").authorization)).toBe("iam");
    expect(callZone("route53", signed("route53", "us-east-1").authorization)).toBe("route53");

    proxy.unreachable.add("us-east-1");
    await expect(
      viaProxy(proxy, "http://us-west-2.aws.emulator/", {
        headers: {
          ...signed("rds", "us-east-1"),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "Action=DescribeDBInstances&Version=2014-10-31",
      }),
    ).rejects.toThrow();
    expect(proxy.refused).toEqual([
      { zone: "us-east-1", service: "rds", operation: "DescribeDBInstances" },
    ]);
  });

  it("refuses hosts outside the emulator's domain", async () => {
    const res = await viaProxy(proxy, "http://example.com/");
    expect(res.status).toBe(502);
    expect(moto.seen).toHaveLength(0);
  });

  it("translates RPC v2 CBOR to awsJson for moto, and the answer back, timestamps as CBOR tag 1", async () => {
    const res = await viaProxy(
      proxy,
      "http://us-east-1.aws.emulator/service/GraniteServiceVersion20100801/operation/DescribeAlarms",
      {
        headers: {
          ...signed("monitoring"),
          "smithy-protocol": "rpc-v2-cbor",
          "content-type": "application/cbor",
        },
        body: encode({ AlarmNames: ["a"], MaxRecords: 10 }),
      },
    );
    expect(moto.seen[0].path).toBe("/");
    expect(moto.seen[0].headers["x-amz-target"]).toBe(
      "GraniteServiceVersion20100801.DescribeAlarms",
    );
    expect(moto.seen[0].headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(JSON.parse(moto.seen[0].body)).toEqual({ AlarmNames: ["a"], MaxRecords: 10 });
    expect(res.headers["smithy-protocol"]).toBe("rpc-v2-cbor");
    expect(res.headers["content-type"]).toBe("application/cbor");
    // Raw bytes: tag 1 (0xc1) precedes the timestamp's float.
    expect(res.body.includes(Buffer.from([0xc1, 0xfb]))).toBe(true);
    const alarm = (decode(res.body) as { MetricAlarms: Record<string, unknown>[] }).MetricAlarms[0];
    expect(alarm.StateUpdatedTimestamp).toEqual(new Date(1795630659500));
    expect(alarm.Threshold).toBe(1);
  });
});
