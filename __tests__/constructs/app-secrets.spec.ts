import { AppSecrets } from "../../constructs/app-secrets";
import { EncryptionKey } from "../../constructs/encryption-key";
import { listOf, synthJson, testStack } from "../helpers";

describe("AppSecrets", () => {
  function build(props: Partial<ConstructorParameters<typeof AppSecrets>[2]> = {}) {
    const { stack, naming, aws } = testStack();
    const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
    const secrets = new AppSecrets(stack, "secrets", { naming, kmsKey, ...props });
    return { secrets, json: synthJson(stack) };
  }

  it("generates SECRET_KEY, encrypted with the customer key", () => {
    const { json, secrets } = build();
    expect(listOf(json, "aws_secretsmanager_secret")).toEqual([
      expect.objectContaining({
        name: "hello-you-test-use1-secret-key",
        kms_key_id: expect.stringContaining("aws_kms_key"),
      }),
    ]);
    expect(listOf(json, "random_password")[0]).toMatchObject({ length: 64 });
    expect(listOf(json, "aws_secretsmanager_secret_version")[0].secret_string).toMatch(
      /^\$\{random_password\./,
    );
    expect(secrets.secretArns).toHaveLength(1);
  });

  it("fills registry credentials from sensitive, non-empty variables only", () => {
    const { json, secrets } = build({ privateRegistry: true });
    const variables =
      (json as { variable?: Record<string, Record<string, unknown>> }).variable ?? {};
    for (const name of ["registry_username", "registry_token"]) {
      expect(variables[name]).toMatchObject({
        sensitive: true,
        nullable: false,
        validation: [
          {
            condition: `\${length(trimspace(var.${name})) > 0}`,
            error_message: expect.stringContaining("must not be empty"),
          },
        ],
      });
    }
    const registry = listOf(json, "aws_secretsmanager_secret_version").find((v) =>
      String(v.secret_string_wo).includes("var.registry_token"),
    );
    expect(registry).toMatchObject({
      secret_string_wo_version: "${var.registry_credentials_version}",
    });
    expect(registry).not.toHaveProperty("secret_string");
    expect(secrets.secretArns).toHaveLength(2);
  });

  it("keeps the registry credentials out of state and plan: ephemeral variables, a write-only value", () => {
    const { json } = build({ privateRegistry: true });
    const variables =
      (json as { variable?: Record<string, Record<string, unknown>> }).variable ?? {};
    expect(variables.registry_username).toMatchObject({ ephemeral: true });
    expect(variables.registry_token).toMatchObject({ ephemeral: true });
    expect(variables.registry_credentials_version).toMatchObject({ type: "number", default: 1 });
    // No required_version: checkov's parser refuses stacks that have one.
    expect(json.terraform).not.toHaveProperty("required_version");
  });

  it("encrypts each replica with the key named for its region, and refuses a key for no replica", () => {
    const key = "arn:aws:kms:us-west-2:123456789012:key/abc";
    const { json } = build({ replicaRegions: ["us-west-2"], replicaKeyArns: { "us-west-2": key } });
    expect(listOf(json, "aws_secretsmanager_secret")[0].replica).toEqual([
      { region: "us-west-2", kms_key_id: key },
    ]);
    expect(() =>
      build({ replicaRegions: ["us-west-2"], replicaKeyArns: { "eu-west-1": key } }),
    ).toThrow("AppSecrets: replicaKeyArns names eu-west-1, which is not in replicaRegions");
  });

  it("replicates to the failover region and maps ARNs there", () => {
    const { json, secrets } = build({ privateRegistry: true, replicaRegions: ["us-west-2"] });
    expect(
      listOf(json, "aws_secretsmanager_secret").every(
        (s) => JSON.stringify(s.replica) === '[{"region":"us-west-2"}]',
      ),
    ).toBe(true);
    const stackJson = JSON.stringify(json);
    expect(stackJson).not.toContain("us-west-2:");
    expect(secrets.replicatedNames).toEqual({
      secretKey: "hello-you-test-use1-secret-key",
      registry: "hello-you-test-use1-registry",
    });
  });

  it("can delete secrets at once (dev) but rejects windows Secrets Manager refuses", () => {
    const { json } = build({ recoveryWindowDays: 0 });
    expect(listOf(json, "aws_secretsmanager_secret")[0].recovery_window_in_days).toBe(0);
    expect(() => build({ recoveryWindowDays: 3 })).toThrow(
      "AppSecrets: recoveryWindowDays 3 must be 0 (delete at once) or from 7 to 30",
    );
  });

  it("rejects replicating into its own region or twice", () => {
    expect(() => build({ replicaRegions: ["us-east-1"] })).toThrow(
      "AppSecrets: replicaRegions includes us-east-1, the secrets' own region",
    );
    expect(() => build({ replicaRegions: ["us-west-2", "us-west-2"] })).toThrow(
      "lists a region twice",
    );
  });
});
