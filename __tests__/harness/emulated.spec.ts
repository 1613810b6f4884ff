import { parseArgs } from "../../harness/emulated";

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
