import { loadConfig } from "../../config";
import { deployArguments, migrationRegion, release } from "../../release/main";
import { serviceNames } from "../../naming/traffic";
import { FakeClock } from "../dr/fake-region";
import { FakeReleaseRegion } from "./fake-release";

const DIGEST = `sha256:${"a".repeat(64)}`;
const IMAGE = `ghcr.io/diogo-pessoa/hello-you-api/hello-you-api@${DIGEST}`;
const OLD_IMAGE = `ghcr.io/diogo-pessoa/hello-you-api/hello-you-api@sha256:${"b".repeat(64)}`;

function run(
  argv: string[],
  setup: (regions: Record<string, FakeReleaseRegion>) => void = () => {},
  deployExit = 0,
) {
  const calls: string[] = [];
  const regions: Record<string, FakeReleaseRegion> = {
    "us-east-1": new FakeReleaseRegion("us-east-1", calls),
    "us-west-2": new FakeReleaseRegion("us-west-2", calls),
  };
  const config = loadConfig("prod", { IMAGE_DIGEST: DIGEST });
  for (const region of Object.keys(regions))
    regions[region].deploy(serviceNames(config, region), OLD_IMAGE);
  setup(regions);
  const lines: string[] = [];
  const errors: string[] = [];
  const deploys: { args: string[]; env: Record<string, string | undefined> }[] = [];
  const done = release(argv, {
    env: { IMAGE_DIGEST: DIGEST },
    out: { line: (l) => lines.push(l), warn: (l) => lines.push(l), error: (l) => errors.push(l) },
    aws: (region) => {
      calls.push(`client ${region}`);
      return regions[region];
    },
    cdktf: async (args, env) => {
      calls.push(`cdktf ${args.join(" ")}`);
      deploys.push({ args, env });
      return deployExit;
    },
    clock: new FakeClock(),
  });
  return done.then((code) => ({ code, calls, regions, lines, errors, deploys }));
}

