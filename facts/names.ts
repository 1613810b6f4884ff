/**
 * Name rules of the services this app names things in, so that a name AWS, PostgreSQL or the
 * state backend would refuse is refused at synth time.
 */

/**
 * Length limits by kind of resource. Sources: each service's API reference for the name
 * parameter (CreateLoadBalancer and CreateTargetGroup `Name`: 32; CreateDBInstance
 * `DBInstanceIdentifier`: 63; IAM CreateRole `RoleName`: 64; CreateBucket: 63, of which
 * Terraform's `bucket_prefix` suffix takes 26).
 */
export const NAME_LIMITS = {
  alb: 32,
  targetGroup: 32,
  rdsInstance: 63,
  dbSubnetGroup: 255,
  dbParameterGroup: 255,
  iamRole: 64,
  iamPolicy: 128,
  instanceProfile: 128,
  securityGroup: 255,
  ecsCluster: 255,
  ecsService: 255,
  taskFamily: 255,
  logGroup: 512,
  secret: 512,
  snsTopic: 256,
  kmsAlias: 256,
  wafAcl: 128,
  /** `bucket_prefix` leaves 26 characters for Terraform's unique suffix out of 63. */
  bucketPrefix: 37,
  alarm: 255,
  dashboard: 255,
  scalingPolicy: 255,
  /** CreateFunction `FunctionName` and PutRule `Name`: 64. */
  lambdaFunction: 64,
  eventRule: 64,
  /** SSM CreateDocument `Name`. */
  ssmDocument: 128,
  /** ECR CreatePullThroughCacheRule `ecrRepositoryPrefix`: 2 to 30. */
  ecrRepositoryPrefix: 30,
  generic: 255,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/**
 * S3 general purpose bucket naming rules ("General purpose bucket naming rules", Amazon S3 User
 * Guide, https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 */
export const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
export const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Every rule a full bucket name breaks (empty when S3 accepts it). */
export function s3BucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) problems.push(`is ${name.length} characters (3 to 63)`);
  if (!/^[a-z0-9.-]*$/.test(name)) {
    problems.push("may hold only lower-case letters, digits, dots and hyphens");
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push("must begin and end with a letter or digit");
  }
  if (name.includes("..")) problems.push("must not hold two adjacent dots");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) problems.push("must not look like an IP address");
  problems.push(...s3PrefixProblems(name));
  const suffix = S3_RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) problems.push(`must not end with "${suffix}" (reserved by S3)`);
  return problems;
}

/** The reserved-prefix rule, which also binds a `bucket_prefix`. */
export function s3PrefixProblems(name: string): string[] {
  const prefix = S3_RESERVED_PREFIXES.find((p) => name.startsWith(p));
  return prefix ? [`must not begin with "${prefix}" (reserved by S3)`] : [];
}

/**
 * Load balancer names must not begin with "internal-" (CreateLoadBalancer `Name`, Elastic Load
 * Balancing API Reference).
 */
export const ALB_RESERVED_PREFIX = "internal-";

/** Security group names must not begin with "sg-" (CreateSecurityGroup `GroupName`, Amazon EC2 API Reference). */
export const SECURITY_GROUP_RESERVED_PREFIX = "sg-";

/**
 * RDS identifiers and parameter-group names: start with a letter, no two consecutive hyphens,
 * no trailing hyphen (CreateDBInstance `DBInstanceIdentifier`, CreateDBParameterGroup
 * `DBParameterGroupName`, Amazon RDS API Reference).
 */
export function rdsIdentifierProblem(name: string): string | undefined {
  if (!/^[a-zA-Z]/.test(name)) return "must begin with a letter";
  if (name.includes("--")) return "must not hold two consecutive hyphens";
  if (name.endsWith("-")) return "must not end with a hyphen";
  return undefined;
}

/**
 * DynamoDB table names: 3 to 255 of letters, digits, `_`, `-` and `.` ("Naming rules", Amazon
 * DynamoDB Developer Guide, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
 */
export const DYNAMODB_TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * HCP Terraform names ("Organizations" and "Projects" in the HCP Terraform API documentation):
 * organizations use letters, digits, `-` and `_`; projects also spaces, 3 to 40 characters, not
 * starting or ending with a space.
 */
