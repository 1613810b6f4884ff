import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import type { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { cidrWithin, EC2_INSTANCE_TYPE } from "../facts";
import { buildContext, type CommonProps } from "./common";
import { ConstructError } from "./stack-context";
import type { EncryptionKey } from "./encryption-key";
import { amazonLinuxImage, hardenedHost } from "./linux-host";

export interface NatInstanceProps extends CommonProps {
  readonly vpcId: string;
  /** The VPC's block: the translated sources must lie inside it. */
  readonly vpcCidr: string;
  /** A public subnet (its route table leads to the internet gateway). */
  readonly subnetId: string;
  /** The private subnets whose HTTPS it translates (the app tier). */
  readonly sourceCidrs: string[];
  /** EC2 instance type; Graviton types (t4g...) get the arm64 image. */
  readonly instanceType: string;
  /** Encrypts the root volume. */
  readonly kmsKey: EncryptionKey;
  /**
   * The VPC's internet gateway: the first-boot script installs packages through it, and an
   * Elastic IP needs it attached.
   */
  readonly internetGateway: InternetGateway;
}

/** Root volume of the NAT instance: Amazon Linux 2023's image size. */
const NAT_ROOT_GIB = 8;

/** Only HTTPS goes through: image pulls and AWS APIs. DNS and time stay inside the VPC. */
const HTTPS = 443;

/**
 * A NAT instance: one small EC2 host in a public subnet that translates the app tier's outbound
 * HTTPS, for the pilot light's standby tasks (a NAT gateway costs about five times as much:
 * docs/architecture.md, "What the pilot light costs"). No inbound from the internet, no key pair,
 * no instance role, IMDSv2 only, encrypted disk; EC2's simplified automatic recovery restarts it
 * on a failed host, and the failover stack pages on a failed status check.
 */
export class NatInstance extends Construct {
  readonly instance: Instance;
  readonly securityGroup: SecurityGroup;
  readonly eip: Eip;
  /** The route target: the instance's primary network interface. */
  readonly networkInterfaceId: string;

  constructor(scope: Construct, id: string, props: NatInstanceProps) {
    super(scope, id);
    const { kmsKey } = props;
    const { naming, provider } = buildContext(this, props);
    if (!EC2_INSTANCE_TYPE.test(props.instanceType)) {
      throw new ConstructError(
        this,
        `NatInstance: instanceType "${props.instanceType}" is not an EC2 type such as t4g.nano`,
      );
    }
    if (props.sourceCidrs.length === 0) {
      throw new ConstructError(
        this,
        "NatInstance: sourceCidrs is empty; list the app subnets it serves",
      );
    }
    for (const cidr of props.sourceCidrs) {
      if (!cidrWithin(cidr, props.vpcCidr)) {
        throw new ConstructError(
          this,
          `NatInstance: sourceCidrs entry ${cidr} is outside vpcCidr ${props.vpcCidr}; it translates its own VPC's subnets only`,
        );
      }
    }

    this.securityGroup = new SecurityGroup(this, "sg", {
      provider,
      name: naming.name("securityGroup", "nat"),
      description: "NAT instance: HTTPS from the app subnets in, HTTPS out",
      vpcId: props.vpcId,
      tags: { Name: naming.name("securityGroup", "nat") },
    });
    props.sourceCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `https-in-${i}`, {
        provider,
        securityGroupId: this.securityGroup.id,
        description: `HTTPS to translate, from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: HTTPS,
        toPort: HTTPS,
        cidrIpv4: cidr,
      });
    });
    new VpcSecurityGroupEgressRule(this, "https-out", {
      provider,
      securityGroupId: this.securityGroup.id,
      // Registries and AWS APIs have no fixed addresses, as for every client here.
      description: "HTTPS to registries, AWS APIs and the OS packages",
      ipProtocol: "tcp",
      fromPort: HTTPS,
      toPort: HTTPS,
      cidrIpv4: "0.0.0.0/0",
    });

    const ami = amazonLinuxImage(this, provider, props.instanceType);
    this.instance = new Instance(this, "instance", {
      provider,
      ami: ami.value,
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [this.securityGroup.id],
      // Forwarding other hosts' packets is the point.
      sourceDestCheck: false,
      associatePublicIpAddress: false,
      ebsOptimized: true,
      userData: natUserData(props.sourceCidrs),
      // The script runs at first boot only: a changed script needs a new instance.
      userDataReplaceOnChange: true,
      maintenanceOptions: { autoRecovery: "default" },
      // Amazon Linux 2023's own size, stated: the disk the cost model prices, and a block device
      // mapping complete without the image's snapshot (the emulator needs it).
      ...hardenedHost(kmsKey, NAT_ROOT_GIB),
      tags: { Name: naming.name("generic", "nat") },
      // The parameter names the newest AMI: without this every release would replace the
      // instance, and cut the standby's egress, at some unplanned apply. Replace on purpose.
      lifecycle: { ignoreChanges: ["ami"] },
      dependsOn: [props.internetGateway],
    });
    this.networkInterfaceId = this.instance.primaryNetworkInterfaceId;
    this.eip = new Eip(this, "eip", {
      provider,
      domain: "vpc",
      instance: this.instance.id,
      tags: { Name: naming.name("generic", "nat") },
      dependsOn: [props.internetGateway],
    });
  }
}

/**
 * First-boot script: forward IPv4 and masquerade the sources' traffic out of the default
 * interface, with nftables (Amazon Linux 2023 has no iptables service). The package install
 * retries until the Elastic IP is attached, which Terraform does after the instance starts.
 */
export function natUserData(sourceCidrs: string[]): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    "until dnf install -y nftables; do sleep 10; done",
    "echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf",
    "sysctl --system",
    "iface=$(ip -o route show default | awk '{print $5; exit}')",
    "cat > /etc/sysconfig/nftables.conf <<EOF",
    "table ip nat {",
    "  chain postrouting {",
    "    type nat hook postrouting priority srcnat; policy accept;",
    `    oifname "$iface" ip saddr { ${sourceCidrs.join(", ")} } tcp dport ${HTTPS} masquerade`,
    "  }",
    "}",
    "EOF",
    "systemctl enable --now nftables",
    "",
  ].join("\n");
}
