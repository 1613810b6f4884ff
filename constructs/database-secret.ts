import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { type CommonProps, isRecoveryWindow, secretReplicas } from "./common";
import type { EncryptionKey } from "./encryption-key";
import { NameCatalogue } from "../naming/catalogue";
import { buildContext } from "./common";
import { ConstructError } from "./stack-context";

/** Where and how the app reaches its database. */
export interface DatabaseConnection {
  /** The RDS `address` (host name only; the `endpoint` would add the port a second time). */
  readonly host: string;
  readonly port: number | string;
  readonly name: string;
  readonly username: string;
  /** A reference to the generated password; never a literal. */
  readonly password: string;
}

export interface DatabaseSecretProps extends CommonProps {
  readonly connection: DatabaseConnection;
  readonly kmsKey: EncryptionKey;
  /**
   * Days a deleted secret can still be restored.
   * @default 7
   */
  readonly recoveryWindowDays?: number;
  /**
   * Suffix of the secret's name.
   * @default the connection secret of naming/catalogue.ts (`...-database`)
   */
  readonly nameSuffix?: string;
  /**
   * Regions Secrets Manager keeps a read-only copy in. Region B reads A's connection from its
   * copy, so that nothing in B has to ask region A for it.
   * @default none
   */
  readonly replicaRegions?: string[];
}

/**
 * The database connection secret the service reads as DATABASE_URL: JSON with username,
 * password, host, port, dbname and a ready `url` whose password is URL-encoded.
 */
export class DatabaseSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly version: SecretsmanagerSecretVersion;
  readonly arn: string;
  /** ECS `valueFrom` selecting the `url` key. */
  readonly urlValueFrom: string;

  constructor(scope: Construct, id: string, props: DatabaseSecretProps) {
    super(scope, id);
    const recoveryWindowDays = props.recoveryWindowDays ?? 7;
    if (!isRecoveryWindow(recoveryWindowDays)) {
      throw new ConstructError(
        this,
        `DatabaseSecret: recoveryWindowDays ${recoveryWindowDays} must be 0 (delete at once) or from 7 to 30`,
      );
    }
    const { host, port, name, username, password } = props.connection;
    if (/:\d+$/.test(host)) {
      throw new ConstructError(
        this,
        `DatabaseSecret: connection.host "${host}" carries a port; pass the RDS address, not its endpoint`,
      );
    }
    this.secret = new SecretsmanagerSecret(this, "secret", {
      provider: props.provider,
      name: props.nameSuffix
        ? buildContext(this, props).naming.name("secret", props.nameSuffix)
        : new NameCatalogue(buildContext(this, props).naming).connectionSecret,
      description: "PostgreSQL connection for the service (DATABASE_URL is the url key)",
      kmsKeyId: props.kmsKey.arn,
      recoveryWindowInDays: recoveryWindowDays,
      replica: secretReplicas(
        "DatabaseSecret",
        buildContext(this, props).naming.region,
        props.replicaRegions,
      ),
    });
    // A number token must become a string token to be interpolated inside the URL template.
    const portText = Token.isUnresolved(port) ? Token.asString(port) : String(port);
    const url = `postgresql://${username}:${Fn.urlencode(password)}@${host}:${portText}/${name}`;
    this.version = new SecretsmanagerSecretVersion(this, "value", {
      provider: props.provider,
      secretId: this.secret.id,
      secretString: Fn.jsonencode({
        engine: "postgres",
        username,
        password,
        host,
        port,
        dbname: name,
        url,
      }),
    });
    this.arn = this.secret.arn;
    this.urlValueFrom = `${this.secret.arn}:url::`;
  }
}
