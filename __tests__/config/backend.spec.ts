import {
  backendFromEnv,
  backendProblems,
  s3StackState,
  stateRegionProblems,
} from "../../config/backend";
import { buildStacks } from "../../stacks";
import { type TerraformStack, Testing } from "cdktf";
import { configWith, synthJson } from "../helpers";

describe("backend selection", () => {
  it("defaults to local state", () => {
    expect(backendFromEnv({}, "dev")).toEqual({ kind: "local" });
  });

  it("chooses Terraform Cloud when TF_CLOUD_ORGANIZATION is set", () => {
    expect(
      backendFromEnv({ TF_CLOUD_ORGANIZATION: "acme", TF_CLOUD_PROJECT: "web" }, "dev"),
    ).toEqual({
      kind: "cloud",
      organization: "acme",
      hostname: undefined,
      project: "web",
    });
  });

  it("chooses S3 when TF_STATE_BUCKET is set", () => {
    expect(
      backendFromEnv({ TF_STATE_BUCKET: "acme-tf-state", TF_STATE_LOCK_TABLE: "locks" }, "dev"),
    ).toEqual({
      kind: "s3",
      bucket: "acme-tf-state",
      region: undefined,
      lockTable: "locks",
      stacks: {},
    });
  });

  it("reads a stack's own bucket and region from TF_STATE_BUCKET_<STACK> and TF_STATE_REGION_<STACK>", () => {
    const backend = backendFromEnv(
      {
        TF_STATE_BUCKET: "acme-tf-state",
        TF_STATE_BUCKET_FAILOVER: " acme-tf-state-usw2 ",
        TF_STATE_REGION_FAILOVER: "us-west-2",
        TF_STATE_REGION_DELIVERY_GITHUB: "eu-west-1",
      },
      "prod",
    );
    expect(backend).toMatchObject({
      kind: "s3",
      stacks: {
        failover: { bucket: "acme-tf-state-usw2", region: "us-west-2" },
        "delivery-github": { bucket: undefined, region: "eu-west-1" },
      },
    });
    expect(Object.keys((backend as { stacks: object }).stacks).sort()).toEqual([
      "delivery-github",
      "failover",
    ]);
  });

  it("refuses both at once, naming both variables", () => {
    expect(() =>
      backendFromEnv({ TF_CLOUD_ORGANIZATION: "acme", TF_STATE_BUCKET: "b-b-b" }, "dev"),
    ).toThrow(/TF_CLOUD_ORGANIZATION and TF_STATE_BUCKET: both are set/);
  });

  it("rejects an invalid bucket name", () => {
    expect(() => backendFromEnv({ TF_STATE_BUCKET: "Bad_Bucket" }, "dev")).toThrow(
      /TF_STATE_BUCKET: "Bad_Bucket" is not a valid S3 bucket name/,
    );
  });
});

