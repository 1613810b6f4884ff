import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { DnsFailover } from "../constructs/dns-failover";
import { VpcPeering } from "../constructs/vpc-peering";
import { FENCE_PATH, FENCE_SEARCH_STRING } from "../naming/recovery";
import { BaseStack, type BaseStackProps } from "./base-stack";
import type { FailoverStack } from "./failover-stack";
import type { PrimaryStack } from "./primary-stack";
import { NameCatalogue } from "../naming/catalogue";

export interface LinkStackProps extends Omit<BaseStackProps, "region"> {
  readonly primary: PrimaryStack;
  readonly failover: FailoverStack;
}

/**
 * What ties the two regions together and needs both of them, or Route53's API: the peering
 * (requested from B, accepted in A), A's database rules for B's tasks, the DNS failover records
 * with their health checks and fence, and the note in B of A's endpoint. Recovery never applies
 * this stack: losing it, or region A, leaves region B's own stack free to plan and apply.
 */
export class LinkStack extends BaseStack {
  /** Provider alias for region A's half of the peering and its database rules. */
  readonly primaryRegion: AwsProvider;
  readonly peering: VpcPeering;
  readonly dnsFailover?: DnsFailover;
  readonly primaryEndpoint: SsmParameter;
  /** In region A: where A's fence enforcer finds region B's fence. */
  readonly fenceLocation: SsmParameter;

  constructor(scope: Construct, props: LinkStackProps) {
    super(scope, "link", { ...props, region: props.config.failover.network.region });
    const { config, naming } = this;
    const { primary, failover } = props;
    this.primaryRegion = this.awsProvider("aws_primary", config.network.region, "primary");

    this.peering = new VpcPeering(this, "peering", {
      naming,
      peerProvider: this.primaryRegion,
      requester: {
        vpcId: failover.network.vpcId,
        routeTableIds: failover.network.appRouteTables.map((t) => t.id),
        destinationCidrs: primary.network.dataSubnetCidrs,
      },
      accepter: {
        region: config.network.region,
        vpcId: primary.network.vpcId,
        routeTableIds: primary.network.dataRouteTables.map((t) => t.id),
        destinationCidrs: failover.network.appSubnetCidrs,
      },
    });
    // Security-group references do not cross regions: region B's app subnets by CIDR.
    failover.network.appSubnetCidrs.forEach((cidr, i) =>
      primary.database.allowPostgresFrom(
        `primary-db-from-b-${i}`,
        { cidr },
        `PostgreSQL from region B app subnet ${cidr}`,
        this,
        this.primaryRegion,
      ),
    );

    // `npm run dr -- promote` probes A here before promoting, reading only region B.
    this.primaryEndpoint = new SsmParameter(this, "primary-endpoint", {
      name: failover.names.primaryEndpointParameter,
      description: "Region A's ALB DNS name, for the recovery tool's is-A-down check",
      // Not a secret, but encrypted like everything else of region B, with B's own key.
      type: "SecureString",
      keyId: new NameCatalogue(naming).keyAlias,
      value: primary.loadBalancer.dnsName,
    });

    // Region A's fence enforcer reads B's fence here, through region A's APIs only.
    this.fenceLocation = new SsmParameter(this, "fence-location", {
      provider: this.primaryRegion,
      name: failover.names.fenceLocationParameter,
      description: "Region B's ALB DNS name, where region A's fence enforcer reads the fence",
      type: "SecureString",
      keyId: new NameCatalogue(naming).forRegion(config.network.region).keyAlias,
      value: failover.loadBalancer.dnsName,
    });

    const { zoneId, fqdn } = primary.loadBalancer;
    if (config.dns && zoneId && fqdn) {
      this.dnsFailover = new DnsFailover(this, "dns-failover", {
        naming,
        zoneId,
        fqdn,
        primary: { dnsName: primary.loadBalancer.dnsName, zoneId: primary.loadBalancer.albZoneId },
        secondary: {
          dnsName: failover.loadBalancer.dnsName,
          zoneId: failover.loadBalancer.albZoneId,
        },
        fence: {
          dnsName: failover.loadBalancer.dnsName,
          path: FENCE_PATH,
          searchString: FENCE_SEARCH_STRING,
        },
        healthCheckPath: config.service.healthCheckPath,
        intervalSeconds: config.failover.healthCheck.intervalSeconds,
        failureThreshold: config.failover.healthCheck.failureThreshold,
        alarmEmails: config.alarms.emails,
        providerTags: this.providerTags,
      });
      new TerraformOutput(this, "health_check_id", {
        value: this.dnsFailover.healthCheck.id,
        description: "Route53 health check of region A",
      });
      new TerraformOutput(this, "fence_check_id", {
        value: this.dnsFailover.fenceCheck.id,
        description: "Route53 health check of region B's fence",
      });
    }
    new TerraformOutput(this, "peering_id", {
      value: this.peering.id,
      description: "VPC peering between region B's app subnets and region A's data subnets",
    });
  }
}
