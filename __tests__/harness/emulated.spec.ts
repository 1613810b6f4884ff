import { managedResources, parseArgs, planOutcome } from "../../harness/emulated";

describe("emulated run verdicts", () => {
  const dead = { zone: "us-east-1", service: "rds", operation: "DescribeDBInstances" };

  it("fails a plan that exited 0 but called an unreachable zone, naming the call", () => {
    expect(planOutcome(0, [])).toEqual({ ok: true, problems: [] });
    const outcome = planOutcome(0, [dead, dead]);
    expect(outcome.ok).toBe(false);
    expect(outcome.problems.join()).toContain("us-east-1: rds DescribeDBInstances");
    expect(planOutcome(1, []).ok).toBe(false);
  });

  it("reads a failing terraform state list as an error, never as an empty state", () => {
    expect(managedResources(0, "aws_vpc.a\ndata.aws_region.r\n", "/s")).toEqual(["aws_vpc.a"]);
    expect(managedResources(0, "", "/s")).toEqual([]);
    expect(managedResources(1, "No state file was found!\n", "/s")).toEqual([]);
    expect(() => managedResources(1, "Error: state locked", "/s")).toThrow(
      /state list failed in \/s \(exit 1\)/,
    );
  });
});

describe("plan:emulated and deploy:emulated arguments", () => {
  it("defaults to dev with everything reachable", () => {
    expect(parseArgs(["plan"])).toEqual({ command: "plan", environment: "dev", unreachable: [] });
  });

  it("takes an environment, unreachable zones and a stack list", () => {
    expect(
      parseArgs([
        "plan",
        "prod",
        "--unreachable",
        "us-east-1",
        "--unreachable",
        "route53",
        "--stacks",
        "failover",
      ]),
    ).toEqual({
      command: "plan",
      environment: "prod",
      unreachable: ["us-east-1", "route53"],
      stacks: ["failover"],
    });
  });

  it("rehearses recovery between deploy and destroy when asked", () => {
    expect(parseArgs(["deploy", "dev", "--rehearse"])).toEqual({
      command: "deploy",
      environment: "dev",
      unreachable: [],
      rehearse: true,
    });
  });

  it("rehearses a release after the deploy when asked", () => {
    expect(parseArgs(["deploy", "dev", "--release"])).toMatchObject({ release: true });
  });

  it.each([
    [["apply"], /usage/],
    [["plan", "--release"], /unknown option --release/],
    [["deploy", "dev-without-failover", "--release"], /--release needs an environment/],
    [["plan", "--rehearse"], /unknown option --rehearse/],
    [["deploy", "dev-without-failover", "--rehearse"], /--rehearse needs an environment/],
    [["plan", "--unreachable"], /needs a region/],
    [["plan", "--stacks", ""], /comma-separated/],
    [["deploy", "--unreachable", "us-east-1"], /unknown option --unreachable/],
    [["plan", "--bogus"], /unknown option --bogus/],
  ])("refuses %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});
