import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Naming } from "../config/naming";

/** Props every construct takes. */
export interface CommonProps {
  /** Derives resource names for the construct's region. */
  readonly naming: Naming;
  /**
   * Provider to create the resources with, to place the construct in another region.
   * @default the stack's default AWS provider
   */
  readonly provider?: AwsProvider;
}
