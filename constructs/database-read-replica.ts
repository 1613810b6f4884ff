import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { Token } from "cdktf";
import type { Construct } from "constructs";
import { DatabaseBase, type DatabaseBaseProps } from "./database";
import { NameCatalogue } from "../naming/catalogue";
import { buildContext } from "./common";
import { ConstructError } from "./stack-context";

export interface DatabaseReadReplicaProps extends DatabaseBaseProps {
  /**
   * ARN of the instance to replicate, usually in another region; the replica is encrypted with
   * `kmsKey` (a key in this region) and inherits the source's credentials.
   */
  readonly sourceArn: string;
  /**
   * Instance class of the replica.
   * @default settings.instanceClass (the source's class)
   */
  readonly instanceClass?: string;
  /**
   * The replica has been promoted (docs/disaster-recovery.md): describe it as the standalone
   * writer it now is, so Terraform stops treating it as a replica (terraform-provider-aws
   * issue 4419).
   * @default false
   */
  readonly promoted?: boolean;
}

const RDS_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:db:[a-z][a-z0-9-]*$/;

/**
 * A read replica of an instance given by ARN, with its own security group, subnet group,
 * parameter group, monitoring and log exports, hardened like the writer; once `promoted`, the
 * writer it has become. In the spirit of CDK's `DatabaseInstanceReadReplica`.
 */
export class DatabaseReadReplica extends DatabaseBase {
  readonly instance: DbInstance;
  readonly address: string;
  readonly port: number;
  readonly arn: string;
  readonly identifier: string;

  constructor(scope: Construct, id: string, props: DatabaseReadReplicaProps) {
    const { settings, sourceArn } = props;
    const instanceClass = props.instanceClass ?? settings.instanceClass;
    super(scope, id, props, {
      kind: "DatabaseReadReplica",
      role: "db-replica",
      instanceClass,
    });
    if (!Token.isUnresolved(sourceArn) && !RDS_ARN.test(sourceArn)) {
      throw new ConstructError(
        this,
        `DatabaseReadReplica: sourceArn "${sourceArn}" is not an RDS instance ARN (arn:aws:rds:<region>:<account>:db:<id>)`,
      );
    }
    const { naming } = buildContext(this, props);
    this.checkClass("instanceClass", instanceClass);
    const identifier = new NameCatalogue(naming).databaseInstance("db-replica");
    this.instance = new DbInstance(this, "replica", {
      ...this.common,
      identifier,
      // Once promoted the instance is a writer: drop the source and describe its engine.
      ...(props.promoted
        ? {
            engine: "postgres",
            engineVersion: settings.engineVersion,
            ...this.majorUpgrade,
            multiAz: settings.multiAz,
            // The promoted writer gets its standby now, not in its next maintenance window (up
            // to a week as a single-AZ writer).
            applyImmediately: true,
          }
        : { replicateSourceDb: sourceArn, multiAz: false }),
      dbSubnetGroupName: this.subnetGroup.name,
      backupRetentionPeriod: settings.backupRetentionDays,
      backupWindow: settings.backupWindow,
      // A replica cannot take a final snapshot; once promoted it is a writer that should.
      ...(props.promoted ? this.finalSnapshot(identifier) : { skipFinalSnapshot: true }),
      dependsOn: this.exportLogGroups(identifier),
      // Promotion is `npm run dr -- promote`'s, never Terraform's: from a stale state (an apply
      // with -refresh=false while IAM's API is down with region A) the provider would otherwise
      // call PromoteReadReplica on an instance that already is a writer.
      lifecycle: {
        ...this.common.lifecycle,
        ignoreChanges: ["replicate_source_db"],
      },
    });
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.arn = this.instance.arn;
    this.identifier = this.instance.identifier;
  }
}
