import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { type CommonProps, policyDocument, buildContext } from "./common";
import { NameCatalogue } from "../naming/catalogue";
import { ConstructError } from "./stack-context";

export interface EncryptionKeyProps extends CommonProps {
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
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
   * @default the region's key alias of naming/catalogue.ts (`...-main`)
   */
  readonly aliasSuffix?: string;
}

/** One customer-managed key per region, rotated yearly, used by every encrypted resource there. */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  readonly arn: string;
  readonly keyId: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    if (
      !Number.isInteger(deletionWindowDays) ||
      deletionWindowDays < 7 ||
      deletionWindowDays > 30
    ) {
      throw new ConstructError(
        this,
        `EncryptionKey: deletionWindowDays ${deletionWindowDays} must be an integer from 7 to 30`,
      );
    }
    const { provider, aws } = buildContext(this, props);
    const root = `arn:${aws.partition}:iam::${aws.accountId}:root`;

    this.key = new KmsKey(this, "key", {
      provider,
      description:
        props.description ??
        `Encrypts logs, database, secrets and topics of ${buildContext(this, props).naming.prefix}`,
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
          Principal: { Service: `logs.${aws.region}.amazonaws.com` },
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
              "kms:EncryptionContext:aws:logs:arn": `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:*`,
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
          Condition: { StringEquals: { "aws:SourceAccount": aws.accountId } },
        },
      ]),
    });
    this.alias = new KmsAlias(this, "alias", {
      provider,
      name: props.aliasSuffix
        ? buildContext(this, props).naming.kmsAlias(props.aliasSuffix)
        : new NameCatalogue(buildContext(this, props).naming).keyAlias,
      targetKeyId: this.key.keyId,
    });
    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
  }
}
