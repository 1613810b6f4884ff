import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Password } from "@cdktf/provider-random/lib/password";
import { Token } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { type POSTGRES_MAJOR_VERSIONS, minStorageCeiling, postgresClassProblem } from "../facts";
import { assumeRolePolicy, type CommonProps } from "./common";
import type { EncryptionKey } from "./encryption-key";

/** What the instances run and how they are kept; every field applies to writer and replicas. */
export interface DatabaseSettings {
  readonly engineVersion: (typeof POSTGRES_MAJOR_VERSIONS)[number];
  /** Lets a change of `engineVersion` apply at once, with downtime (docs/upgrades.md). */
  readonly allowMajorVersionUpgrade: boolean;
  readonly instanceClass: string;
  /** GiB at creation, and the ceiling storage autoscaling may grow to. */
  readonly allocatedStorage: number;
  readonly maxAllocatedStorage: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  /** UTC `hh:mm-hh:mm`, not overlapping the maintenance window. */
  readonly backupWindow: string;
  /** UTC `ddd:hh:mm-ddd:hh:mm`. */
  readonly maintenanceWindow: string;
  /** Deletion protection, a final snapshot and Terraform's `prevent_destroy`. */
  readonly deletionProtection: boolean;
  /** An in-region read replica in the second AZ (writers only). */
  readonly readReplica: boolean;
  /** Class of the in-region replica; undefined: `instanceClass`. */
  readonly replicaInstanceClass?: string;
  readonly databaseName: string;
  readonly username: string;
  /** Statements slower than this many milliseconds are logged; -1 logs none. */
  readonly slowQueryMs: number;
  /** Enhanced monitoring interval; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  /** Days the exported PostgreSQL logs are kept. */
  readonly logRetentionDays: number;
}

export interface DatabaseProps extends CommonProps {
  /** Engine, sizes, backups, protection and logging. */
  readonly settings: DatabaseSettings;
  /** Encrypts storage, Performance Insights and the exported logs. */
  readonly kmsKey: EncryptionKey;
  /** Account, partition and region of the provider: the monitoring role's trust and policy. */
  readonly aws: AwsContext;
  readonly vpcId: string;
  /** Private data subnets, one per AZ. */
  readonly subnetIds: string[];
  /**
   * AZ names in subnet order; the in-region replica goes to the second so it survives the loss
   * of the writer's AZ.
   * @default RDS chooses
   */
  readonly availabilityZones?: string[];
  /**
   * Make this a cross-region read replica of the instance with this ARN, encrypted with
   * `kmsKey` (a key in this region). No credentials: the replica inherits them.
   * @default undefined: a new writer with generated credentials
   */
  readonly replicateSourceArn?: string;
  /**
   * The cross-region replica has been promoted (docs/disaster-recovery.md): describe it as the
   * standalone writer it now is, so Terraform stops treating it as a replica
   * (terraform-provider-aws issue 4419). Only with `replicateSourceArn`.
   * @default false
   */
  readonly promoted?: boolean;
  /**
   * Instance class of this instance.
   * @default settings.instanceClass
   */
  readonly instanceClass?: string;
  /**
   * Suffix of the names of everything created.
   * @default "db"
   */
  readonly nameSuffix?: string;
}

const RDS_ARN = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:db:[a-z][a-z0-9-]*$/;
const LOG_EXPORTS = ["postgresql", "upgrade"];

/**
 * RDS PostgreSQL, hardened: encrypted, private, TLS-only, IAM auth, slow-query logging, enhanced
 * monitoring and Performance Insights, deletion protection and a final snapshot when the settings ask.
 * Either a writer (with an optional in-region replica) or a cross-region replica.
 */
export class Database extends Construct {
  readonly instance: DbInstance;
  readonly replica?: DbInstance;
  readonly securityGroup: SecurityGroup;
  readonly subnetGroup: DbSubnetGroup;
  readonly parameterGroup: DbParameterGroup;
  /** Generated master password (writer mode); a reference, never a literal in the output. */
  readonly masterPassword?: string;
  readonly username: string;
  readonly databaseName: string;
  readonly address: string;
  readonly port: number;
  readonly arn: string;
  readonly identifier: string;
  readonly replicaAddress?: string;
  readonly replicaIdentifier?: string;
  readonly logGroups: CloudwatchLogGroup[] = [];
  readonly monitoringRole?: IamRole;

