import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import type { Construct } from "constructs";

export interface ClientEgressProps {
  readonly provider?: AwsProvider;
  readonly securityGroupId: string;
  /** Why HTTPS goes out (shown on the rule). */
  readonly httpsDescription: string;
  /** Database blocks reached on 5432. */
  readonly databaseCidrs: string[];
}

/**
 * Egress of a database client in a private subnet: HTTPS to AWS APIs and registries (through
 * NAT or endpoints; their addresses are not fixed, hence 0.0.0.0/0), and PostgreSQL to the listed
 * database blocks only.
 */
export function allowClientEgress(
  scope: Construct,
  props: ClientEgressProps,
): VpcSecurityGroupEgressRule[] {
  const rule = (id: string, port: number, cidr: string, description: string) =>
    new VpcSecurityGroupEgressRule(scope, id, {
      provider: props.provider,
      securityGroupId: props.securityGroupId,
      description,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      cidrIpv4: cidr,
    });
  return [
    rule("https-out", 443, "0.0.0.0/0", props.httpsDescription),
    ...props.databaseCidrs.map((cidr, i) =>
      rule(`db-out-${i}`, 5432, cidr, `PostgreSQL to ${cidr}`),
    ),
  ];
}
