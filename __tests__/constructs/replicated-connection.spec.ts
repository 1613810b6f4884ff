import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Token } from "cdktf";
import { DatabaseSecret } from "../../constructs/database-secret";
import { EncryptionKey } from "../../constructs/encryption-key";
import { ReplicatedConnection } from "../../constructs/replicated-connection";
import { secretLiterals } from "../invariants/scan";
import { listOf, synthJson, testStack } from "../helpers";

const NAME = "hello-you-prod-use1-database";

/** Region B's connection secret built from its replica of region A's, as the failover stack does. */
function build() {
  const { stack, naming, aws } = testStack("us-west-2");
  const { connection } = new ReplicatedConnection(stack, "primary-connection", {
    naming,
    secretName: NAME,
  });
  const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
  new DatabaseSecret(stack, "secret", { naming, kmsKey, connection });
  const json = synthJson(stack);
  const [id] = Object.keys(json.data?.aws_secretsmanager_secret_version ?? {});
  return { json, connection, id };
}

describe("ReplicatedConnection", () => {
  it("reads the secret's current value by name, in the stack's region", () => {
    const { json } = build();
    expect(Object.values(json.data?.aws_secretsmanager_secret_version ?? {})).toEqual([
      expect.objectContaining({ secret_id: NAME }),
    ]);
    const [lookup] = Object.values(json.data!.aws_secretsmanager_secret_version);
    expect(lookup).not.toHaveProperty("version_id");
    expect(lookup).not.toHaveProperty("version_stage");
    expect(lookup).not.toHaveProperty("provider");
  });

  it("hands on every field as a reference into the secret's JSON", () => {
    const { json, connection, id } = build();
    for (const value of Object.values(connection)) expect(Token.isUnresolved(value)).toBe(true);
    const secret = String(listOf(json, "aws_secretsmanager_secret_version")[0].secret_string);
    const field = (key: string) =>
      `jsondecode(data.aws_secretsmanager_secret_version.${id}.secret_string).${key}`;
    for (const key of ["host", "port", "dbname", "username", "password"]) {
      expect(secret).toContain(`"${key}" = ${field(key)}`);
    }
    expect(secret).toContain(`:\${urlencode(${field("password")})}@`);
  });

  it("never writes the password into the synthesized JSON", () => {
    const { json } = build();
    expect(secretLiterals(json)).toEqual([]);
    const secret = String(listOf(json, "aws_secretsmanager_secret_version")[0].secret_string);
    expect(secret).not.toMatch(/"password" = "/);
  });

  it("reads with the provider it is given", () => {
    const { stack, naming } = testStack("us-west-2");
    const provider = new AwsProvider(stack, "other", { region: "eu-west-1", alias: "other" });
    new ReplicatedConnection(stack, "c", { naming, provider, secretName: NAME });
    const [lookup] = Object.values(synthJson(stack).data!.aws_secretsmanager_secret_version);
    expect(lookup.provider).toBe("aws.other");
  });

  it("refuses an empty secret name", () => {
    const { stack, naming } = testStack();
    expect(() => new ReplicatedConnection(stack, "c", { naming, secretName: "" })).toThrow(
      "ReplicatedConnection: secretName is empty",
    );
  });
});
