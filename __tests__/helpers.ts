import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { type App, TerraformStack, Testing } from "cdktf";
import { Naming } from "../naming/naming";
import { ENVIRONMENTS } from "../config";
import type { AppConfig, EnvironmentInput } from "../config/schema";
import { validateConfig } from "../config/validate";
import { buildStacks } from "../stacks";
import { withReleaseUnderTest } from "../harness/variants";
import { type AwsContext, AwsContextLookup } from "../constructs/aws-context";
import { EncryptionKey } from "../constructs/encryption-key";
import { provideStackContext } from "../constructs/stack-context";
import { LoadBalancer, type LoadBalancerProps } from "../constructs/load-balancer";
import { Network } from "../constructs/network";

/** What the app command (cdktf.json) bundles: a copy of these synthesizes on its own. */
export const APP_SOURCES = [
  "main.ts",
  "config",
  "facts",
  "naming",
  "stacks",
  "constructs",
  "cdktf.json",
];

/**
 * A bare stack with a default AWS provider in `region` and its context (the account, partition
 * and region lookups a stack makes once), for construct specs.
 */
export function testStack(region = "us-east-1"): {
  stack: TerraformStack;
  naming: Naming;
  aws: AwsContext;
} {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region });
  const aws = new AwsContextLookup(stack, "aws-context");
  const naming = new Naming("hello-you", "test", region);
  provideStackContext(stack, { naming, aws });
  return { stack, naming, aws };
}

export interface SynthJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
}

/** The stack's Terraform JSON, parsed. */
export function synthJson(stack: TerraformStack): SynthJson {
  return JSON.parse(Testing.synth(stack)) as SynthJson;
}

/** All resources of one type, by their logical id. */
export function resourcesOf(
  json: SynthJson,
  type: string,
): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/**
 * A validated config: an environment file (default dev) with `patch` applied on top, and the
 * release under test as its image where the file names none (prod's comes at synth time).
 */
export function configWith(
  patch: (input: EnvironmentInput) => EnvironmentInput = (i) => i,
  environment = "dev",
): AppConfig {
  const input = withReleaseUnderTest(structuredClone(ENVIRONMENTS[environment]));
  return validateConfig(patch(input), environment);
}

/** Every stack of an environment, built with local state, as `main.ts` builds them. */
export function buildTestStacks(config: AppConfig): ReturnType<typeof buildStacks> & { app: App } {
  const app = Testing.app();
  return { app, ...buildStacks(app, config, { kind: "local" }) };
}

/** A stack holding the key and network that most constructs build on. */
export function networkFixture(region = "us-east-1") {
  const { stack, naming, aws } = testStack(region);
  const key = new EncryptionKey(stack, "key", { naming, aws });
  const network = new Network(stack, "network", {
    naming,
    vpcCidr: "10.30.0.0/16",
    azCount: 2,
    natGateways: "single",
    interfaceEndpoints: false,
    flowLogRetentionDays: 30,
    kmsKey: key,
    aws,
  });
  return { stack, naming, aws, key, network };
}

/** Every resource of `type` as a list. */
export function listOf(json: SynthJson, type: string): Record<string, unknown>[] {
  return Object.values(resourcesOf(json, type));
}

/** Parsed IAM policy documents of every resource of `type` (field `policy` by default). */
export function policiesOf(json: SynthJson, type: string, field = "policy") {
  return listOf(json, type).map(
    (r) => JSON.parse(r[field] as string) as { Statement: Record<string, unknown>[] },
  );
}

/**
 * Synthesizes the whole app as `cdktf synth` does (cross-stack references become outputs and
 * remote state) and returns each stack's JSON and the manifest.
 */
export function synthApp(config: AppConfig): {
  primary: SynthJson;
  failover?: SynthJson;
  link?: SynthJson;
  manifest: { stacks: Record<string, { dependencies: string[] }> };
} {
  const { app, failover, link } = buildTestStacks(config);
  app.synth();
  const read = (path: string) => JSON.parse(readFileSync(join(app.outdir, path), "utf8"));
  return {
    primary: read("stacks/primary/cdk.tf.json"),
    failover: failover ? read("stacks/failover/cdk.tf.json") : undefined,
    link: link ? read("stacks/link/cdk.tf.json") : undefined,
    manifest: read("manifest.json"),
  };
}

/** The network fixture plus an ALB in front of port 5000, for specs of what sits behind it. */
export function loadBalancerFixture(patch: Partial<LoadBalancerProps> = {}) {
  const fixture = networkFixture();
  const { stack, naming, aws, network } = fixture;
  const loadBalancer = new LoadBalancer(stack, "lb", {
    naming,
    aws,
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    containerPort: 5000,
    healthCheckPath: "/health",
    deregistrationDelaySeconds: 30,
    deletionProtection: true,
    ...patch,
  });
  return { ...fixture, loadBalancer };
}