  private readonly provider?: AwsProvider;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { naming, provider, settings, kmsKey } = props;
    this.provider = provider;
    const source = props.replicateSourceArn;
    if (source !== undefined && !Token.isUnresolved(source) && !RDS_ARN.test(source)) {
      throw new Error(
        `Database: replicateSourceArn "${source}" is not an RDS instance ARN (arn:aws:rds:<region>:<account>:db:<id>)`,
      );
    }
    if (props.promoted && source === undefined) {
      throw new Error(
        "Database: promoted applies only to a cross-region replica (set replicateSourceArn)",
      );
    }
    const ceiling = minStorageCeiling(settings.allocatedStorage);
    if (settings.maxAllocatedStorage < ceiling) {
      throw new Error(
        `Database: settings.maxAllocatedStorage ${settings.maxAllocatedStorage} must be at least ${ceiling}, 10 % above allocatedStorage ${settings.allocatedStorage}`,
      );
    }
    if (props.subnetIds.length < 2) {
      throw new Error(
        `Database: subnetIds has ${props.subnetIds.length} subnet(s); RDS needs subnets in at least two AZs`,
      );
    }
    const classes = {
      instanceClass: props.instanceClass ?? settings.instanceClass,
      "settings.replicaInstanceClass": settings.replicaInstanceClass,
    };
    for (const [name, instanceClass] of Object.entries(classes)) {
      const problem = instanceClass && postgresClassProblem(instanceClass, settings.engineVersion);
      if (problem) throw new Error(`Database: ${name} ${problem}`);
    }
    const suffix = props.nameSuffix ?? "db";
    const identifier = naming.name("rdsInstance", suffix);
    const major = settings.engineVersion;

