import { existsSync } from "node:fs";
import path from "node:path";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { IConstruct } from "constructs";
import type { Naming } from "../naming/naming";
import type { AwsContext } from "./aws-context";
import { ConstructError, stackContextOf } from "./stack-context";

/** Props every construct takes. */
export interface CommonProps {
  /**
   * Derives resource names for the construct's region.
   * @default the stack's naming, found from the scope
   */
  readonly naming?: Naming;
  /**
   * Provider to create the resources with, to place the construct in another region (give that
   * region's `naming` and `aws` with it).
   * @default the stack's default AWS provider
   */
  readonly provider?: AwsProvider;
}

/** The naming, provider and AWS context a construct builds with. */
export interface BuildContext {
  readonly naming: Naming;
  readonly provider?: AwsProvider;
  /** Looked up on first use: a construct that builds no ARN adds no lookup. */
  readonly aws: AwsContext;
}

/**
 * What `props` give, else the stack's (found from `scope`). A provider in another region than the
 * stack's without its own naming is refused: names and ARNs would carry the wrong region.
 */
export function buildContext(
  scope: IConstruct,
  props: CommonProps & { readonly aws?: AwsContext },
): BuildContext {
  const { provider } = props;
  const naming = props.naming ?? stackContextOf(scope).naming;
  if (!props.naming && provider?.region && provider.region !== naming.region) {
    throw new ConstructError(
      scope,
      `provider is in ${provider.region}, the stack's names are for ${naming.region}; pass naming (and aws) for ${provider.region} with it`,
    );
  }
  return {
    naming,
    provider,
    get aws() {
      return props.aws ?? stackContextOf(scope).aws;
    },
  };
}

/** One IAM policy statement, as AWS writes it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | string[]> | "*";
  /** Absent only where `NotAction` names what the statement does not cover. */
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  /** Absent only in trust policies, which name no resource, and beside `NotResource`. */
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/**
 * Conditions of an `ecs:UpdateService` grant that keep it a rollout or a scaling: never turning on
 * ECS Exec, never a public IP, never a network configuration (any carries `ecs:subnet`). The ECS
 * keys carry what the request sets, so a request that sets none of them passes.
 */
export const ECS_UPDATE_WITHOUT_EXEC_OR_NETWORK = {
  StringNotEqualsIfExists: { "ecs:enable-execute-command": "true" },
  BoolIfExists: { "ecs:auto-assign-public-ip": "false" },
  Null: { "ecs:subnet": "true" },
} as const;

/**
 * An IAM policy document as a JSON string. Plain JSON (rather than a data source or
 * `jsonencode`) keeps every statement readable in the synthesized output, where reviewers,
 * checkov and the invariant tests inspect it; references inside are resolved by Terraform.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * A trust policy letting one AWS service assume the role; with `sourceAccount`, only on behalf
 * of that account (guards against the confused-deputy problem).
 */
export function assumeRolePolicy(service: string, sourceAccount?: string): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceAccount
        ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }
        : {}),
    },
  ]);
}

/** Secrets Manager accepts 0 (delete at once) or a recovery window of 7 to 30 days. */
export function isRecoveryWindow(days: number): boolean {
  return Number.isInteger(days) && (days === 0 || (days >= 7 && days <= 30));
}

/**
 * Secrets Manager replica regions as `replica` blocks, refusing what the API would: a region
 * listed twice, or the secret's own region. `keys` names the customer-managed key of a replica
 * region; a region without one gets Secrets Manager's AWS-managed key there.
 */
export function secretReplicas(
  kind: string,
  ownRegion: string,
  regions: readonly string[] = [],
  keys: Readonly<Record<string, string>> = {},
): { region: string; kmsKeyId?: string }[] {
  if (new Set(regions).size !== regions.length) {
    throw new Error(`${kind}: replicaRegions ${regions.join(", ")} lists a region twice`);
  }
  if (regions.includes(ownRegion)) {
    throw new Error(`${kind}: replicaRegions includes ${ownRegion}, the secrets' own region`);
  }
  const stray = Object.keys(keys).find((r) => !regions.includes(r));
  if (stray) {
    throw new Error(`${kind}: replicaKeyArns names ${stray}, which is not in replicaRegions`);
  }
  return regions.map((region) => (keys[region] ? { region, kmsKeyId: keys[region] } : { region }));
}

/**
 * A file shipped beside the code (a Lambda handler, a container's script), found from this
 * file's folder upwards by its path from the repository root: the app runs from a bundle in
 * `.gen/` too.
 */
export function shippedFile(fromRoot: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, fromRoot);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${fromRoot} not found above ${__dirname}`);
  }
}