describe("per-stack S3 variables", () => {
  const problemsOf = (env: Record<string, string>) =>
    backendProblems({ TF_STATE_BUCKET: "acme-tf-state", ...env });

  it.each(["PRIMARY", "FAILOVER", "LINK", "DELIVERY", "DELIVERY_GITHUB"])(
    "accepts TF_STATE_BUCKET_%s and its region",
    (stack) => {
      expect(
        problemsOf({
          [`TF_STATE_BUCKET_${stack}`]: "acme-tf-state-b",
          [`TF_STATE_REGION_${stack}`]: "us-west-2",
        }),
      ).toEqual([]);
    },
  );

  it("refuses a bad bucket name, naming the stack's variable", () => {
    expect(problemsOf({ TF_STATE_BUCKET_FAILOVER: "Acme_State" })).toEqual([
      expect.stringMatching(
        /^TF_STATE_BUCKET_FAILOVER: "Acme_State" is not a valid S3 bucket name: it /,
      ),
    ]);
  });

  it("refuses an unknown region, naming the stack's variable", () => {
    expect(problemsOf({ TF_STATE_REGION_LINK: "us-west-9" })).toEqual([
      expect.stringMatching(/^TF_STATE_REGION_LINK: "us-west-9" is not an AWS region/),
    ]);
  });

  it("refuses a blank one rather than falling back to the shared bucket", () => {
    expect(problemsOf({ TF_STATE_BUCKET_FAILOVER: "  " })).toEqual([
      'TF_STATE_BUCKET_FAILOVER: is set but empty ("  "); give it a value or unset it',
    ]);
  });

  it("refuses one without TF_STATE_BUCKET: it would be dropped without a word", () => {
    expect(
      backendProblems({
        TF_STATE_BUCKET_FAILOVER: "acme-tf-state-b",
        TF_STATE_REGION_FAILOVER: "us-west-2",
      }),
    ).toEqual([
      'TF_STATE_BUCKET_FAILOVER: "acme-tf-state-b" has no effect without TF_STATE_BUCKET; set TF_STATE_BUCKET or unset TF_STATE_BUCKET_FAILOVER',
      'TF_STATE_REGION_FAILOVER: "us-west-2" has no effect without TF_STATE_BUCKET; set TF_STATE_BUCKET or unset TF_STATE_REGION_FAILOVER',
    ]);
    expect(() => backendFromEnv({ TF_STATE_BUCKET_LINK: "acme-tf-state-b" }, "dev")).toThrow(
      /TF_STATE_BUCKET_LINK: "acme-tf-state-b" has no effect without TF_STATE_BUCKET/,
    );
  });

  it("resolves a stack's state: its own values, else the shared ones, else region A", () => {
    const backend = {
      kind: "s3" as const,
      bucket: "acme-tf-state",
      stacks: {
        failover: { bucket: "acme-tf-state-b", region: "us-west-2" },
        link: { region: "eu-west-1" },
      },
    };
    expect(s3StackState(backend, "failover", "us-east-1")).toEqual({
      bucket: "acme-tf-state-b",
      region: "us-west-2",
    });
    expect(s3StackState(backend, "link", "us-east-1")).toEqual({
      bucket: "acme-tf-state",
      region: "eu-west-1",
    });
    expect(s3StackState(backend, "primary", "us-east-1")).toEqual({
      bucket: "acme-tf-state",
      region: "us-east-1",
    });
    expect(
      s3StackState({ ...backend, region: "eu-central-1" }, "primary", "us-east-1").region,
    ).toBe("eu-central-1");
  });
});

describe("failover state outside region A", () => {
  const regions = { primary: "us-east-1", failover: "us-west-2" };
  const s3 = (env: Record<string, string>) =>
    backendFromEnv({ TF_STATE_BUCKET: "acme-tf-state", ...env }, "prod");

  it("refuses S3 state for the failover stack in region A, naming the variables that move it", () => {
    expect(stateRegionProblems(s3({}), regions)).toEqual([
      'TF_STATE_REGION_FAILOVER: the failover stack\'s state would be in bucket "acme-tf-state" in us-east-1, region A, out of reach exactly when recovery needs it; set TF_STATE_BUCKET_FAILOVER and TF_STATE_REGION_FAILOVER to a bucket in us-west-2 (or any region but us-east-1)',
    ]);
    expect(stateRegionProblems(s3({ TF_STATE_REGION: "us-east-1" }), regions)).toHaveLength(1);
    expect(
      stateRegionProblems(
        s3({ TF_STATE_BUCKET_FAILOVER: "acme-tf-state-b", TF_STATE_REGION_FAILOVER: "us-east-1" }),
        regions,
      ),
    ).toEqual([expect.stringContaining('in bucket "acme-tf-state-b" in us-east-1, region A')]);
  });

  it("accepts a failover bucket in region B, or all state outside region A", () => {
    expect(
      stateRegionProblems(
        s3({ TF_STATE_BUCKET_FAILOVER: "acme-tf-state-b", TF_STATE_REGION_FAILOVER: "us-west-2" }),
        regions,
      ),
    ).toEqual([]);
    expect(stateRegionProblems(s3({ TF_STATE_REGION: "us-west-2" }), regions)).toEqual([]);
  });

  it("refuses a stack's own region without its own bucket: a bucket lives in one region", () => {
    expect(stateRegionProblems(s3({ TF_STATE_REGION_FAILOVER: "us-west-2" }), regions)).toEqual([
      'TF_STATE_REGION_FAILOVER: "us-west-2" without TF_STATE_BUCKET_FAILOVER would look for bucket "acme-tf-state" (in us-east-1) in us-west-2; set TF_STATE_BUCKET_FAILOVER to a bucket in us-west-2, or unset TF_STATE_REGION_FAILOVER',
    ]);
    // The same region as the shared bucket's is only redundant.
    expect(
      stateRegionProblems(
        s3({ TF_STATE_REGION: "us-west-2", TF_STATE_REGION_DELIVERY: "us-west-2" }),
        regions,
      ),
    ).toEqual([]);
  });

  it("wants a lock table in the failover bucket's region when DynamoDB locks the others", () => {
    const moved = {
      TF_STATE_BUCKET_FAILOVER: "acme-tf-state-b",
      TF_STATE_REGION_FAILOVER: "us-west-2",
    };
    expect(stateRegionProblems(s3({ ...moved, TF_STATE_LOCK_TABLE: "tf-locks" }), regions)).toEqual(
      [
        `TF_STATE_LOCK_TABLE_FAILOVER: failover's state is in us-west-2, where the S3 backend would look for TF_STATE_LOCK_TABLE "tf-locks" (a table in us-east-1); set TF_STATE_LOCK_TABLE_FAILOVER to a table in us-west-2 (the same name if it exists there), or unset TF_STATE_LOCK_TABLE to lock with S3 lock files`,
      ],
    );
    const backend = s3({
      ...moved,
      TF_STATE_LOCK_TABLE: "tf-locks",
      TF_STATE_LOCK_TABLE_FAILOVER: "tf-locks",
    });
    expect(stateRegionProblems(backend, regions)).toEqual([]);
    expect(backend.kind === "s3" && s3StackState(backend, "failover", "us-east-1")).toEqual({
      bucket: "acme-tf-state-b",
      region: "us-west-2",
      lockTable: "tf-locks",
    });
    expect(
      stateRegionProblems(s3({ ...moved, TF_STATE_LOCK_TABLE_FAILOVER: "tf-locks" }), regions),
    ).toEqual([expect.stringContaining("without TF_STATE_LOCK_TABLE")]);
  });

  it("has nothing to say without failover or without S3 state", () => {
    expect(stateRegionProblems(s3({}), { primary: "us-east-1" })).toEqual([]);
    expect(stateRegionProblems({ kind: "local" }, regions)).toEqual([]);
    expect(stateRegionProblems({ kind: "cloud", organization: "acme" }, regions)).toEqual([]);
  });
});

