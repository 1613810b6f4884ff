import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { type CommonProps, policyDocument, buildContext } from "./common";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";

export interface AlarmTopicProps extends CommonProps {
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** Encrypts the topic; its policy lets CloudWatch alarms use it. */
  readonly kmsKey: EncryptionKey;
  /** Addresses subscribed to the topic; each must confirm by e-mail. */
  readonly emails: string[];
  /**
   * Suffix of the topic name.
   * @default "alarms"
   */
  readonly nameSuffix?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An encrypted SNS topic that CloudWatch alarms publish to, with e-mail subscriptions. */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly arn: string;
  readonly subscriptions: SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const { kmsKey } = props;
    const { naming, provider, aws } = buildContext(this, props);
    const bad = props.emails.filter((e) => !EMAIL.test(e));
    if (bad.length) {
      throw new ConstructError(
        this,
        `AlarmTopic: emails ${bad.map((e) => `"${e}"`).join(", ")} are not e-mail addresses`,
      );
    }
    if (new Set(props.emails).size !== props.emails.length) {
      throw new ConstructError(this, "AlarmTopic: emails lists an address twice");
    }
    this.topic = new SnsTopic(this, "topic", {
      provider,
      name: naming.name("snsTopic", props.nameSuffix ?? "alarms"),
      kmsMasterKeyId: kmsKey.arn,
    });
    this.arn = this.topic.arn;
    new SnsTopicPolicy(this, "policy", {
      provider,
      arn: this.topic.arn,
      policy: policyDocument([
        {
          Sid: "AccountManagesTopic",
          Effect: "Allow",
          Principal: { AWS: `arn:${aws.partition}:iam::${aws.accountId}:root` },
          Action: [
            "sns:Publish",
            "sns:Subscribe",
            "sns:GetTopicAttributes",
            "sns:SetTopicAttributes",
            "sns:ListSubscriptionsByTopic",
          ],
          Resource: this.topic.arn,
        },
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: { StringEquals: { "aws:SourceAccount": aws.accountId } },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sns:Publish",
          Resource: this.topic.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });
    this.subscriptions = props.emails.map(
      (endpoint, i) =>
        new SnsTopicSubscription(this, `email-${i}`, {
          provider,
          topicArn: this.topic.arn,
          protocol: "email",
          endpoint,
        }),
    );
  }
}