export const TFC_ORGANIZATION_NAME = /^[A-Za-z0-9_-]+$/;
export const TFC_PROJECT_NAME = /^[A-Za-z0-9_-]([A-Za-z0-9 _-]{1,38})[A-Za-z0-9_-]$/;

/**
 * Tag values: up to 256 Unicode letters, digits, spaces and `_ . : / = + - @`
 * ("Tag naming limits and requirements", Tagging AWS Resources User Guide,
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
 */
export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * An EC2 instance type as AWS spells them: family (with generation and attribute letters), a dot
 * and a size ("Amazon EC2 instance type naming conventions",
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html).
 */
export const EC2_INSTANCE_TYPE =
  /^[a-z]+\d+[a-z-]*\.(nano|micro|small|medium|large|metal|\d+xlarge|xlarge|metal-\d+xl)$/;

/** EC2 families built on Graviton (arm64): a `g` after the generation digit (t4g, m7g, c8gd). */
export function isGravitonInstanceType(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType);
}

/**
 * Names PostgreSQL or RDS keep for themselves: `CREATE ROLE` refuses "public", "none" and names
 * starting with "pg_" ("Database Roles", PostgreSQL documentation); RDS creates "rdsadmin",
 * "rds_superuser" and the other roles listed, and refuses "admin" and "postgres" as the master user
 * ("Master user account privileges", Amazon RDS User Guide).
 */
export const POSTGRES_RESERVED_ROLES = [
  "admin",
  "postgres",
  "public",
  "none",
  "rdsadmin",
  "rdsrepladmin",
  "rdstopmgr",
  "rds_superuser",
  "rds_replication",
  "rds_iam",
  "rds_password",
] as const;
export const POSTGRES_RESERVED_ROLE_PREFIXES = ["pg_"] as const;

/**
 * SQL key words PostgreSQL reserves, which RDS refuses as a master user or database name
 * ("SQL Key Words", PostgreSQL 17 documentation, Appendix C: the "reserved" and "reserved (can
 * be function or type)" entries).
 */
export const POSTGRES_RESERVED_WORDS: ReadonlySet<string> = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check
  collate collation column concurrently constraint create cross current_catalog current_date
  current_role current_schema current_time current_timestamp current_user default deferrable desc
  distinct do else end except false fetch for foreign freeze from full grant group having ilike in
  initially inner intersect into is isnull join lateral leading left like limit localtime
  localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
  references returning right select session_user similar some symmetric system_user table
  tablesample then to trailing true union unique user using variadic verbose when where window with`
    .split(/\s+/)
    .filter(Boolean),
);

/** Databases every PostgreSQL cluster on RDS already has, so none can be created with these names. */
export const POSTGRES_RESERVED_DATABASES = ["template0", "template1", "rdsadmin"] as const;

/** Why PostgreSQL or RDS refuses `name` as the master user name, or undefined. */
export function postgresRoleProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if ((POSTGRES_RESERVED_ROLES as readonly string[]).includes(lower)) {
    return `"${name}" is reserved by RDS or PostgreSQL`;
  }
  const prefix = POSTGRES_RESERVED_ROLE_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix)
    return `"${name}" begins with "${prefix}", which RDS or PostgreSQL reserves for its own roles`;
  if (POSTGRES_RESERVED_WORDS.has(lower))
    return `"${name}" is a reserved SQL key word in PostgreSQL`;
  return undefined;
}

/** Why `name` cannot be the application database's name, or undefined. */
export function postgresDatabaseProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if ((POSTGRES_RESERVED_DATABASES as readonly string[]).includes(lower)) {
    return `"${name}" already exists on every RDS PostgreSQL instance`;
  }
  if (POSTGRES_RESERVED_WORDS.has(lower))
    return `"${name}" is a reserved SQL key word in PostgreSQL`;
  return undefined;
}

/**
 * Image references as the OCI Distribution Specification defines them
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests):
 * a tag is up to 128 of letters, digits, `_`, `.` and `-`, not starting with `.` or `-`; a
 * repository is path components of lower-case letters and digits joined by `.`, `_`, `__` or
 * hyphens. Here the registry host is required (ghcr.io/owner/app).
 */
export const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/**
 * A manifest digest as the same specification defines it for the algorithm registries use,
 * sha256 (https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests): the
 * content itself, so a reference by digest cannot move.
 */
export const OCI_SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
export const OCI_IMAGE_WITH_REGISTRY =
  /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)+$/;
