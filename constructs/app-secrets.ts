import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Password } from "@cdktf/provider-random/lib/password";
import { Fn, type TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { writeOnlyCredentials } from "./write-only-credentials";
import { type CommonProps, isRecoveryWindow, secretReplicas, buildContext } from "./common";
import type { Naming } from "../naming/naming";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";

export interface AppSecretsProps extends CommonProps {
  readonly kmsKey: EncryptionKey;
  /**
   * Create the registry-credentials secret for a private image, filled from the sensitive,
   * ephemeral Terraform variables `registry_username` and `registry_token` through a
   * write-only argument (Terraform 1.11+); `registry_credentials_version` says when to rewrite.
   * @default false
   */
  readonly privateRegistry?: boolean;
  /**
   * Regions to replicate SECRET_KEY and the registry credentials into, so the failover region
   * can start tasks while this region is down.
   * @default []
   */
  readonly replicaRegions?: string[];
  /**
   * Customer-managed key of each replica region (by region): what encrypts the copy there.
   * @default Secrets Manager's AWS-managed key in each replica region
   */
  readonly replicaKeyArns?: Readonly<Record<string, string>>;
  /**
   * Days a deleted secret can still be restored.
   * @default 7
   */
  readonly recoveryWindowDays?: number;
}

/**
 * The service's own secrets: a generated Flask SECRET_KEY, and registry credentials for a
 * private image. Values never appear in the synthesized output. The registry credentials are
 * kept out of Terraform's state and plan too (ephemeral variables, a write-only secret value);
 * SECRET_KEY is in state, as `random_password` keeps what it generates (docs/security.md).
 */
export class AppSecrets extends Construct {
  readonly secretKeySecret: SecretsmanagerSecret;
  readonly registrySecret?: SecretsmanagerSecret;
  readonly registryUsername?: TerraformVariable;
  readonly registryToken?: TerraformVariable;
  /** Raised by hand to write new credentials (the write-only value's version). */
  readonly registryVersion?: TerraformVariable;
  /** Every ARN the task execution role must read. */
  readonly secretArns: string[];
  /** The versions that give those secrets their values: what a service must start after. */
  readonly versions: SecretsmanagerSecretVersion[];
  /** Names of the secrets that are replicated, by role: what region B looks its replicas up by. */
  readonly replicatedNames: { readonly secretKey: string; readonly registry?: string };

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    const { kmsKey } = props;
    const { naming, provider } = buildContext(this, props);
    const recoveryWindowInDays = props.recoveryWindowDays ?? 7;
    if (!isRecoveryWindow(recoveryWindowInDays)) {
      throw new ConstructError(
        this,
        `AppSecrets: recoveryWindowDays ${recoveryWindowInDays} must be 0 (delete at once) or from 7 to 30`,
      );
    }
    const replica = secretReplicas(
      "AppSecrets",
      naming.region,
      props.replicaRegions,
      props.replicaKeyArns,
    );
    const secret = (suffix: string, description: string) =>
      new SecretsmanagerSecret(this, suffix, {
        provider,
        name: naming.name("secret", suffix),
        description,
        kmsKeyId: kmsKey.arn,
        recoveryWindowInDays,
        replica,
      });

    this.secretKeySecret = secret("secret-key", "Flask SECRET_KEY of the service");
    const secretKeyValue = new SecretsmanagerSecretVersion(this, "secret-key-value", {
      provider,
      secretId: this.secretKeySecret.id,
      secretString: new Password(this, "secret-key-password", { length: 64, special: false })
        .result,
    });
    this.secretArns = [this.secretKeySecret.arn];
    this.versions = [secretKeyValue];
    this.replicatedNames = replicatedSecretNames(naming, Boolean(props.privateRegistry));

    if (props.privateRegistry) {
      const credentials = writeOnlyCredentials(
        this,
        {
          username: "registry_username",
          token: "registry_token",
          version: "registry_credentials_version",
        },
        "the private image registry, which ECS cannot pull from without them",
      );
      this.registryUsername = credentials.username;
      this.registryToken = credentials.token;
      this.registryVersion = credentials.version;
      // Write-only arguments need Terraform 1.11 (README). Not as `required_version`: checkov's
      // terraform_json parser refuses a stack that has one; older Terraform refuses `ephemeral`.
      this.registrySecret = secret("registry", "Credentials ECS uses to pull the private image");
      const registryValue = new SecretsmanagerSecretVersion(this, "registry-value", {
        provider,
        secretId: this.registrySecret.id,
        secretStringWo: Fn.jsonencode({
          username: this.registryUsername.stringValue,
          password: this.registryToken.stringValue,
        }),
        secretStringWoVersion: this.registryVersion.numberValue,
      });
      this.secretArns.push(this.registrySecret.arn);
      this.versions.push(registryValue);
    }
  }
}

/**
 * Names of the secrets `AppSecrets` replicates, by role. Replicas keep the source's name, so
 * region B finds them from its own config, without reading region A's state.
 */
export function replicatedSecretNames(
  naming: Naming,
  privateRegistry: boolean,
): { secretKey: string; registry?: string } {
  return {
    secretKey: naming.name("secret", "secret-key"),
    ...(privateRegistry ? { registry: naming.name("secret", "registry") } : {}),
  };
}
