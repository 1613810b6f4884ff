import { TerraformStack, TerraformVariable } from "cdktf";
import type { IConstruct } from "constructs";

/** Names of the stack variables that carry one pair of registry credentials. */
export interface CredentialVariableNames {
  /** Variable of the user name, such as `registry_username`. */
  readonly username: string;
  /** Variable of the token, such as `registry_token`. */
  readonly token: string;
  /** Variable raised by one to write new credentials, such as `registry_credentials_version`. */
  readonly version: string;
}

/** The variables, and what they are for (shown in their descriptions). */
export interface WriteOnlyCredentials {
  readonly username: TerraformVariable;
  readonly token: TerraformVariable;
  readonly version: TerraformVariable;
}

/**
 * A user name and token for a registry, as ephemeral, sensitive, non-empty stack variables
 * (Terraform 1.10+): they reach a write-only argument (`secret_string_wo`) and are kept in
 * neither the plan nor the state. The version variable says when to write them again, since
 * Terraform cannot see that a write-only value changed.
 */
export function writeOnlyCredentials(
  scope: IConstruct,
  names: CredentialVariableNames,
  purpose: string,
): WriteOnlyCredentials {
  const stack = TerraformStack.of(scope);
  const variable = (name: string, description: string) => {
    const v = new TerraformVariable(stack, name, {
      type: "string",
      sensitive: true,
      nullable: false,
      description,
      validation: [
        {
          condition: `\${length(trimspace(var.${name})) > 0}`,
          errorMessage: `${name} must not be empty: ${purpose}.`,
        },
      ],
    });
    v.addOverride("ephemeral", true);
    return v;
  };
  return {
    username: variable(names.username, `User name for ${purpose}`),
    token: variable(names.token, `Token (read:packages) for ${purpose}`),
    version: new TerraformVariable(stack, names.version, {
      type: "number",
      default: 1,
      nullable: false,
      description: `Raise by one to write new credentials for ${purpose}: they are write-only, so Terraform cannot see that they changed.`,
    }),
  };
}
