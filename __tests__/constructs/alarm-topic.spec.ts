import { AlarmTopic } from "../../constructs/alarm-topic";
import { EncryptionKey } from "../../constructs/encryption-key";
import { listOf, policiesOf, synthJson, testStack } from "../helpers";

describe("AlarmTopic", () => {
  function build(emails: string[]) {
    const { stack, naming, aws } = testStack();
    const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
    new AlarmTopic(stack, "topic", { naming, kmsKey, aws, emails });
    return synthJson(stack);
  }

  it("is encrypted, lets CloudWatch publish, refuses plain-text publishes, and subscribes each address", () => {
    const json = build(["a@example.com", "b@example.com"]);
    expect(listOf(json, "aws_sns_topic")[0]).toMatchObject({
      name: "hello-you-test-use1-alarms",
      kms_master_key_id: expect.stringContaining("aws_kms_key"),
    });
    const [policy] = policiesOf(json, "aws_sns_topic_policy");
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
      }),
    );
    // EventBridge rules of this deployment in this region only (the fence watch).
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Condition: {
          ArnLike: {
            "aws:SourceArn": expect.stringMatching(
              /^arn:\$\{data\.aws_partition\.[^}]+\}:events:us-east-1:\$\{data\.aws_caller_identity\.[^}]+\}:rule\/hello-you-test-use1-\*$/,
            ),
          },
        },
      }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    expect(listOf(json, "aws_sns_topic_subscription").map((s) => [s.protocol, s.endpoint])).toEqual(
      [
        ["email", "a@example.com"],
        ["email", "b@example.com"],
      ],
    );
  });

  it("rejects bad and duplicate addresses", () => {
    expect(() => build(["nope"])).toThrow('AlarmTopic: emails "nope" are not e-mail addresses');
    expect(() => build(["a@example.com", "a@example.com"])).toThrow(
      "AlarmTopic: emails lists an address twice",
    );
  });
});
