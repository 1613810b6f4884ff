import { BackupReplication } from "../../constructs/backup-replication";
import { EncryptionKey } from "../../constructs/encryption-key";
import { listOf, synthJson, testStack } from "../helpers";

describe("BackupReplication", () => {
  function build(retentionDays: number) {
    const { stack, naming, aws } = testStack("us-west-2");
    const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
    new BackupReplication(stack, "backups", {
      naming,
      kmsKey,
      sourceArn: "arn:aws:rds:us-east-1:123456789012:db:a",
      retentionDays,
    });
    return synthJson(stack);
  }

  it("copies the source's automated backups here, encrypted with the local key", () => {
    expect(listOf(build(7), "aws_db_instance_automated_backups_replication")[0]).toMatchObject({
      source_db_instance_arn: "arn:aws:rds:us-east-1:123456789012:db:a",
      kms_key_id: expect.stringContaining("aws_kms_key"),
      retention_period: 7,
    });
  });

  it("rejects retention outside 1-35 days", () => {
    expect(() => build(36)).toThrow(
      "BackupReplication: retentionDays 36 must be a whole number from 1 to 35",
    );
  });
});
