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
  readonly Action: string | string[];
  /** Absent only in trust policies, which name no resource. */
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

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
 * listed twice, or the secret's own region.
 */
export function secretReplicas(
  kind: string,
  ownRegion: string,
  regions: readonly string[] = [],
): { region: string }[] {
  if (new Set(regions).size !== regions.length) {
    throw new Error(`${kind}: replicaRegions ${regions.join(", ")} lists a region twice`);
  }
  if (regions.includes(ownRegion)) {
    throw new Error(`${kind}: replicaRegions includes ${ownRegion}, the secrets' own region`);
  }
  return regions.map((region) => ({ region }));
}
