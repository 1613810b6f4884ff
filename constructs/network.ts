import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import {
  NetworkAcl,
  type NetworkAclEgress,
  type NetworkAclIngress,
} from "@cdktf/provider-aws/lib/network-acl";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { cidrsOverlap, resolveZones } from "../facts";
import { assumeRolePolicy, type CommonProps, policyDocument, buildContext } from "./common";
import type { EncryptionKey } from "./encryption-key";
import { subnetLayout } from "./subnet-layout";
import { NameCatalogue } from "../naming/catalogue";
import { ConstructError } from "./stack-context";

export interface NetworkProps extends CommonProps {
  /** The VPC's IPv4 block, /16 to /22. */
  readonly vpcCidr: string;
  /** Availability zones to use, 2 or 3. */
  readonly azCount: number;
  /**
   * Zone names to pin, one per AZ, so the set never grows or shifts when AWS adds a zone.
   * @default the first `azCount` zones of `naming.region` in `facts/regions.ts`
   */
  readonly availabilityZones?: string[];
  /** One NAT gateway per AZ (survives an AZ loss) or one shared. */
  readonly natGateways: "perAz" | "single";
  /** Interface endpoints for Secrets Manager, CloudWatch Logs and ECR in the app subnets. */
  readonly interfaceEndpoints: boolean;
  /** Retention of the flow logs, in days. */
  readonly flowLogRetentionDays: number;
  /** Encrypts the flow-log group. */
  readonly kmsKey: EncryptionKey;
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /**
   * App-subnet CIDRs of a peered VPC that may reach the data subnets on 5432 (region B's tasks
   * writing to this region's database).
   * @default []
   */
  readonly peerAppCidrs?: string[];
}

const POSTGRES = 5432;
const INTERFACE_SERVICES = ["secretsmanager", "logs", "ecr.api", "ecr.dkr"];

