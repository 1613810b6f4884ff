import { Annotations } from "cdktf";
import type { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BaseStack, type BaseStackProps } from "./base-stack";
import type { PrimaryStack } from "./primary-stack";
import { configWarnings } from "./warnings";

export interface FailoverStackProps extends Omit<BaseStackProps, "region"> {
  /** The region A stack whose outputs this stack consumes through cross-stack references. */
  readonly primary: PrimaryStack;
}

/**
 * Region B: the pilot light. Resources that must live in region A (peering acceptance, routes,
 * the database rule) use `primaryRegion`; `primary` never depends on this stack.
 */
export class FailoverStack extends BaseStack {
  /** Provider alias for region A resources owned by this stack. */
  readonly primaryRegion: AwsProvider;

  constructor(scope: Construct, props: FailoverStackProps) {
    super(scope, "failover", { ...props, region: props.config.failover.network.region });
    this.primaryRegion = this.awsProvider("aws_primary", props.config.network.region, "primary");
    for (const warning of configWarnings(this.config, "failover")) {
      Annotations.of(this).addWarning(warning);
    }
  }
}
