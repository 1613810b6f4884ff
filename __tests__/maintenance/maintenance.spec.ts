import { maintenance } from "../../maintenance/main";
import type { MaintenanceElb, ProductionRule } from "../../maintenance/elb";

/** One region's ALB: its production rule's path condition, or unreachable. */
class FakeElb implements MaintenanceElb {
  paths = ["/*"];
  reachable = true;
  readonly calls: string[] = [];
  constructor(readonly region: string) {}
  async productionRule(loadBalancer: string): Promise<ProductionRule | undefined> {
    this.calls.push(`describe ${loadBalancer}`);
    if (!this.reachable) throw new Error("connect ETIMEDOUT");
    return { listenerPort: 443, ruleArn: `arn:${this.region}:rule`, paths: this.paths };
  }
  async setPaths(ruleArn: string, paths: readonly string[]) {
    this.calls.push(`modify ${ruleArn} ${paths.join(",")}`);
    this.paths = [...paths];
  }
}

async function run(argv: string[], setup: (a: FakeElb, b: FakeElb) => void = () => {}) {
  const a = new FakeElb("us-east-1");
  const b = new FakeElb("us-west-2");
  setup(a, b);
  const lines: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const code = await maintenance(argv, {
    env: {},
    out: {
      line: (l) => lines.push(l),
      warn: (l) => warnings.push(l),
      error: (l) => errors.push(l),
    },
    elb: (region) => (region === "us-east-1" ? a : b),
  });
  return { code, a, b, lines, warnings, errors };
}

describe("npm run maintenance", () => {
  it("on: narrows both regions' production rules to the health path, then reads them back", async () => {
    const { code, a, b, lines, warnings } = await run(["on", "--env", "prod"]);
    expect(code).toBe(0);
    expect(a.paths).toEqual(["/health"]);
    expect(b.paths).toEqual(["/health"]);
    expect(a.calls).toEqual([
      "describe hello-you-prod-use1-alb",
      "modify arn:us-east-1:rule /health",
      "describe hello-you-prod-use1-alb",
    ]);
    expect(b.calls[0]).toBe("describe hello-you-prod-usw2-alb");
    expect(lines).toEqual([
      "us-east-1: maintenance on: hello-you-prod-use1-alb answers 503 to every path but /health",
      "us-west-2: maintenance on: hello-you-prod-usw2-alb answers 503 to every path but /health",
    ]);
    expect(warnings).toEqual([
      "set maintenance.enabled: true in config/environments/prod.ts before the next deploy, or the deploy turns maintenance off again",
    ]);
  });

  it("off: every path again; status reports each region; a repeat changes nothing", async () => {
    const off = await run(["off", "--env", "prod"], (a, b) => {
      a.paths = ["/health"];
      b.paths = ["/health"];
    });
    expect([off.a.paths, off.b.paths]).toEqual([["/*"], ["/*"]]);
    expect(off.warnings).toEqual([]);
    const status = await run(["status", "--env", "prod"], (a) => (a.paths = ["/health"]));
    expect(status.lines).toEqual([
      "us-east-1: maintenance on (hello-you-prod-use1-alb:443)",
      "us-west-2: maintenance off (hello-you-prod-usw2-alb:443)",
    ]);
    const again = await run(["off", "--env", "prod"]);
    expect(again.a.calls.filter((c) => c.startsWith("modify"))).toEqual([]);
    expect(again.lines[0]).toBe("us-east-1: maintenance already off");
  });

  it("goes on in the regions it reaches and fails for the one it does not", async () => {
    const { code, a, b, errors } = await run(["on", "--env", "prod"], (a) => (a.reachable = false));
    expect(code).toBe(1);
    expect(a.calls.filter((c) => c.startsWith("modify"))).toEqual([]);
    expect(b.paths).toEqual(["/health"]);
    expect(errors).toEqual(["us-east-1: connect ETIMEDOUT"]);
  });

  it("refuses a bad command line with the usage", async () => {
    const { code, errors } = await run(["maybe"]);
    expect(code).toBe(2);
    expect(errors[0]).toMatch(/^unexpected argument "maybe"\n\nUsage: npm run maintenance/);
  });
});
