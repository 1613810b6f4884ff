import { backendFromEnv } from "../../config/backend";
import { buildStacks } from "../../stacks";
import { Testing } from "cdktf";
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
    });
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
