import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { Password } from "@cdktf/provider-random/lib/password";
import type { Construct } from "constructs";
import { DatabaseBase, type DatabaseBaseProps, type DatabaseSettings } from "./database";
import { NameCatalogue } from "../naming/catalogue";
import { buildContext } from "./common";

/** A writer's settings: the shared ones plus its in-region replica. */
export interface DatabaseInstanceSettings extends DatabaseSettings {
  /** An in-region read replica in the second AZ. */
  readonly readReplica: boolean;
  /** Class of the in-region replica; undefined: `instanceClass`. */
  readonly replicaInstanceClass?: string;
}

export interface DatabaseInstanceProps extends DatabaseBaseProps {
  readonly settings: DatabaseInstanceSettings;
  /**
   * AZ names in subnet order; the in-region replica goes to the second so it survives the loss
   * of the writer's AZ.
   * @default RDS chooses
   */
  readonly availabilityZones?: string[];
}

/**
 * A PostgreSQL writer with generated credentials and, when the settings ask, an in-region read
 * replica sharing its security group, subnet group and parameter group. In the spirit of CDK's
 * `DatabaseInstance`.
 */
export class DatabaseInstance extends DatabaseBase {
  readonly instance: DbInstance;
  readonly replica?: DbInstance;
  /** Generated master password; a reference, never a literal in the output. */
  readonly masterPassword: string;
  readonly address: string;
  readonly port: number;
  readonly arn: string;
  readonly identifier: string;
  readonly replicaAddress?: string;
  readonly replicaIdentifier?: string;

  constructor(scope: Construct, id: string, props: DatabaseInstanceProps) {
    const { settings } = props;
    super(scope, id, props, {
      kind: "DatabaseInstance",
      role: "db",
      instanceClass: settings.instanceClass,
    });
    const { naming } = buildContext(this, props);
    this.checkClass("settings.instanceClass", settings.instanceClass);
    this.checkClass("settings.replicaInstanceClass", settings.replicaInstanceClass);
    const names = new NameCatalogue(naming);
    const identifier = names.databaseInstance("db");

    this.masterPassword = new Password(this, "master-password", {
      length: 32,
      // URL-safe specials only: the password goes into DATABASE_URL, and RDS forbids / @ " and space.
      special: true,
      overrideSpecial: "-_",
      minSpecial: 2,
      minNumeric: 2,
    }).result;
    this.instance = new DbInstance(this, "writer", {
      ...this.common,
      identifier,
      engine: "postgres",
      engineVersion: settings.engineVersion,
      ...this.majorUpgrade,
      allocatedStorage: settings.allocatedStorage,
      dbName: settings.databaseName,
      username: settings.username,
      password: this.masterPassword,
      dbSubnetGroupName: this.subnetGroup.name,
      multiAz: settings.multiAz,
      availabilityZone: settings.multiAz ? undefined : props.availabilityZones?.[0],
      backupRetentionPeriod: settings.backupRetentionDays,
      backupWindow: settings.backupWindow,
      ...this.finalSnapshot(identifier),
      dependsOn: this.exportLogGroups(identifier),
    });
    if (settings.readReplica) {
      const replicaId = names.databaseInstance("db-replica");
      this.replica = new DbInstance(this, "replica", {
        ...this.common,
        identifier: replicaId,
        replicateSourceDb: this.instance.identifier,
        instanceClass: settings.replicaInstanceClass ?? settings.instanceClass,
        availabilityZone: props.availabilityZones?.[1],
        multiAz: false,
        // Backups on the replica let it be promoted with point-in-time recovery in place.
        backupRetentionPeriod: settings.backupRetentionDays,
        backupWindow: settings.backupWindow,
        // RDS refuses a final snapshot of a read replica; the writer holds the data.
        skipFinalSnapshot: true,
        dependsOn: this.exportLogGroups(replicaId),
      });
      this.replicaAddress = this.replica.address;
      this.replicaIdentifier = this.replica.identifier;
    }
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.arn = this.instance.arn;
    this.identifier = this.instance.identifier;
  }
}
