/**
 * The configurations every whole-output check runs over: each environment as shipped, plus
 * variants that switch optional parts on or off. The invariant specs, `terraform validate` and the
 * emulated plans all take their list from here, so a new variant is checked by every layer.
 */
import { ENVIRONMENTS } from "../config";
import type { EnvironmentInput } from "../config/schema";
import type { StackId } from "../stacks/base-stack";

/**
 * Stacks the Terraform layers (`terraform validate`, the emulated plan and deploy) cannot load,
 * with the reason. Their providers are built from the Go module proxy
 * (harness/terraform-tools.sh), which does not serve integrations/github (403), so
 * `delivery-github`, the one stack with GitHub resources, cannot be initialized here. It holds
 * GitHub resources only (no AWS provider), so skipping it leaves no AWS resource unchecked; the
 * jest specs still synthesize and check it. Every other stack, `delivery` included, is AWS (and
 * random) only.
 */
export const STACKS_WITHOUT_BUILDABLE_PROVIDERS: Readonly<Partial<Record<StackId, string>>> = {
  "delivery-github":
    "provider integrations/github is not served by the Go module proxy, so it cannot be built here",
};

/**
 * The image every check deploys where an environment file names none (prod takes its release
 * from the delivery path at synth time): the sha256 of "hello-you release under test", a digest
 * no registry serves, so nothing can mistake it for a real release.
 */
export const TEST_IMAGE_DIGEST =
  "sha256:26504da0fcb598d29579df3127a843f988ebbd44591dc2f6763d2aceab75adc0";

/** `input` with the release under test as its image, when the file names no image itself. */
export function withReleaseUnderTest(input: EnvironmentInput): EnvironmentInput {
  const { imageTag, imageDigest } = input.service;
  if (imageTag !== undefined || imageDigest !== undefined) return input;
  return { ...input, service: { ...input.service, imageDigest: TEST_IMAGE_DIGEST } };
}

export interface Variant {
  /** Human name, and (slugged) the folder a variant synthesizes into. */
  readonly name: string;
  /** The environment file the variant starts from. */
  readonly environment: string;
  readonly patch: (input: EnvironmentInput) => EnvironmentInput;
  /**
   * Stacks of this variant the Terraform layers skip (`terraform validate`, emulated plan and
   * deploy), each with the reason. Derived from STACKS_WITHOUT_BUILDABLE_PROVIDERS for the
   * delivery variants; the invariant specs check every stack regardless.
   * @default none
   */
  readonly terraformSkips?: Readonly<Partial<Record<StackId, string>>>;
}

export const VARIANTS: readonly Variant[] = [
  ...Object.keys(ENVIRONMENTS).map((environment) => ({
    name: environment,
    environment,
    patch: (c: EnvironmentInput) => c,
  })),
  {
    // The runbook's last step: after `npm run dr -- promote`, Terraform is told so. The emulated
    // rehearsal plans its failover stack with region A unreachable.
    name: "dev after promotion",
    environment: "dev",
    patch: (c) => ({ ...c, failover: { ...c.failover, promoted: true } }),
  },
  {
    name: "dev without failover",
    environment: "dev",
    patch: (c) => ({ ...c, failover: { ...c.failover, enabled: false } }),
  },
  {
    name: "prod with bastion, private registry",
    environment: "prod",
    patch: (c) => ({
      ...c,
      bastion: { enabled: true },
      service: { ...c.service, privateRegistry: true },
    }),
  },
  {
    // `delivery` (OIDC providers, deploy role, Terraform Cloud roles) goes through every
    // Terraform layer; `delivery-github` through the specs only.
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
          policyArns: {
            primary: ["arn:aws:iam::123456789012:policy/hello-you-terraform-primary"],
            failover: ["arn:aws:iam::123456789012:policy/hello-you-terraform-failover"],
            link: ["arn:aws:iam::123456789012:policy/hello-you-terraform-link"],
            delivery: ["arn:aws:iam::123456789012:policy/hello-you-terraform-delivery"],
          },
        },
      },
    }),
    terraformSkips: STACKS_WITHOUT_BUILDABLE_PROVIDERS,
  },
];

/**
 * Delivery variants the Terraform layers do not run, the invariant specs only: this one looks up
 * OIDC providers another environment created (`existing`), which an emulated account, empty at
 * the start of each run, does not hold, so its plan could not succeed there.
 */
export const DELIVERY_VARIANTS: readonly Variant[] = [
  {
    name: "dev with delivery, no failover, existing OIDC providers",
    environment: "dev",
    patch: (c) => ({
      ...c,
      failover: { ...c.failover, enabled: false },
      delivery: { enabled: true, githubOidcProvider: "existing", deploymentBranches: ["main"] },
    }),
    terraformSkips: STACKS_WITHOUT_BUILDABLE_PROVIDERS,
  },
];

/**
 * The stacks of a variant's synth the Terraform layers run on: `stackNames` (the folders under
 * `<outdir>/<slug>/stacks/`, or the manifest's stacks) without the variant's `terraformSkips`
 * and without STACKS_WITHOUT_BUILDABLE_PROVIDERS (whatever the variant says: an environment file
 * that turns delivery on must not break the layers either). `slug` is a variant's slug, an
 * environment's name being its own; an unknown one throws.
 */
export function terraformStacks(slug: string, stackNames: readonly string[]): string[] {
  const variant = [...VARIANTS, ...DELIVERY_VARIANTS].find((v) => variantSlug(v) === slug);
  if (!variant) throw new Error(`terraformStacks: no variant "${slug}" in harness/variants.ts`);
  const skips = { ...STACKS_WITHOUT_BUILDABLE_PROVIDERS, ...variant.terraformSkips };
  return stackNames.filter((stack) => !(stack in skips));
}

/** Why the Terraform layers skip `stack`, for their logs. */
export function skipReason(stack: string): string {
  const all: Record<string, string | undefined> = {
    ...STACKS_WITHOUT_BUILDABLE_PROVIDERS,
    ...Object.assign({}, ...[...VARIANTS, ...DELIVERY_VARIANTS].map((v) => v.terraformSkips ?? {})),
  };
  return all[stack] ?? "not a stack the Terraform layers run";
}

/** The environment file a variant checks: its patch, and the release under test as its image. */
export function variantInput(variant: Variant): EnvironmentInput {
  return withReleaseUnderTest(variant.patch(structuredClone(ENVIRONMENTS[variant.environment])));
}

export function variantSlug(variant: Variant): string {
  return variant.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
