import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { EC2_INSTANCE_TYPE, isLogRetention, LOG_RETENTION_DAYS } from "../facts";
import { assumeRolePolicy, buildContext, type CommonProps, policyDocument } from "./common";
import { allowClientEgress } from "./egress-rules";
import type { EncryptionKey } from "./encryption-key";
import { amazonLinuxImage, hardenedHost } from "./linux-host";
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
   * Days session transcripts are kept.
   * @default 365
   */
  readonly sessionLogRetentionDays?: number;
}

/** Minutes of inactivity, and of any session, before Session Manager ends it. */
const IDLE_SESSION_MINUTES = 20;
const MAX_SESSION_MINUTES = 60;

/**
 * A break-glass host reached through SSM Session Manager only: no inbound rule at all, no public
 * address, no key pair, IMDSv2 only, encrypted disk. Sessions run the construct's own Session
 * document, which encrypts them with the key and streams every transcript to an encrypted log
 * group; the operator policy lets people start sessions on this host with that document only.
 * Admitted to the database by the stack.
 */
export class Bastion extends Construct {
  readonly instance: Instance;
  readonly securityGroup: SecurityGroup;
  readonly securityGroupId: string;
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  /** Where every session's transcript goes. */
  readonly sessionLogGroup: CloudwatchLogGroup;
  /** The Session document operators start sessions with (`--document-name`). */
  readonly sessionDocument: SsmDocument;
  /** What an operator needs, and all: attach it to the people or permission set on call. */
  readonly operatorPolicy: IamPolicy;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const { kmsKey } = props;
    const { naming, provider, aws } = buildContext(this, props);
    const retentionInDays = props.sessionLogRetentionDays ?? 365;
    if (!isLogRetention(retentionInDays)) {
      throw new ConstructError(
        this,
        `Bastion: sessionLogRetentionDays ${retentionInDays} is not a CloudWatch Logs retention; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      );
    }
    if (!EC2_INSTANCE_TYPE.test(props.instanceType)) {
      throw new ConstructError(
        this,
        `Bastion: instanceType "${props.instanceType}" is not an EC2 type such as t4g.nano`,
      );
    }

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
      description: "Bastion: no inbound rule (Session Manager only); out to SSM and the database",
      vpcId: props.vpcId,
      tags: { Name: naming.name("securityGroup", "bastion") },
    });
    this.securityGroupId = this.securityGroup.id;
    allowClientEgress(this, {
      provider,
      securityGroupId: this.securityGroup.id,
      httpsDescription: "HTTPS to Session Manager and AWS APIs",
      databaseCidrs: props.databaseCidrs,
    });

    const ami = amazonLinuxImage(this, provider, props.instanceType);
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
      ...hardenedHost(kmsKey),
      tags: { Name: naming.name("generic", "bastion") },
      // The parameter points at the newest AMI; without this every new release would replace the
      // host on the next plan. Patch through Session Manager, or taint to rebuild on purpose.
      lifecycle: { ignoreChanges: ["ami"] },
    });

    this.sessionLogGroup = new CloudwatchLogGroup(this, "sessions", {
      provider,
      name: `/ssm/${naming.name("logGroup", "bastion-sessions")}`,
      retentionInDays,
      kmsKeyId: kmsKey.arn,
    });
    this.sessionDocument = new SsmDocument(this, "session-document", {
      provider,
      name: naming.name("ssmDocument", "bastion-session"),
      documentType: "Session",
      documentFormat: "JSON",
      content: JSON.stringify({
        schemaVersion: "1.0",
        description: "Bastion sessions: encrypted with the key, every transcript kept",
        sessionType: "Standard_Stream",
        inputs: {
          s3BucketName: "",
          s3KeyPrefix: "",
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: this.sessionLogGroup.name,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: kmsKey.arn,
          runAsEnabled: false,
          runAsDefaultUser: "",
          idleSessionTimeout: String(IDLE_SESSION_MINUTES),
          maxSessionDuration: String(MAX_SESSION_MINUTES),
          shellProfile: { linux: "", windows: "" },
        },
      }),
    });

    const logGroupArn = this.sessionLogGroup.arn;
    new IamRolePolicy(this, "session-logging", {
      provider,
      name: "session-logging",
      role: this.role.id,
      policy: policyDocument([
        {
          Sid: "WriteSessionTranscripts",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [logGroupArn, `${logGroupArn}:log-stream:*`],
        },
        {
          // The agent checks the destination and its encryption; DescribeLogGroups cannot be scoped.
          Sid: "FindSessionLogGroup",
          Effect: "Allow",
          Action: "logs:DescribeLogGroups",
          Resource: "*",
        },
        {
          Sid: "DecryptSessionData",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: kmsKey.arn,
        },
      ]),
    });

    const instanceArn = `arn:${aws.partition}:ec2:${naming.region}:${aws.accountId}:instance/${this.instance.id}`;
    this.operatorPolicy = new IamPolicy(this, "operator", {
      provider,
      name: naming.name("iamPolicy", "bastion-operator"),
      description: "Start logged Session Manager sessions on the bastion, and only those",
      policy: policyDocument([
        {
          Sid: "StartLoggedSessionsOnTheBastionOnly",
          Effect: "Allow",
          Action: "ssm:StartSession",
          Resource: [instanceArn, this.sessionDocument.arn],
          // Refuses a session that names no document (the account's unlogged default).
          Condition: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
        },
        {
          Sid: "EndOrResumeOwnSessions",
          Effect: "Allow",
          Action: ["ssm:ResumeSession", "ssm:TerminateSession"],
          // `$${...}` is Terraform's escape: IAM receives its own policy variable ${aws:userid}.
          Resource: `arn:${aws.partition}:ssm:${naming.region}:${aws.accountId}:session/$\${aws:userid}-*`,
        },
        {
          Sid: "EncryptOwnSessionData",
          Effect: "Allow",
          Action: "kms:GenerateDataKey",
          Resource: kmsKey.arn,
        },
      ]),
    });
  }
}
