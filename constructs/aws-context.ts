import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { keepAddresses } from "./addresses";

/**
 * Where one AWS provider deploys: the account, partition and region that ARNs, trust policies
 * and service endpoints are built from. Values are Terraform references, known at apply time.
 */
export interface AwsContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

export interface AwsContextLookupProps {
  /**
   * Provider whose account, partition and region to look up.
   * @default the stack's default AWS provider
   */
  readonly provider?: AwsProvider;
  /**
   * Construct ids from the stack down to where these lookups used to be created, so that their
   * data sources keep that address (see `keepAddresses`).
   * @default their own path
   */
  readonly formerPath?: readonly string[];
}

/**
 * The three lookups behind an `AwsContext`, made once per provider (by the stack, or by a
 * construct that brings its own provider) and handed to every construct that needs them.
 */
export class AwsContextLookup extends Construct implements AwsContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  constructor(scope: Construct, id: string, props: AwsContextLookupProps = {}) {
    super(scope, id);
    if (props.formerPath) keepAddresses(this, props.formerPath);
    const provider = props.provider;
    this.accountId = new DataAwsCallerIdentity(this, "account", { provider }).accountId;
    this.partition = new DataAwsPartition(this, "partition", { provider }).partition;
    this.region = new DataAwsRegion(this, "region", { provider }).region;
  }
}
