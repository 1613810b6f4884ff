import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { type CommonProps, policyDocument } from "./common";

export interface EncryptionKeyProps extends CommonProps {
  /**
   * What the key protects, shown in the console.
   * @default "Encrypts logs, database, secrets and topics of <prefix>"
   */
  readonly description?: string;
  /**
   * Days KMS waits before deleting the key once deletion is scheduled.
   * @default 30 (the maximum: a deleted key makes every encrypted backup unreadable)
   */
  readonly deletionWindowDays?: number;
  /**
   * Suffix of the alias name; a second key in the same region needs its own.
   * @default "main"
   */
  readonly aliasSuffix?: string;
}

/**
 * One customer-managed key per region, rotated yearly, used by every encrypted resource there.
 * Also exposes the account, partition and region so that other constructs can build ARNs without
 * more lookups.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly arn: string;
  readonly keyId: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    if (
      !Number.isInteger(deletionWindowDays) ||
      deletionWindowDays < 7 ||
      deletionWindowDays > 30
    ) {
      throw new Error(
        `EncryptionKey: deletionWindowDays ${deletionWindowDays} must be an integer from 7 to 30`,
      );
    }
    const provider = props.provider;
    this.accountId = new DataAwsCallerIdentity(this, "account", { provider }).accountId;
    this.partition = new DataAwsPartition(this, "partition", { provider }).partition;
    this.region = new DataAwsRegion(this, "region", { provider }).region;
    const root = `arn:${this.partition}:iam::${this.accountId}:root`;

    this.key = new KmsKey(this, "key", {
      provider,
      description:
        props.description ??
        `Encrypts logs, database, secrets and topics of ${props.naming.prefix}`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: policyDocument([
        {
          // A key policy must name the key as "*" (the key it is attached to); granting the
          // account root lets IAM policies in the account govern use, as AWS recommends.
          Sid: "AccountAdministersAndDelegatesToIam",
          Effect: "Allow",
          Principal: { AWS: root },
          Action: "kms:*",
          Resource: "*",
        },
        {
          // CloudWatch Logs encrypts log groups itself, as a service principal, so it needs a
          // grant here; the condition limits it to this account's log groups in this region.
          Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
          Effect: "Allow",
          Principal: { Service: `logs.${this.region}.amazonaws.com` },
          Action: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
          ],
          Resource: "*",
          Condition: {
            ArnLike: {
              "kms:EncryptionContext:aws:logs:arn": `arn:${this.partition}:logs:${this.region}:${this.accountId}:*`,
            },
          },
        },
        {
          // CloudWatch alarms publish to the encrypted SNS topic as this service principal.
          Sid: "CloudWatchAlarmsPublishToEncryptedTopics",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": this.accountId } },
        },
      ]),
    });
    this.alias = new KmsAlias(this, "alias", {
      provider,
      name: props.naming.kmsAlias(props.aliasSuffix ?? "main"),
      targetKeyId: this.key.keyId,
    });
    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
  }
}