describe("backends in the synthesized stacks", () => {
  const config = configWith();

  it("local: a relative path to state/<environment>/<stack>.tfstate, never cdktf's shared default", () => {
    const { primary } = buildStacks(Testing.app(), config, { kind: "local" });
    expect(synthJson(primary).terraform?.backend).toEqual({
      local: { path: expect.stringMatching(/^(\.\.\/)+.*state\/dev\/primary\.tfstate$/) },
    });
  });

  it("cloud: one named workspace per stack and environment", () => {
    const { primary, failover } = buildStacks(Testing.app(), config, {
      kind: "cloud",
      organization: "acme",
    });
    expect(synthJson(primary).terraform?.cloud).toEqual({
      organization: "acme",
      workspaces: { name: "hello-you-dev-primary" },
    });
    expect(synthJson(failover!).terraform?.cloud).toMatchObject({
      workspaces: { name: "hello-you-dev-failover" },
    });
  });

  it("s3: encrypted, keyed per environment and stack, locked with S3 lock files by default", () => {
    const { primary } = buildStacks(Testing.app(), config, { kind: "s3", bucket: "acme-tf-state" });
    expect(synthJson(primary).terraform?.backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: "hello-you/dev/primary.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("s3: a stack's own bucket and region where given, the shared ones for the others", () => {
    const stacks = buildStacks(Testing.app(), config, {
      kind: "s3",
      bucket: "acme-tf-state",
      stacks: { failover: { bucket: "acme-tf-state-b", region: "us-west-2" } },
    });
    const s3 = (stack: TerraformStack) =>
      (synthJson(stack).terraform?.backend as { s3: Record<string, unknown> }).s3;
    expect(s3(stacks.failover!)).toMatchObject({
      bucket: "acme-tf-state-b",
      region: "us-west-2",
      key: "hello-you/dev/failover.tfstate",
    });
    for (const stack of [stacks.primary, stacks.link!]) {
      expect(s3(stack)).toMatchObject({ bucket: "acme-tf-state", region: "us-east-1" });
    }
  });

  it("s3: DynamoDB locking when a table is given", () => {
    const { failover } = buildStacks(Testing.app(), config, {
      kind: "s3",
      bucket: "acme-tf-state",
      lockTable: "locks",
    });
    expect(synthJson(failover!).terraform?.backend).toMatchObject({
      s3: { key: "hello-you/dev/failover.tfstate", dynamodb_table: "locks" },
    });
    expect((synthJson(failover!).terraform?.backend as { s3: object }).s3).not.toHaveProperty(
      "use_lockfile",
    );
  });
});
