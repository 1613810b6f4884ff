import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { DbInstance, DbInstanceConfig } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { type POSTGRES_MAJOR_VERSIONS, minStorageCeiling, postgresClassProblem } from "../facts";
import type { AwsContext } from "./aws-context";
import { assumeRolePolicy, type CommonProps, buildContext } from "./common";
import type { EncryptionKey } from "./encryption-key";
import { type DatabaseRole, NameCatalogue } from "../naming/catalogue";
import { ConstructError } from "./stack-context";

/** What an instance runs and how it is kept; every field applies to writers and replicas alike. */
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
  readonly databaseName: string;
  readonly username: string;
  /** Statements slower than this many milliseconds are logged; -1 logs none. */
  readonly slowQueryMs: number;
  /** Enhanced monitoring interval; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  /** Days the exported PostgreSQL logs are kept. */
  readonly logRetentionDays: number;
}

/** What every PostgreSQL construct takes. */
export interface DatabaseBaseProps extends CommonProps {
  /** Engine, sizes, backups, protection and logging. */
  readonly settings: DatabaseSettings;
  /** Encrypts storage, Performance Insights and the exported logs. */
  readonly kmsKey: EncryptionKey;
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  readonly vpcId: string;
  /** Private data subnets, one per AZ. */
  readonly subnetIds: string[];
}

/** What the base builds once for its subclass: names and the shared instance arguments. */
interface BaseShape {
  /** Class name for error messages (bundlers may rename classes). */
  readonly kind: string;
  /** Its role, which names everything the construct creates (naming/catalogue.ts). */
  readonly role: DatabaseRole;
  /** Class of the construct's own instance. */
  readonly instanceClass: string;
}

export const LOG_EXPORTS = ["postgresql", "upgrade"];

/**
 * What `DatabaseInstance` (a writer) and `DatabaseReadReplica` (a cross-region replica) share:
 * the security group (no rules until `allowPostgresFrom`), subnet group, a parameter group per
 * major version forcing TLS and logging slow statements, DDL and connections, enhanced
 * monitoring, and the hardened arguments of every instance. In the spirit of CDK's
 * `DatabaseInstanceBase`.
 */
export abstract class DatabaseBase extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly subnetGroup: DbSubnetGroup;
  readonly parameterGroup: DbParameterGroup;
  readonly monitoringRole?: IamRole;
  readonly logGroups: CloudwatchLogGroup[] = [];
  /** The construct's own instance: the writer, or the replica. */
  abstract readonly instance: DbInstance;
  abstract readonly address: string;
  abstract readonly port: number;
  abstract readonly arn: string;
  abstract readonly identifier: string;
  readonly username: string;
  readonly databaseName: string;

  protected readonly props: DatabaseBaseProps;
  private readonly kind: string;
  /** The instance arguments every instance of the construct shares. */
  protected readonly common: Omit<DbInstanceConfig, "instanceClass"> & { instanceClass: string };
  /** RDS refuses a new major version without the flag (see `majorUpgrade`). */
  protected readonly majorUpgrade: Partial<DbInstanceConfig>;
  private readonly provider?: AwsProvider;

  protected constructor(scope: Construct, id: string, props: DatabaseBaseProps, shape: BaseShape) {
    super(scope, id);
    const { settings, kmsKey } = props;
    const { naming, provider, aws } = buildContext(this, props);
    const name = shape.kind;
    this.kind = shape.kind;
    this.props = props;
    this.provider = provider;
    const ceiling = minStorageCeiling(settings.allocatedStorage);
    if (settings.maxAllocatedStorage < ceiling) {
      throw new ConstructError(
        this,
        `${name}: settings.maxAllocatedStorage ${settings.maxAllocatedStorage} must be at least ${ceiling}, 10 % above allocatedStorage ${settings.allocatedStorage}`,
      );
    }
    if (props.subnetIds.length < 2) {
      throw new ConstructError(
        this,
        `${name}: subnetIds has ${props.subnetIds.length} subnet(s); RDS needs subnets in at least two AZs`,
      );
    }
    const { role } = shape;
    const names = new NameCatalogue(naming);
    const major = settings.engineVersion;
    // Connection details a replica inherits from its source, like the password.
    this.username = settings.username;
    this.databaseName = settings.databaseName;

    this.securityGroup = new SecurityGroup(this, "sg", {
      provider,
      name: names.databaseSecurityGroup(role),
      description: "PostgreSQL: ingress only from the rules added with allowPostgresFrom",
      vpcId: props.vpcId,
      tags: { Name: names.databaseSecurityGroup(role) },
      // No egress: the database never initiates connections.
    });
    this.subnetGroup = new DbSubnetGroup(this, "subnets", {
      provider,
      name: names.databaseSubnetGroup(role),
      subnetIds: props.subnetIds,
    });
    this.parameterGroup = new DbParameterGroup(this, "params", {
      provider,
      name: names.databaseParameterGroup(role, major),
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
        name: names.databaseMonitoringRole(role),
        assumeRolePolicy: assumeRolePolicy("monitoring.rds.amazonaws.com", aws.accountId),
      });
      new IamRolePolicyAttachment(this, "monitoring-policy", {
        provider,
        role: this.monitoringRole.name,
        // AWS's managed policy is the documented way to grant enhanced monitoring; it only
        // writes to the RDSOSMetrics log group.
        policyArn: `arn:${aws.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
      });
    }

    this.common = {
      provider,
      instanceClass: shape.instanceClass,
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
    // Applying at once (not in the maintenance window) lets the same apply move a replica to the
    // new family's parameter group after its writer: RDS upgrades in-region replicas with it.
    this.majorUpgrade = settings.allowMajorVersionUpgrade
      ? { allowMajorVersionUpgrade: true, applyImmediately: true }
      : {};
  }

  /** Refuses an instance class RDS does not offer for the engine version (facts/rds.ts). */
  protected checkClass(field: string, instanceClass: string | undefined): void {
    const problem =
      instanceClass && postgresClassProblem(instanceClass, this.props.settings.engineVersion);
    if (problem) throw new ConstructError(this, `${this.kind}: ${field} ${problem}`);
  }

  /** A final snapshot before deletion when the data is protected. */
  protected finalSnapshot(identifier: string): Partial<DbInstanceConfig> {
    return this.props.settings.deletionProtection
      ? { skipFinalSnapshot: false, finalSnapshotIdentifier: `${identifier}-final` }
      : { skipFinalSnapshot: true };
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
  protected exportLogGroups(identifier: string): CloudwatchLogGroup[] {
    const groups = LOG_EXPORTS.map(
      (log) =>
        new CloudwatchLogGroup(this, `logs-${identifier}-${log}`, {
          provider: this.props.provider,
          name: `/aws/rds/instance/${identifier}/${log}`,
          retentionInDays: this.props.settings.logRetentionDays,
          kmsKeyId: this.props.kmsKey.arn,
        }),
    );
    this.logGroups.push(...groups);
    return groups;
  }
}