/**
 * A VPC in three tiers: public (ALB, NAT), app (tasks, bastion, endpoints) and data (databases,
 * no route out, and a network ACL that admits PostgreSQL from the app tier only).
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnets: Subnet[];
  readonly appSubnets: Subnet[];
  readonly dataSubnets: Subnet[];
  readonly publicSubnetIds: string[];
  readonly appSubnetIds: string[];
  readonly dataSubnetIds: string[];
  /** Literal CIDRs from the layout, known at synth time. */
  readonly appSubnetCidrs: string[];
  readonly dataSubnetCidrs: string[];
  /** AZ names in subnet order. */
  readonly availabilityZones: string[];
  /** One per AZ; the failover stack adds peering routes to them. */
  readonly appRouteTables: RouteTable[];
  readonly dataRouteTables: RouteTable[];
  readonly internetGateway: InternetGateway;
  readonly natGateways: NatGateway[];
  readonly flowLogGroup: CloudwatchLogGroup;
  readonly dataNetworkAcl: NetworkAcl;
  readonly endpointSecurityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { naming, provider } = buildContext(this, props);
    const layout = subnetLayout(props.vpcCidr, props.azCount);
    const peerAppCidrs = props.peerAppCidrs ?? [];
    for (const peer of peerAppCidrs) {
      if (cidrsOverlap(peer, props.vpcCidr)) {
        throw new ConstructError(
          this,
          `Network: peerAppCidrs entry ${peer} overlaps vpcCidr ${props.vpcCidr}; peered VPCs need disjoint blocks`,
        );
      }
    }
    if (props.flowLogRetentionDays <= 0) {
      throw new ConstructError(
        this,
        `Network: flowLogRetentionDays ${props.flowLogRetentionDays} must be positive`,
      );
    }
    const name = (suffix: string) => ({ Name: naming.name("generic", suffix) });

    this.vpc = new Vpc(this, "vpc", {
      provider,
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: new NameCatalogue(naming).vpc },
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = props.vpcCidr;

    // Managing the default security group with no rules closes it: anything launched without an
    // explicit group gets no traffic at all.
    new DefaultSecurityGroup(this, "default-sg", {
      provider,
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: name("default-closed"),
    });

    // Zone names come from the facts rather than a plan-time lookup indexed by AZ, which wrapped
    // around and put two subnets in one zone when a region had fewer zones than azCount.
    const zones = resolveZones(naming.region, props.azCount, props.availabilityZones);
    if (zones.problems.length) {
      throw new ConstructError(
        this,
        `Network: ${zones.problems.map((p) => `${p.field} ${p.message}`).join("; ")}`,
      );
    }
    this.availabilityZones = zones.zones;
    const subnets = (tier: keyof typeof layout) =>
      layout[tier].map(
        (cidrBlock, az) =>
          new Subnet(this, `${tier}-${az}`, {
            provider,
            vpcId: this.vpc.id,
            cidrBlock,
            availabilityZone: this.availabilityZones[az],
            // Nothing gets a public address by accident; the ALB's are managed by AWS.
            mapPublicIpOnLaunch: false,
            tags: { ...name(`${tier}-${az + 1}`), tier },
          }),
      );
    this.publicSubnets = subnets("public");
    this.appSubnets = subnets("app");
    this.dataSubnets = subnets("data");
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
    this.appSubnetIds = this.appSubnets.map((s) => s.id);
    this.dataSubnetIds = this.dataSubnets.map((s) => s.id);
    this.appSubnetCidrs = layout.app;
    this.dataSubnetCidrs = layout.data;

    this.internetGateway = new InternetGateway(this, "igw", {
      provider,
      vpcId: this.vpc.id,
      tags: name("igw"),
    });
    const publicRoutes = new RouteTable(this, "public-rt", {
      provider,
      vpcId: this.vpc.id,
      tags: name("public"),
    });
    new Route(this, "public-default", {
      provider,
      routeTableId: publicRoutes.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: this.internetGateway.id,
    });
    this.publicSubnets.forEach((subnet, az) => {
      new RouteTableAssociation(this, `public-rta-${az}`, {
        provider,
        subnetId: subnet.id,
        routeTableId: publicRoutes.id,
      });
    });

    const natCount = props.natGateways === "perAz" ? props.azCount : 1;
    this.natGateways = Array.from({ length: natCount }, (_, az) => {
      const eip = new Eip(this, `nat-eip-${az}`, {
        provider,
        domain: "vpc",
        tags: name(`nat-${az + 1}`),
      });
      return new NatGateway(this, `nat-${az}`, {
        provider,
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[az].id,
        tags: name(`nat-${az + 1}`),
        dependsOn: [this.internetGateway],
      });
    });

    // A route table per AZ sends each AZ's traffic through its own NAT gateway, so losing one AZ
    // does not cut the others off (with a single NAT they all share it).
    this.appRouteTables = this.appSubnets.map((subnet, az) => {
      const table = new RouteTable(this, `app-rt-${az}`, {
        provider,
        vpcId: this.vpc.id,
        tags: name(`app-${az + 1}`),
      });
      new Route(this, `app-default-${az}`, {
        provider,
        routeTableId: table.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: this.natGateways[Math.min(az, natCount - 1)].id,
      });
      new RouteTableAssociation(this, `app-rta-${az}`, {
        provider,
        subnetId: subnet.id,
        routeTableId: table.id,
      });
      return table;
    });
    // Databases never reach the internet: the data tier's table has local routes only.
    const dataRoutes = new RouteTable(this, "data-rt", {
      provider,
      vpcId: this.vpc.id,
      tags: name("data"),
    });
    this.dataSubnets.forEach((subnet, az) => {
      new RouteTableAssociation(this, `data-rta-${az}`, {
        provider,
        subnetId: subnet.id,
        routeTableId: dataRoutes.id,
      });
    });
    this.dataRouteTables = [dataRoutes];

    this.dataNetworkAcl = this.dataTierAcl(props, layout.app, layout.data, peerAppCidrs);
    this.flowLogGroup = this.flowLogs(props);

    new VpcEndpoint(this, "s3-endpoint", {
      provider,
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${buildContext(this, props).aws.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [...this.appRouteTables, ...this.dataRouteTables].map((t) => t.id),
      tags: name("s3"),
    });
    if (props.interfaceEndpoints) {
      const sg = new SecurityGroup(this, "endpoint-sg", {
        provider,
        name: naming.name("securityGroup", "endpoints"),
        description: "Interface endpoints: HTTPS from inside the VPC only",
        vpcId: this.vpc.id,
        tags: name("endpoints"),
      });
      new VpcSecurityGroupIngressRule(this, "endpoint-https", {
        provider,
        securityGroupId: sg.id,
        description: "HTTPS from the VPC",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: props.vpcCidr,
      });
      for (const service of INTERFACE_SERVICES) {
        new VpcEndpoint(this, `${service.replace(".", "-")}-endpoint`, {
          provider,
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${buildContext(this, props).aws.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.appSubnetIds,
          securityGroupIds: [sg.id],
          tags: name(service),
        });
      }
      this.endpointSecurityGroup = sg;
    }
  }

  private dataTierAcl(
    props: NetworkProps,
    app: string[],
    data: string[],
    peers: string[],
  ): NetworkAcl {
    const clients = [...app, ...peers];
    const ingress: NetworkAclIngress[] = [
      ...clients.map((cidrBlock, i) => rule(100 + i, cidrBlock, POSTGRES, POSTGRES)),
      // Multi-AZ and replica traffic between the data subnets themselves.
      ...data.map((cidrBlock, i) => rule(200 + i, cidrBlock, 0, 0, "-1")),
    ];
    const egress: NetworkAclEgress[] = [
      // NACLs are stateless: replies to clients leave on their ephemeral ports.
      ...clients.map((cidrBlock, i) => rule(100 + i, cidrBlock, 1024, 65535)),
      ...data.map((cidrBlock, i) => rule(200 + i, cidrBlock, 0, 0, "-1")),
    ];
    return new NetworkAcl(this, "data-acl", {
      provider: props.provider,
      vpcId: this.vpc.id,
      subnetIds: this.dataSubnetIds,
      ingress,
      egress,
      tags: { Name: buildContext(this, props).naming.name("generic", "data") },
    });
  }

  private flowLogs(props: NetworkProps): CloudwatchLogGroup {
    const { kmsKey } = props;
    const { naming, provider } = buildContext(this, props);
    const group = new CloudwatchLogGroup(this, "flow-logs", {
      provider,
      name: `/vpc/${naming.name("logGroup", "flow-logs")}`,
      retentionInDays: props.flowLogRetentionDays,
      kmsKeyId: kmsKey.arn,
    });
    const role = new IamRole(this, "flow-logs-role", {
      provider,
      name: naming.name("iamRole", "flow-logs"),
      assumeRolePolicy: assumeRolePolicy(
        "vpc-flow-logs.amazonaws.com",
        buildContext(this, props).aws.accountId,
      ),
    });
    new IamRolePolicy(this, "flow-logs-policy", {
      provider,
      role: role.id,
      name: "write-flow-logs",
      policy: policyDocument([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [group.arn, `${group.arn}:*`],
        },
      ]),
    });
    new FlowLog(this, "flow-log", {
      provider,
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: naming.name("generic", "flow-log") },
    });
    return group;
  }
}

function rule(
  ruleNo: number,
  cidrBlock: string,
  fromPort: number,
  toPort: number,
  protocol = "tcp",
) {
  return { ruleNo, cidrBlock, fromPort, toPort, protocol, action: "allow" };
}
