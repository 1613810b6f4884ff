import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { Password } from "@cdktf/provider-random/lib/password";
import { DatabaseSecret } from "../../constructs/database-secret";
import { EncryptionKey } from "../../constructs/encryption-key";
import { listOf, synthJson, testStack } from "../helpers";

function databaseSecret(host = "db.abc.us-east-1.rds.amazonaws.com", replicaRegions?: string[]) {
  const { stack, naming, aws } = testStack();
  const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
  new DatabaseSecret(stack, "db", {
    naming,
    kmsKey,
    replicaRegions,
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
    const { stack, naming, aws } = testStack();
    const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
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

  it("keeps a copy in each replica region, under the same name, and none by default", () => {
    const host = "db.abc.us-east-1.rds.amazonaws.com";
    const [replicated] = listOf(databaseSecret(host, ["us-west-2"]), "aws_secretsmanager_secret");
    expect(replicated).toMatchObject({
      name: "hello-you-test-use1-database",
      replica: [{ region: "us-west-2" }],
    });
    expect(listOf(databaseSecret(), "aws_secretsmanager_secret")[0].replica).toEqual([]);
  });

  it("refuses a replica in its own region or the same region twice", () => {
    const host = "db.abc.us-east-1.rds.amazonaws.com";
    expect(() => databaseSecret(host, ["us-east-1"])).toThrow(
      "DatabaseSecret: replicaRegions includes us-east-1, the secrets' own region",
    );
    expect(() => databaseSecret(host, ["us-west-2", "us-west-2"])).toThrow(
      "DatabaseSecret: replicaRegions us-west-2, us-west-2 lists a region twice",
    );
  });

  it("rejects an endpoint (host with port) in place of the address", () => {
    expect(() => databaseSecret("db.abc.rds.amazonaws.com:5432")).toThrow(
      'DatabaseSecret: connection.host "db.abc.rds.amazonaws.com:5432" carries a port; pass the RDS address, not its endpoint',
    );
  });
});
