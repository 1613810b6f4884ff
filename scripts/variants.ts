/**
 * The configurations every whole-output check runs over: each environment as shipped, plus
 * variants that switch optional parts on or off. The invariant specs, `terraform validate` and the
 * emulated plans all take their list from here, so a new variant is checked by every layer.
 */
import { ENVIRONMENTS } from "../config";
import type { EnvironmentInput } from "../config/schema";

export interface Variant {
  /** Human name, and (slugged) the folder a variant synthesizes into. */
  readonly name: string;
  /** The environment file the variant starts from. */
  readonly environment: string;
  readonly patch: (input: EnvironmentInput) => EnvironmentInput;
}

export const VARIANTS: readonly Variant[] = [
  ...Object.keys(ENVIRONMENTS).map((environment) => ({
    name: environment,
    environment,
    patch: (c: EnvironmentInput) => c,
  })),
  {
    name: "dev without failover",
    environment: "dev",
    patch: (c) => ({ ...c, failover: { ...c.failover, enabled: false } }),
  },
  {
    name: "prod with bastion, SSH /32, private registry",
    environment: "prod",
    patch: (c) => ({
      ...c,
      bastion: { enabled: true, sshAllowedCidrs: ["203.0.113.10/32"] },
      service: { ...c.service, privateRegistry: true },
    }),
  },
];

/**
 * Variants with the `delivery` stack on. Kept apart from VARIANTS while the Terraform layers
 * cannot load the GitHub provider; the invariant specs cover them already.
 */
export const DELIVERY_VARIANTS: readonly Variant[] = [
  {
    name: "prod with delivery and Terraform Cloud roles",
    environment: "prod",
    patch: (c) => ({
      ...c,
      delivery: {
        enabled: true,
        reviewers: { teams: ["platform"] },
        terraformCloud: {
          enabled: true,
          organization: "acme",
          policyArns: ["arn:aws:iam::123456789012:policy/hello-you-terraform"],
        },
      },
    }),
  },
  {
    name: "dev with delivery, no failover, existing OIDC providers",
    environment: "dev",
    patch: (c) => ({
      ...c,
      failover: { ...c.failover, enabled: false },
      delivery: { enabled: true, githubOidcProvider: "existing", deploymentBranches: ["main"] },
    }),
  },
];

export function variantSlug(variant: Variant): string {
  return variant.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
