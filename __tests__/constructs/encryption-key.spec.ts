import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { EncryptionKey } from "../../constructs/encryption-key";
import { policiesOf, resourcesOf, synthJson, testStack } from "../helpers";

describe("EncryptionKey", () => {
  it("creates a rotated key with a 30-day deletion window and an alias from the naming", () => {
    const { stack, naming } = testStack();
    new EncryptionKey(stack, "key", { naming });
    const json = synthJson(stack);
    expect(Object.values(resourcesOf(json, "aws_kms_key"))[0]).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(Object.values(resourcesOf(json, "aws_kms_alias"))[0]).toMatchObject({
      name: "alias/hello-you-test-use1-main",
    });
  });

  it("reads the same through cdktf's jest matchers (snake_case keys)", () => {
    const { stack, naming } = testStack();
    new EncryptionKey(stack, "key", { naming });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(synthesized).not.toHaveResourceWithProperties(KmsKey, { enableKeyRotation: true });
    expect(synthesized).toHaveDataSource(DataAwsCallerIdentity);
  });

  it("lets the account, CloudWatch Logs (this account's groups only) and CloudWatch alarms use it", () => {
    const { stack, naming } = testStack();
    new EncryptionKey(stack, "key", { naming });
    const [policy] = policiesOf(synthJson(stack), "aws_kms_key");
    const bySid = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s]));
    expect(bySid.AccountAdministersAndDelegatesToIam.Principal).toEqual({
      AWS: expect.stringMatching(
        /^arn:\$\{data\.aws_partition\..+\}:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:root$/,
      ),
    });
    expect(bySid.CloudWatchLogsEncryptsThisAccountsLogGroups).toMatchObject({
      Principal: {
        Service: expect.stringMatching(
          /^logs\.\$\{data\.aws_region\..+\.region\}\.amazonaws\.com$/,
        ),
      },
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": expect.stringContaining(":logs:") },
      },
    });
    expect(bySid.CloudWatchAlarmsPublishToEncryptedTopics).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    });
  });

  it("places the key and its lookups with the given provider", () => {
    const { stack, naming } = testStack();
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    new EncryptionKey(stack, "key", { naming, provider: west });
    const json = synthJson(stack);
    expect(Object.values(resourcesOf(json, "aws_kms_key"))[0].provider).toBe("aws.west");
    expect(Object.values(json.data?.aws_caller_identity ?? {})[0].provider).toBe("aws.west");
  });

  it.each([6, 31])("rejects a deletion window of %i days", (days) => {
    const { stack, naming } = testStack();
    expect(() => new EncryptionKey(stack, "key", { naming, deletionWindowDays: days })).toThrow(
      `EncryptionKey: deletionWindowDays ${days} must be an integer from 7 to 30`,
    );
  });
});
