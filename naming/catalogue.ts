/**
 * The catalogue of physical names that more than one home reads: the construct that creates the
 * resource, the config rules that check the name is one AWS takes, and the recovery tool that
 * finds it during an incident without Terraform state. Each is derived here once; the others
 * read it. Names only their own construct uses are derived there, with the same `Naming`.
 */
import type { NameKind } from "../facts/names";
import { Naming } from "./naming";

/** A database's role in its region: the writer (`db`), or a replica (`db-replica`). */
export type DatabaseRole = "db" | "db-replica";

/** Suffixes of the names with the tightest limits; validation insists they fit untruncated. */
export const STRICT_NAMES = {
  alb: { kind: "alb", suffix: "alb" },
  targetGroup: { kind: "targetGroup", suffix: "tg" },
  alternateTargetGroup: { kind: "targetGroup", suffix: "tg-b" },
} as const satisfies Record<string, { kind: NameKind; suffix: string }>;

export class NameCatalogue {
  constructor(readonly naming: Naming) {}

  /** The catalogue of `project` and `environment` in `region`. */
  static of(project: string, environment: string, region: string): NameCatalogue {
    return new NameCatalogue(new Naming(project, environment, region));
  }

  /** The same project and environment in another region. */
  forRegion(region: string): NameCatalogue {
    return new NameCatalogue(this.naming.forRegion(region));
  }

  databaseInstance(role: DatabaseRole): string {
    return this.naming.name("rdsInstance", role);
  }

  databaseSecurityGroup(role: DatabaseRole): string {
    return this.naming.name("securityGroup", role);
  }

  databaseSubnetGroup(role: DatabaseRole): string {
    return this.naming.name("dbSubnetGroup", role);
  }

  /** One parameter group per major version, so an upgrade can create the next beside it. */
  databaseParameterGroup(role: DatabaseRole, major: string): string {
    return this.naming.name("dbParameterGroup", `${role}-pg${major}`);
  }

  databaseMonitoringRole(role: DatabaseRole): string {
    return this.naming.name("iamRole", `${role}-monitoring`);
  }

  /** The secret holding the writer's connection details (DATABASE_URL's source). */
  get connectionSecret(): string {
    return this.naming.name("secret", "database");
  }

  /** The alias of the region's customer-managed key. */
  get keyAlias(): string {
    return this.naming.kmsAlias("main");
  }

  ecsCluster(service: string): string {
    return this.naming.name("ecsCluster", service);
  }

  ecsService(service: string): string {
    return this.naming.name("ecsService", service);
  }

  /** The log group the service's tasks write to. */
  serviceLogGroup(service: string): string {
    return `/ecs/${this.naming.name("logGroup", service)}`;
  }

  taskFamily(service: string): string {
    return this.naming.name("taskFamily", service);
  }

  /** The role an operator assumes to run `npm run dr` (region B's failover stack creates it). */
  get drOperatorRole(): string {
    return this.naming.name("iamRole", "dr-operator");
  }

  /**
   * Repository prefix of the region's ECR pull-through cache of ghcr.io: cached images are
   * `<registry>/<prefix>/<ghcr path>`.
   */
  get imageCachePrefix(): string {
    return this.naming.name("ecrRepositoryPrefix", "ghcr");
  }

  /** The cache's upstream credentials; ECR takes only secrets named `ecr-pullthroughcache/...`. */
  get imageCacheSecret(): string {
    return `ecr-pullthroughcache/${this.naming.name("secret", "ghcr")}`;
  }

  /** The role ECS starts the service's tasks with (pulls the image, reads the secrets). */
  get taskExecutionRole(): string {
    return this.naming.name("iamRole", "task-execution");
  }

  /** The role the service's containers run as. */
  get taskRole(): string {
    return this.naming.name("iamRole", "task");
  }

  /**
   * The alias of the key in region B that encrypts B's copies of region A's secrets: the primary
   * stack owns it (it replicates the secrets and is deployed first), the failover stack finds it
   * by this alias, in B, without reading A.
   */
  get replicaKeyAlias(): string {
    return this.naming.kmsAlias(NameCatalogue.REPLICA_KEY_SUFFIX);
  }

  /** Suffix of the replica key's alias, for the key construct that creates it. */
  static readonly REPLICA_KEY_SUFFIX = "replicas";

  get loadBalancer(): string {
    return this.naming.name("alb", STRICT_NAMES.alb.suffix);
  }

  get targetGroup(): string {
    return this.naming.name("targetGroup", STRICT_NAMES.targetGroup.suffix);
  }

  /** Blue/green's second target group: the new revision's, until traffic moves to it. */
  get alternateTargetGroup(): string {
    return this.naming.name("targetGroup", STRICT_NAMES.alternateTargetGroup.suffix);
  }

  /** The `Name` tag of the region's VPC. */
  get vpc(): string {
    return this.naming.name("generic", "vpc");
  }

  /** Prefix of the ALB access-log bucket (Terraform appends a unique suffix). */
  get accessLogsBucketPrefix(): string {
    return this.naming.bucketPrefix("alb-logs");
  }

  /** CloudWatch Logs group where `npm run dr` writes its audit trail. */
  get auditLogGroup(): string {
    return `/dr/${this.naming.name("logGroup", "recovery")}`;
  }

  /** SSM parameter (in region B) holding region A's ALB DNS name. */
  get primaryEndpointParameter(): string {
    return `/${this.naming.project}/${this.naming.environment}/dr/primary-endpoint`;
  }

  /** SSM parameter (in region A) holding region B's ALB DNS name, which A's fence enforcer reads. */
  get fenceLocationParameter(): string {
    return `/${this.naming.project}/${this.naming.environment}/dr/fence-location`;
  }

  /**
   * SSM parameter (in region B) of the automatic promotion (docs/adr/0004-automatic-promotion.md):
   * `switch` (armed or disarmed, set by people), `latch` (unused until the function promotes
   * once; people reset it) or `state` (the function's memory between runs).
   */
  autoPromotionParameter(kind: "switch" | "latch" | "state"): string {
    return `/${this.naming.project}/${this.naming.environment}/dr/auto-promotion/${kind}`;
  }

  /** A CloudWatch alarm of the region, by its suffix. */
  alarm(suffix: string): string {
    return this.naming.name("alarm", suffix);
  }

  /** A name before it is fitted to its limit: what validation measures. */
  untruncated(suffix: string): string {
    return this.naming.full(suffix);
  }
}