    this.securityGroup = new SecurityGroup(this, "sg", {
      provider,
      name: naming.name("securityGroup", suffix),
      description: "PostgreSQL: ingress only from the rules added with allowPostgresFrom",
      vpcId: props.vpcId,
      tags: { Name: naming.name("securityGroup", suffix) },
      // No egress: the database never initiates connections.
    });
    this.subnetGroup = new DbSubnetGroup(this, "subnets", {
      provider,
      name: naming.name("dbSubnetGroup", suffix),
      subnetIds: props.subnetIds,
    });
    this.parameterGroup = new DbParameterGroup(this, "params", {
      provider,
      name: naming.name("dbParameterGroup", `${suffix}-pg${major}`),
      family: `postgres${major}`,
      description: "TLS only; slow statements, DDL and connections logged",
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: String(settings.slowQueryMs) },
        { name: "log_statement", value: "ddl" },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
      ],
      lifecycle: { createBeforeDestroy: true },
    });
    if (settings.monitoringIntervalSeconds > 0) {
      this.monitoringRole = new IamRole(this, "monitoring-role", {
        provider,
        name: naming.name("iamRole", `${suffix}-monitoring`),
        assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com", props.aws.accountId),
      });
      new IamRolePolicyAttachment(this, "monitoring-policy", {
        provider,
        role: this.monitoringRole.name,
        // AWS's managed policy is the documented way to grant enhanced monitoring; it only
        // writes to the RDSOSMetrics log group.
        policyArn: `arn:${props.aws.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      });
    }

    const common = {
      provider,
      instanceClass: props.instanceClass ?? settings.instanceClass,
      storageType: "gp3",
      maxAllocatedStorage: settings.maxAllocatedStorage,
      storageEncrypted: true,
      kmsKeyId: kmsKey.arn,
      parameterGroupName: this.parameterGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      autoMinorVersionUpgrade: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      copyTagsToSnapshot: true,
      deletionProtection: settings.deletionProtection,
      maintenanceWindow: settings.maintenanceWindow,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: kmsKey.arn,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: settings.monitoringIntervalSeconds,
      monitoringRoleArn: this.monitoringRole?.arn,
      enabledCloudwatchLogsExports: LOG_EXPORTS,
      lifecycle: settings.deletionProtection ? { preventDestroy: true } : undefined,
    };
    // RDS refuses a new major version without the flag. Applying at once (not in the maintenance
    // window) lets the same apply move the replica to the new family's parameter group after its
    // writer: RDS upgrades in-region replicas with their writer.
    const majorUpgrade = settings.allowMajorVersionUpgrade
      ? { allowMajorVersionUpgrade: true, applyImmediately: true }
      : {};
    const finalSnapshot = (name: string) =>
      settings.deletionProtection
        ? { skipFinalSnapshot: false, finalSnapshotIdentifier: `${name}-final` }
        : { skipFinalSnapshot: true };

    if (source === undefined) {
      this.username = settings.username;
      this.databaseName = settings.databaseName;
      this.masterPassword = new Password(this, "master-password", {
        length: 32,
        // URL-safe specials only: the password goes into DATABASE_URL, and RDS forbids / @ " and space.
        special: true,
        overrideSpecial: "-_",
        minSpecial: 2,
        minNumeric: 2,
      }).result;
      this.instance = new DbInstance(this, "writer", {
        ...common,
        identifier,
        engine: "postgres",
        engineVersion: major,
        ...majorUpgrade,
        allocatedStorage: settings.allocatedStorage,
        dbName: settings.databaseName,
        username: settings.username,
        password: this.masterPassword,
        dbSubnetGroupName: this.subnetGroup.name,
        multiAz: settings.multiAz,
        availabilityZone: settings.multiAz ? undefined : props.availabilityZones?.[0],
        backupRetentionPeriod: settings.backupRetentionDays,
        backupWindow: settings.backupWindow,
        ...finalSnapshot(identifier),
        dependsOn: this.exportLogGroups(identifier, props),
      });
      if (settings.readReplica) {
        const replicaId = naming.name("rdsInstance", `${suffix}-replica`);
        this.replica = new DbInstance(this, "replica", {
          ...common,
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
          dependsOn: this.exportLogGroups(replicaId, props),
        });
        this.replicaAddress = this.replica.address;
        this.replicaIdentifier = this.replica.identifier;
      }
    } else {
      // Inherited from the source instance, like the password.
      this.username = settings.username;
      this.databaseName = settings.databaseName;
      this.instance = new DbInstance(this, "replica", {
        ...common,
        identifier,
        // Once promoted the instance is a writer: drop the source and describe its engine.
        ...(props.promoted
          ? { engine: "postgres", engineVersion: major, ...majorUpgrade, multiAz: settings.multiAz }
          : { replicateSourceDb: source, multiAz: false }),
        dbSubnetGroupName: this.subnetGroup.name,
        backupRetentionPeriod: settings.backupRetentionDays,
        backupWindow: settings.backupWindow,
        // A replica cannot take a final snapshot; once promoted it is a writer that should.
        ...(props.promoted ? finalSnapshot(identifier) : { skipFinalSnapshot: true }),
        dependsOn: this.exportLogGroups(identifier, props),
      });
    }
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.arn = this.instance.arn;
    this.identifier = this.instance.identifier;
  }

  /**
   * Admits PostgreSQL from a security group or a CIDR. `scope` and `provider` let another stack
   * (the failover stack, through its region-A provider) own the rule.
   */
  allowPostgresFrom(
    id: string,
    source: { securityGroupId: string } | { cidr: string },
    description: string,
    scope: Construct = this,
    provider: AwsProvider | undefined = this.provider,
  ): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(scope, id, {
      provider,
      securityGroupId: this.securityGroup.id,
      description,
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      ...("cidr" in source
        ? { cidrIpv4: source.cidr }
        : { referencedSecurityGroupId: source.securityGroupId }),
    });
  }

  /** Created before the instance, so RDS writes into encrypted groups with retention. */
  private exportLogGroups(identifier: string, props: DatabaseProps): CloudwatchLogGroup[] {
    const groups = LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `logs-${identifier}-${log}`, {
          provider: props.provider,
          name: `/aws/rds/instance/${identifier}/${log}`,
          retentionInDays: props.settings.logRetentionDays,
          kmsKeyId: props.kmsKey.arn,
        }),
    );
    this.logGroups.push(...groups);
    return groups;
  }
}
