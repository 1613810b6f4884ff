import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EC2_INSTANCE_TYPE, isGravitonInstanceType } from "../facts";
import { assumeRolePolicy, type CommonProps, buildContext } from "./common";
import { allowClientEgress } from "./egress-rules";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";

export interface BastionProps extends CommonProps {
  readonly vpcId: string;
  /** A private subnet: Session Manager needs no public address. */
  readonly subnetId: string;
  /** Encrypts the root volume. */
  readonly kmsKey: EncryptionKey;
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** EC2 instance type; Graviton types (t4g, m7g...) get the arm64 image. */
  readonly instanceType: string;
  /** Database blocks the bastion may reach on 5432. */
  readonly databaseCidrs: string[];
  /**
   * Single addresses (/32) allowed to SSH in, in addition to Session Manager.
   * @default [] (no inbound rule at all)
   */
  readonly sshAllowedCidrs?: string[];
}

/**
 * A break-glass host reached through SSM Session Manager: no inbound rules, no public address,
 * no key pair, IMDSv2 only, encrypted disk. Admitted to the database by the stack.
 */
export class Bastion extends Construct {
  readonly instance: Instance;
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const { kmsKey } = props;
    const { naming, provider, aws } = buildContext(this, props);
    const ssh = props.sshAllowedCidrs ?? [];
    for (const cidr of ssh) {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/32$/.test(cidr)) {
        throw new ConstructError(
          this,
          `Bastion: sshAllowedCidrs entry ${cidr} must be a single address (/32); use Session Manager for anything wider`,
        );
      }
    }
    if (!EC2_INSTANCE_TYPE.test(props.instanceType)) {
      throw new ConstructError(
        this,
        `Bastion: instanceType "${props.instanceType}" is not an EC2 type such as t4g.nano`,
      );
    }
    const arch = isGravitonInstanceType(props.instanceType) ? "arm64" : "x86_64";

    this.role = new IamRole(this, "role", {
      provider,
      name: naming.name("iamRole", "bastion"),
      assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com", aws.accountId),
    });
    new IamRolePolicyAttachment(this, "ssm", {
      provider,
      role: this.role.name,
      // AWS's managed policy is the minimum Session Manager's agent needs to register and talk.
      policyArn: `arn:${aws.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    this.instanceProfile = new IamInstanceProfile(this, "profile", {
      provider,
      name: naming.name("instanceProfile", "bastion"),
      role: this.role.name,
    });

    this.securityGroup = new SecurityGroup(this, "sg", {
      provider,
      name: naming.name("securityGroup", "bastion"),
      description: "Bastion: no inbound except listed /32 SSH sources; out to SSM and the database",
      vpcId: props.vpcId,
      tags: { Name: naming.name("securityGroup", "bastion") },
    });
    this.securityGroupId = this.securityGroup.id;
    ssh.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `ssh-${i}`, {
        provider,
        securityGroupId: this.securityGroup.id,
        description: `SSH from ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: cidr,
      });
    });
    allowClientEgress(this, {
      provider,
      securityGroupId: this.securityGroup.id,
      httpsDescription: "HTTPS to Session Manager and AWS APIs",
      databaseCidrs: props.databaseCidrs,
    });

    const ami = new DataAwsSsmParameter(this, "ami", {
      provider,
      name: `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`,
    });
    this.instance = new Instance(this, "instance", {
      provider,
      ami: ami.value,
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [this.securityGroup.id],
      iamInstanceProfile: this.instanceProfile.name,
      associatePublicIpAddress: false,
      monitoring: true,
      ebsOptimized: true,
      metadataOptions: {
        httpTokens: "required",
        httpEndpoint: "enabled",
        httpPutResponseHopLimit: 1,
      },
      rootBlockDevice: {
        volumeType: "gp3",
        encrypted: true,
        kmsKeyId: kmsKey.arn,
        deleteOnTermination: true,
      },
      tags: { Name: naming.name("generic", "bastion") },
      // The parameter points at the newest AMI; without this every new release would replace the
      // host on the next plan. Patch through Session Manager, or taint to rebuild on purpose.
      lifecycle: { ignoreChanges: ["ami"] },
    });
  }
}