describe("npm run release", () => {
  it("migrates once in region A with the release's image, waits for exit 0, then deploys", async () => {
    const { code, calls, regions, lines, deploys } = await run(["--env", "prod"]);
    expect(code).toBe(0);
    expect(calls).toEqual([
      "client us-east-1",
      "placement us-east-1",
      "latestRevision us-east-1",
      `registerWithImage us-east-1 ${IMAGE}`,
      expect.stringMatching(
        /^runTask us-east-1 arn:aws:ecs:us-east-1:123456789012:task-definition\/hello-you-prod-use1-hello-you:8$/,
      ),
      "describeTask us-east-1",
      "describeTask us-east-1",
      "logLines us-east-1 /ecs/hello-you-prod-use1-hello-you hello-you/hello-you/0123456789abcdef",
      "cdktf deploy primary failover link",
    ]);
    const [started] = regions["us-east-1"].started;
    expect(started.command).toEqual(["flask", "db", "upgrade"]);
    // The service's own subnets and security group: the path to the database the tasks use.
    expect(started.placement).toMatchObject({
      subnets: ["subnet-app-a", "subnet-app-b"],
      securityGroups: ["sg-service"],
    });
    expect(regions["us-west-2"].started).toEqual([]);
    expect(lines).toContain("  | INFO  [alembic] Running upgrade -> c289862b2da7");
    expect(lines).toContain("Migration exited 0");
    expect(lines.join("\n")).toMatch(
      /region B \(us-west-2\) never does: its database is a replica/,
    );
    expect(deploys[0].env).toMatchObject({ DEPLOY_ENV: "prod", IMAGE_DIGEST: DIGEST });
  });

  it("stops on a failing migration before any service changes, showing its exit code and log", async () => {
    const { code, calls, lines, errors } = await run(["--env", "prod"], (r) => {
      r["us-east-1"].script = {
        pollsToStop: 3,
        exitCode: 1,
        log: ["sqlalchemy.exc.ProgrammingError: column exists"],
      };
    });
    expect(code).toBe(1);
    expect(calls.some((c) => c.startsWith("cdktf"))).toBe(false);
    expect(lines).toContain("  | sqlalchemy.exc.ProgrammingError: column exists");
    expect(errors.join("\n")).toMatch(
      /^the migration exited 1\. The release stops here: no service and no serving task has changed/,
    );
  });

  it("stops when the migration never ran (no exit code), with ECS's reason", async () => {
    const { code, errors, calls } = await run(["--env", "prod"], (r) => {
      r["us-east-1"].script = {
        pollsToStop: 1,
        stoppedReason: "CannotPullContainerError: not found",
        log: [],
      };
    });
    expect(code).toBe(1);
    expect(calls.some((c) => c.startsWith("cdktf"))).toBe(false);
    expect(errors[0]).toMatch(
      /never ran to an exit code: TaskFailedToStart; CannotPullContainerError: not found/,
    );
  });

  it("reuses the latest revision when it already runs the release's image", async () => {
    const { calls } = await run(["--env", "prod", "--migrate-only"], (r) => {
      const config = loadConfig("prod", { IMAGE_DIGEST: DIGEST });
      r["us-east-1"].deploy(serviceNames(config, "us-east-1"), IMAGE);
    });
    expect(calls.filter((c) => c.startsWith("registerWithImage"))).toEqual([]);
    expect(calls.some((c) => c.startsWith("cdktf"))).toBe(false);
  });

  it("gives up waiting without stopping the task, and deploys nothing", async () => {
    const { code, errors, calls } = await run(["--env", "prod", "--timeout-minutes", "1"], (r) => {
      r["us-east-1"].script = { pollsToStop: 10_000, exitCode: 0, log: [] };
    });
    expect(code).toBe(1);
    expect(errors[0]).toMatch(/timed out .* The task is left running .*no service has changed/);
    expect(calls.some((c) => c.startsWith("cdktf"))).toBe(false);
  });

  it("refuses an environment that has no service yet, saying how the first deploy goes", async () => {
    const { code, errors } = await run(["--env", "prod"], (r) => r["us-east-1"].services.clear());
    expect(code).toBe(1);
    expect(errors[0]).toMatch(
      /no ECS service .*run cdktf deploy first, then npm run release with --migrate-only/,
    );
  });

  it("rolls back without migrating: the earlier image does not know the newer schema", async () => {
    const { code, calls, lines } = await run(["--env", "prod", "--rollback"]);
    expect(code).toBe(0);
    expect(calls).toEqual(["cdktf deploy primary failover link"]);
    expect(lines.join("\n")).toMatch(/Rollback: no migration/);
    const both = await run(["--env", "prod", "--rollback", "--migrate-only"]);
    expect(both.code).toBe(2);
  });

  it("reports a failed deploy after a successful migration", async () => {
    const { code, errors } = await run(["--env", "prod", "--auto-approve"], () => {}, 3);
    expect(code).toBe(1);
    expect(errors).toEqual(["cdktf deploy exited 3; the schema is already migrated"]);
  });

  it("refuses a prod release without an immutable image, as synth does", async () => {
    const lines: string[] = [];
    const code = await release(["--env", "prod"], {
      env: {},
      out: { line: () => {}, warn: () => {}, error: (l) => lines.push(l) },
      aws: () => {
        throw new Error("must not be called");
      },
      cdktf: async () => 0,
      clock: new FakeClock(),
    });
    expect(code).toBe(2);
    expect(lines.join("\n")).toMatch(/IMAGE_DIGEST/);
  });

  it("rejects unknown arguments with the usage", async () => {
    const { code, errors } = await run(["--env", "prod", "--force"]);
    expect(code).toBe(2);
    expect(errors[0]).toMatch(/^unknown argument "--force"\n\nUsage: npm run release/);
  });
});

describe("after promotion", () => {
  const promoted = () => {
    const config = loadConfig("prod", { IMAGE_DIGEST: DIGEST });
    return { ...config, failover: { ...config.failover, promoted: true } };
  };

  it("migrates in region B, whose database is the writer now; before, in region A", () => {
    expect(migrationRegion(promoted())).toBe("us-west-2");
    expect(migrationRegion(loadConfig("prod", { IMAGE_DIGEST: DIGEST }))).toBe("us-east-1");
  });

  it("deploys region B alone, as recovery does", () => {
    expect(deployArguments(promoted(), false)).toEqual([
      "deploy",
      "failover",
      "--ignore-missing-stack-dependencies",
    ]);
  });
});
