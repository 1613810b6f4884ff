import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Annotations } from "cdktf";
import type { Construct } from "constructs";
import { BaseStack, type BaseStackProps } from "./base-stack";
import { configWarnings } from "./warnings";

export type PrimaryStackProps = Omit<BaseStackProps, "region">;

/** Region A: the serving region. Composition only; every resource comes from `constructs/`. */
export class PrimaryStack extends BaseStack {
  constructor(scope: Construct, props: PrimaryStackProps) {
    super(scope, "primary", { ...props, region: props.config.network.region });
    new RandomProvider(this, "random");
    for (const warning of configWarnings(this.config, "primary")) {
      Annotations.of(this).addWarning(warning);
    }
  }
}
