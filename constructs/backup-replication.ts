import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";

export interface BackupReplicationProps extends CommonProps {
  /** The instance whose automated backups are copied (another region). */
  readonly sourceArn: string;
  /** Encrypts the copies; a key in this construct's region. */
  readonly kmsKey: EncryptionKey;
  /** Days of copies kept (1-35). */
  readonly retentionDays: number;
}

/**
 * Copies another region's automated backups here. A replica replicates a bad write or a dropped
 * table too; these copies keep point-in-time restore possible in this region.
 */
export class BackupReplication extends Construct {
  readonly replication: DbInstanceAutomatedBackupsReplication;

  constructor(scope: Construct, id: string, props: BackupReplicationProps) {
    super(scope, id);
    if (
      !Number.isInteger(props.retentionDays) ||
      props.retentionDays < 1 ||
      props.retentionDays > 35
    ) {
      throw new ConstructError(
        this,
        `BackupReplication: retentionDays ${props.retentionDays} must be a whole number from 1 to 35`,
      );
    }
    this.replication = new DbInstanceAutomatedBackupsReplication(this, "replication", {
      provider: props.provider,
      sourceDbInstanceArn: props.sourceArn,
      kmsKeyId: props.kmsKey.arn,
      retentionPeriod: props.retentionDays,
    });
  }
}
