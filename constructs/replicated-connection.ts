import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import type { DatabaseConnection } from "./database-secret";
import { ConstructError } from "./stack-context";

export interface ReplicatedConnectionProps extends CommonProps {
  /**
   * Name of a `DatabaseSecret` of another region that Secrets Manager replicates into this
   * construct's region (replicas keep the source's name).
   */
  readonly secretName: string;
}

/**
 * Another region's database connection, read from this region's replica of its secret. Region B
 * learns region A's writer (host, port, database, credentials) this way: a read in B, at plan
 * time, that keeps working when region A is gone. The values stay references; none is written
 * into the synthesized JSON.
 */
export class ReplicatedConnection extends Construct {
  readonly connection: DatabaseConnection;

  constructor(scope: Construct, id: string, props: ReplicatedConnectionProps) {
    super(scope, id);
    if (!props.secretName)
      throw new ConstructError(this, "ReplicatedConnection: secretName is empty");
    const version = new DataAwsSecretsmanagerSecretVersion(this, "value", {
      provider: props.provider,
      secretId: props.secretName,
    });
    const value = Fn.jsondecode(version.secretString);
    const field = (key: string) => Token.asString(Fn.lookup(value, key));
    this.connection = {
      host: field("host"),
      port: Token.asNumber(Fn.lookup(value, "port")),
      name: field("dbname"),
      username: field("username"),
      password: field("password"),
    };
  }
}
