import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Password } from "@cdktf/provider-random/lib/password";
import { Fn, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { type CommonProps, isRecoveryWindow, secretReplicas, buildContext } from "./common";
import type { Naming } from "../naming/naming";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";

export interface AppSecretsProps extends CommonProps {
  readonly kmsKey: EncryptionKey;
  /**
   * Create the registry-credentials secret for a private image, filled from the sensitive
   * Terraform variables `registry_username` and `registry_token`.
   * @default false
   */
  readonly privateRegistry?: boolean;
  /**
   * Regions to replicate SECRET_KEY and the registry credentials into, so the failover region
   * can start tasks while this region is down. Replicas use the AWS-managed Secrets Manager key
   * of their region: the customer key there belongs to the failover stack, which is deployed after
   * this one.
   * @default []
   */
  readonly replicaRegions?: string[];
  /**
   * Days a deleted secret can still be restored.
   * @default 7
   */
  readonly recoveryWindowDays?: number;
}

/**
 * The service's own secrets: a generated Flask SECRET_KEY, and registry credentials for a
 * private image. Values never appear in the synthesized output.
 */
export class AppSecrets extends Construct {
  readonly secretKeySecret: SecretsmanagerSecret;
  readonly registrySecret?: SecretsmanagerSecret;
  readonly registryUsername?: TerraformVariable;
  readonly registryToken?: TerraformVariable;
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
    const replica = secretReplicas("AppSecrets", naming.region, props.replicaRegions);
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
      const variable = (name: string, description: string) =>
        new TerraformVariable(TerraformStack.of(this), name, {
          type: "string",
          sensitive: true,
          nullable: false,
          description,
          validation: [
            {
              condition: `\${length(trimspace(var.${name})) > 0}`,
              errorMessage: `${name} must not be empty: ECS cannot pull a private image without it.`,
            },
          ],
        });
      this.registryUsername = variable(
        "registry_username",
        "User name for the private image registry",
      );
      this.registryToken = variable(
        "registry_token",
        "Token (read:packages) for the private image registry",
      );
      this.registrySecret = secret("registry", "Credentials ECS uses to pull the private image");
      const registryValue = new SecretsmanagerSecretVersion(this, "registry-value", {
        provider,
        secretId: this.registrySecret.id,
        secretString: Fn.jsonencode({
          username: this.registryUsername.stringValue,
          password: this.registryToken.stringValue,
        }),
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
