import http from "node:http";
import type { AddressInfo } from "node:net";
import { ENDPOINT_VARIABLE } from "../../../dr/aws/clients";
import { sdkRegionA } from "../../../dr/aws/region-a";

// Region A's RDS API played by a local server: the reader must give an answer, never hang.
let server: http.Server;
let answer: (res: http.ServerResponse) => void;
let endpoint: string;
const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "s" });
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  process.env = saved;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const xml = (body: string) => (res: http.ServerResponse) =>
  res.writeHead(200, { "content-type": "text/xml" }).end(body);

const reader = (timeoutMs = 2000) =>
  sdkRegionA("us-east-1", { [ENDPOINT_VARIABLE]: endpoint }, timeoutMs);

describe("region A's RDS API, read-only and bounded", () => {
  it("gives the writer's status when the API answers", async () => {
    answer = xml(
      `<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance><DBInstanceIdentifier>a-db</DBInstanceIdentifier><DBInstanceStatus>upgrading</DBInstanceStatus></DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>`,
    );
    await expect(reader().writer("a-db")).resolves.toEqual({ answered: true, status: "upgrading" });
  });

  it("says the API answered with no such instance", async () => {
    answer = (res) =>
      res
        .writeHead(404, { "content-type": "text/xml" })
        .end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>DBInstanceNotFound</Code><Message>gone</Message></Error></ErrorResponse>`,
        );
    await expect(reader().writer("a-db")).resolves.toEqual({ answered: true });
  });

  it("counts silence as no answer after its timeout, without retrying", async () => {
    let requests = 0;
    answer = () => {
      requests += 1; // never responds
    };
    const started = Date.now();
    const view = await reader(300).writer("a-db");
    expect(view).toEqual({ answered: false, reason: "no answer within 0.3 s" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(requests).toBe(1);
  });

  it("counts an error answer as no answer, with its reason", async () => {
    answer = (res) => res.writeHead(503).end("unavailable");
    const view = await reader().writer("a-db");
    expect(view.answered).toBe(false);
  });
});
