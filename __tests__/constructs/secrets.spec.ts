import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { Password } from "@cdktf/provider-random/lib/password";
import { AppSecrets } from "../../constructs/app-secrets";
import { DatabaseSecret } from "../../constructs/database-secret";
import { ReplicaSecrets } from "../../constructs/replica-secrets";
import { EncryptionKey } from "../../constructs/encryption-key";
import { listOf, synthJson, testStack } from "../helpers";

function databaseSecret(host = "db.abc.us-east-1.rds.amazonaws.com") {
  const { stack, naming } = testStack();
  const kmsKey = new EncryptionKey(stack, "key", { naming });
  new DatabaseSecret(stack, "db", {
    naming,
    kmsKey,
    connection: {
      host,
      port: 5432,
      name: "helloyou",
      username: "helloyou",
      password: new Password(stack, "pw", { length: 32 }).result,
    },
  });
  return synthJson(stack);
}

describe("DatabaseSecret", () => {
  it("holds the connection as JSON with a URL-encoded password and the port once", () => {
    const json = databaseSecret();
    const [version] = listOf(json, "aws_secretsmanager_secret_version");
    const value = String(version.secret_string);
    expect(value).toContain(
      '"url" = "postgresql://helloyou:${urlencode(random_password.pw.result)}@db.abc.us-east-1.rds.amazonaws.com:5432/helloyou"',
    );
    for (const key of ["username", "password", "host", "port", "dbname", "engine"])
      expect(value).toContain(`"${key}" = `);
  });

  it("interpolates a port that is only known at apply time (an RDS attribute)", () => {
    const { stack, naming } = testStack();
    const kmsKey = new EncryptionKey(stack, "key", { naming });
    const db = new DbInstance(stack, "db", { instanceClass: "db.t4g.micro" });
    new DatabaseSecret(stack, "secret", {
      naming,
      kmsKey,
      connection: {
        host: db.address,
        port: db.port,
        name: "app",
        username: "app",
        password: new Password(stack, "pw", { length: 32 }).result,
      },
    });
    const value = String(
      listOf(synthJson(stack), "aws_secretsmanager_secret_version")[0].secret_string,
    );
    expect(value).toContain("@${aws_db_instance.db.address}:${aws_db_instance.db.port}/app");
  });

  it("is encrypted with the customer key and recoverable for 7 days", () => {
    const [secret] = listOf(databaseSecret(), "aws_secretsmanager_secret");
    expect(secret).toMatchObject({
      kms_key_id: expect.stringContaining("aws_kms_key"),
      recovery_window_in_days: 7,
    });
  });

  it("rejects an endpoint (host with port) in place of the address", () => {
    expect(() => databaseSecret("db.abc.rds.amazonaws.com:5432")).toThrow(
      'DatabaseSecret: connection.host "db.abc.rds.amazonaws.com:5432" carries a port; pass the RDS address, not its endpoint',
    );
  });
});

describe("AppSecrets", () => {
  function build(props: Partial<ConstructorParameters<typeof AppSecrets>[2]> = {}) {
    const { stack, naming } = testStack();
    const kmsKey = new EncryptionKey(stack, "key", { naming });
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
      String(v.secret_string).includes("var.registry_token"),
    );
    expect(registry).toBeDefined();
    expect(secrets.secretArns).toHaveLength(2);
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

describe("ReplicaSecrets", () => {
  it("looks replicas up by name in its region", () => {
    const { stack, naming } = testStack("us-west-2");
    const replicas = new ReplicaSecrets(stack, "replicas", {
      naming,
      names: { secretKey: "hello-you-prod-use1-secret-key" },
    });
    const json = synthJson(stack);
    expect(Object.values(json.data?.aws_secretsmanager_secret ?? {})).toEqual([
      { name: "hello-you-prod-use1-secret-key" },
    ]);
    expect(replicas.arns.secretKey).toMatch(/TfToken/);
  });

  it("rejects an empty name", () => {
    const { stack, naming } = testStack();
    expect(
      () => new ReplicaSecrets(stack, "replicas", { naming, names: { registry: "" } }),
    ).toThrow("ReplicaSecrets: names.registry is empty");
  });
});
