import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { AwsContextLookup } from "../../constructs/aws-context";
import { EncryptionKey } from "../../constructs/encryption-key";
import { policiesOf, resourcesOf, synthJson, testStack } from "../helpers";

describe("EncryptionKey", () => {
  it("creates a rotated key with a 30-day deletion window and an alias from the naming", () => {
    const { stack, naming, aws } = testStack();
    new EncryptionKey(stack, "key", { naming, aws });
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
    const { stack, naming, aws } = testStack();
    new EncryptionKey(stack, "key", { naming, aws });
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(synthesized).not.toHaveResourceWithProperties(KmsKey, { enableKeyRotation: true });
  });

  it("lets the account, CloudWatch Logs (this account's groups only) and CloudWatch alarms use it", () => {
    const { stack, naming, aws } = testStack();
    new EncryptionKey(stack, "key", { naming, aws });
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
    expect(bySid.EventBridgeRulesPublishToEncryptedTopics).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Condition: { StringEquals: { "aws:SourceAccount": expect.any(String) } },
    });
  });

  it("places the key with the given provider and names that provider's account and region", () => {
    const { stack, naming } = testStack();
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    const aws = new AwsContextLookup(stack, "aws-west", { provider: west });
    new EncryptionKey(stack, "key", { naming, provider: west, aws });
    const json = synthJson(stack);
    const key = Object.values(resourcesOf(json, "aws_kms_key"))[0];
    expect(key.provider).toBe("aws.west");
    const [westAccount] = Object.entries(json.data?.aws_caller_identity ?? {}).find(
      ([, d]) => d.provider === "aws.west",
    )!;
    const [westRegion] = Object.entries(json.data?.aws_region ?? {}).find(
      ([, d]) => d.provider === "aws.west",
    )!;
    // The key's policy uses the lookups of the provider it was handed, not the stack's default.
    expect(key.policy).toContain(`data.aws_caller_identity.${westAccount}.account_id`);
    expect(key.policy).toContain(`data.aws_region.${westRegion}.region`);
  });

  it("looks nothing up itself: the account, partition and region come from the context", () => {
    const { stack, naming, aws } = testStack();
    const before = Object.keys(synthJson(stack).data ?? {}).length;
    new EncryptionKey(stack, "key", { naming, aws });
    expect(Object.keys(synthJson(stack).data ?? {}).length).toBe(before);
  });

  it.each([6, 31])("rejects a deletion window of %i days", (days) => {
    const { stack, naming, aws } = testStack();
    expect(
      () => new EncryptionKey(stack, "key", { naming, aws, deletionWindowDays: days }),
    ).toThrow(`EncryptionKey: deletionWindowDays ${days} must be an integer from 7 to 30`);
  });
});
