import { ConfigError, ENVIRONMENTS, validateConfig } from "../../config";
import type { EnvironmentInput } from "../../config/schema";

/** Problems of environment `name`'s file with `patch` applied, as DEPLOY_ENV=`name` would see. */
function problemsOf(patch: (c: EnvironmentInput) => void, name = "dev"): string[] {
  const input = structuredClone(ENVIRONMENTS[name]) as EnvironmentInput;
  patch(input);
  try {
    validateConfig(input, name);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems];
  }
  return [];
}

type Patch = (c: EnvironmentInput) => void;
type Rule = [name: string, accepted: Patch, refused: Patch, message: RegExp, env?: string];

/** Each rule: an input it accepts (no problem at all) and one it refuses with `message`. */
const rules: Rule[] = [
  [
    "region B's image cache serves ghcr.io only",
    (c) => Object.assign(c.failover!, { imageSource: "regionalCache" }),
    (c) => {
      Object.assign(c.failover!, { imageSource: "regionalCache" });
      Object.assign(c.service, { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app" });
    },
    /^failover\.imageSource: regionalCache caches ghcr\.io only, and service\.image is 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/app; set failover\.imageSource: upstream$/,
  ],
  [
    "the server binds the container port",
    (c) =>
      Object.assign(c.service, {
        containerPort: 8000,
        serverCommand: ["gunicorn", "-b", "0.0.0.0:8000", "app:app"],
      }),
    (c) => Object.assign(c.service, { containerPort: 8000 }),
    /^service\.serverCommand: binds 0\.0\.0\.0:5000, but service\.containerPort is 8000: the load balancer would find nothing listening; bind 0\.0\.0\.0:8000$/,
  ],
  [
    "a rollout strategy ECS offers",
    (c) => (c.rollout = { strategy: "blueGreen", bakeTimeMinutes: 0 }),
    (c) => (c.rollout = { strategy: "canary" as "rolling" }),
    /^rollout\.strategy: /,
  ],
  [
    "region exists",
    (c) => (c.network.region = "eu-west-1"),
    (c) => (c.network.region = "us-east-7"),
    /^network\.region: "us-east-7" is not an AWS region; us-east-\* has us-east-1, us-east-2$/,
  ],
  [
    "region is in the commercial partition",
    (c) => (c.failover.network.region = "ca-central-1"),
    (c) => (c.failover.network.region = "us-gov-west-1"),
    /^failover\.network\.region: "us-gov-west-1" is in AWS GovCloud \(US\), which this app does not support/,
  ],
  [
    "pinned zones exist in the region",
    (c) => Object.assign(c.network, { availabilityZones: ["us-east-1a", "us-east-1f"] }),
    (c) => Object.assign(c.network, { availabilityZones: ["us-east-1a", "us-east-1g"] }),
    /^network\.availabilityZones: us-east-1g does not exist in us-east-1; its zones are us-east-1a, .*us-east-1f$/,
  ],
  [
    "pinned zones belong to the region",
    (c) => Object.assign(c.failover.network, { availabilityZones: ["us-west-2c", "us-west-2d"] }),
    (c) => Object.assign(c.failover.network, { availabilityZones: ["us-west-2a", "us-east-1b"] }),
    /^failover\.network\.availabilityZones: us-east-1b is not a zone of us-west-2; use us-west-2a/,
  ],
  [
    "zones where letters skip (ca-central-1 has a, b, d)",
    (c) =>
      Object.assign(c.failover.network, {
        region: "ca-central-1",
        azCount: 3,
        availabilityZones: ["ca-central-1a", "ca-central-1b", "ca-central-1d"],
      }),
    (c) =>
      Object.assign(c.failover.network, {
        region: "ca-central-1",
        availabilityZones: ["ca-central-1a", "ca-central-1c"],
      }),
    /^failover\.network\.availabilityZones: ca-central-1c does not exist in ca-central-1/,
  ],
  [
    "azCount within the zones an account has",
    (c) =>
      Object.assign(c.failover.network, {
        region: "us-west-1",
        azCount: 2,
        availabilityZones: ["us-west-1b", "us-west-1c"],
      }),
    (c) =>
      Object.assign(c.failover.network, {
        region: "us-west-1",
        azCount: 3,
        availabilityZones: ["us-west-1a", "us-west-1b", "us-west-1c"],
      }),
    /^failover\.network\.azCount: is 3, but us-west-1 offers an account 2 availability zones; lower azCount to 2/,
  ],
  [
    "zones pinned where names differ per account",
    (c) =>
      Object.assign(c.failover.network, {
        region: "us-west-1",
        availabilityZones: ["us-west-1a", "us-west-1c"],
      }),
    (c) => (c.failover.network.region = "us-west-1"),
    /^failover\.network\.availabilityZones: must be set in us-west-1: each account sees 2 of us-west-1a, us-west-1b, us-west-1c/,
  ],
  [
    "VPC block without host bits",
    (c) => (c.network.vpcCidr = "10.31.0.0/16"),
    (c) => (c.network.vpcCidr = "10.31.0.1/16"),
    /^network\.vpcCidr: has host bits set; write the network address 10\.31\.0\.0\/16 \(got "10\.31\.0\.1\/16"\)$/,
  ],
  [
    "VPC block in unicast space",
    (c) => (c.network.vpcCidr = "192.168.0.0/16"),
    (c) => (c.network.vpcCidr = "169.254.0.0/16"),
    /^network\.vpcCidr: overlaps 169\.254\.0\.0\/16 \(link-local.*\), which no VPC can use/,
  ],
  [
    "instance class exists for PostgreSQL",
    (c) => (c.database = { ...c.database, instanceClass: "db.m7g.large" }),
    (c) => (c.database = { ...c.database, instanceClass: "db.t5.micro" }),
    /^database\.instanceClass: "db\.t5\.micro": RDS for PostgreSQL has no db\.t5 classes; use a family such as db\.t3, db\.t4g/,
  ],
  [
    "instance class size exists",
    (c) => (c.database = { ...c.database, instanceClass: "db.m6g.16xlarge" }),
    (c) => (c.database = { ...c.database, instanceClass: "db.m6g.24xlarge" }),
    /^database\.instanceClass: "db\.m6g\.24xlarge": db\.m6g comes in large, .*16xlarge \(database\.engineVersion 16\)$/,
  ],
  [
    "instance class offered for the engine version",
    (c) => (c.database = { ...c.database, engineVersion: "17", instanceClass: "db.t3.micro" }),
    (c) => (c.database = { ...c.database, engineVersion: "17", instanceClass: "db.t2.micro" }),
    /^database\.instanceClass: "db\.t2\.micro" is a previous-generation class RDS does not offer for PostgreSQL 17/,
  ],
  [
    "replica classes checked too",
    (c) => (c.failover.replicaInstanceClass = "db.r7g.large"),
    (c) => (c.failover.replicaInstanceClass = "db.r7g.nano"),
    /^failover\.replicaInstanceClass: "db\.r7g\.nano": db\.r7g comes in/,
  ],
  [
    "backup window well formed (across midnight allowed)",
    (c) => (c.database = { ...c.database, backupWindow: "23:30-00:30" }),
    (c) => (c.database = { ...c.database, backupWindow: "25:00-26:00" }),
    /^database\.backupWindow: must be a UTC window hh24:mi-hh24:mi such as 03:00-04:00, hours 00-23 and minutes 00-59 \(got "25:00-26:00"\)$/,
  ],
  [
    "backup window at least 30 minutes",
    (c) => (c.database = { ...c.database, backupWindow: "03:00-03:30" }),
    (c) => (c.database = { ...c.database, backupWindow: "03:00-03:15" }),
    /^database\.backupWindow: lasts 15 minutes; RDS needs at least 30/,
  ],
  [
    "maintenance window well formed (across days allowed)",
    (c) => (c.database = { ...c.database, maintenanceWindow: "sat:23:45-sun:00:15" }),
    (c) => (c.database = { ...c.database, maintenanceWindow: "sunday:05:00-sunday:06:00" }),
    /^database\.maintenanceWindow: must be a UTC window ddd:hh24:mi-ddd:hh24:mi/,
  ],
  [
    "maintenance window at least 30 minutes",
    (c) => (c.database = { ...c.database, maintenanceWindow: "sun:05:00-sun:05:30" }),
    (c) => (c.database = { ...c.database, maintenanceWindow: "sun:05:00-sun:05:20" }),
    /^database\.maintenanceWindow: lasts 20 minutes; RDS needs at least 30/,
  ],
  [
    "backup and maintenance windows apart",
    (c) => (c.database = { ...c.database, backupWindow: "06:00-07:00" }),
    (c) => (c.database = { ...c.database, backupWindow: "05:30-06:30" }),
    /^database\.backupWindow: 05:30-06:30 overlaps database\.maintenanceWindow sun:05:00-sun:06:00; RDS refuses overlapping windows/,
  ],
  [
    "master user name not reserved",
    (c) => (c.database = { ...c.database, username: "app_owner_with_a_long_name" }),
    (c) => (c.database = { ...c.database, username: "pg_app" }),
    /^database\.username: is reserved: "pg_app" begins with "pg_"/,
  ],
  [
    "master user name not a SQL key word",
    (c) => (c.database = { ...c.database, username: "owner" }),
    (c) => (c.database = { ...c.database, username: "user" }),
    /^database\.username: is reserved: "user" is a reserved SQL key word in PostgreSQL/,
  ],
  [
    "master user name at most 63 characters",
    (c) => (c.database = { ...c.database, username: `u${"x".repeat(62)}` }),
    (c) => (c.database = { ...c.database, username: `u${"x".repeat(63)}` }),
    /^database\.username: must be 1 to 63 letters, digits and _/,
  ],
  [
    "database name not taken",
    (c) => (c.database = { ...c.database, databaseName: "orders" }),
    (c) => (c.database = { ...c.database, databaseName: "template1" }),
    /^database\.databaseName: "template1" already exists on every RDS PostgreSQL instance/,
  ],
  [
    "DNS zone name valid",
    (c) => Object.assign(c, { dns: { zoneName: "example.co.uk", recordName: "api" } }),
    (c) => Object.assign(c, { dns: { zoneName: "example..com", recordName: "api" } }),
    /^dns\.zoneName: has label "": each label holds letters, digits and inner hyphens/,
  ],
  [
    "DNS zone name without the final dot",
    (c) => Object.assign(c, { dns: { zoneName: "example.com", recordName: "api" } }),
    (c) => Object.assign(c, { dns: { zoneName: "example.com.", recordName: "api" } }),
    /^dns\.zoneName: must be written without the final dot/,
  ],
  [
    "DNS record name valid",
    (c) => Object.assign(c, { dns: { zoneName: "example.com", recordName: "api.v2" } }),
    (c) => Object.assign(c, { dns: { zoneName: "example.com", recordName: "api_v2" } }),
    /^dns\.recordName: has label "api_v2": each label holds letters, digits and inner hyphens; use a name such as api/,
  ],
  [
    "DNS record name inside the zone",
    (c) => Object.assign(c, { dns: { zoneName: "example.com", recordName: "api" } }),
    (c) => Object.assign(c, { dns: { zoneName: "example.com", recordName: "api.example.com" } }),
    /^dns\.recordName: "api\.example\.com" already contains the zone example\.com, so the record would be api\.example\.com\.example\.com; give the name inside the zone: "api"$/,
  ],
  [
    "DNS name short enough for an ACM certificate",
    (c) => Object.assign(c, { dns: { zoneName: "example.com", recordName: "a".repeat(52) } }),
    (c) => Object.assign(c, { dns: { zoneName: "example.com", recordName: "a".repeat(53) } }),
    /^dns\.recordName: with the zone gives "a+\.example\.com" \(65 characters\); ACM certificates take at most 64/,
  ],
  [
    "project gives S3 bucket prefixes S3 accepts",
    (c) => (c.project = "xnapp"),
    (c) => (c.project = "xn--app"),
    /^project: "xn--app" gives the S3 bucket prefix "xn--app-dev-use1-alb-logs-", which must not begin with "xn--"/,
  ],
  [
    "project gives a load balancer name ELB accepts",
    (c) => (c.project = "intern"),
    (c) => (c.project = "internal"),
    /^project: "internal" gives the load balancer name "internal-dev-use1-alb"; ELB refuses names beginning with "internal-"/,
  ],
  [
    "project gives RDS identifiers RDS accepts",
    (c) => (c.project = "hello-you2"),
    (c) => (c.project = "hello--you"),
    /^project: "hello--you" gives the RDS identifier "hello--you-dev-use1-db", which must not hold two consecutive hyphens/,
  ],
  [
    "project gives security group names EC2 accepts",
    (c) => (c.project = "sgx"),
    (c) => (c.project = "sg"),
    /^project: "sg" gives security group names such as "sg-dev-use1-db"; EC2 refuses names beginning with "sg-"/,
  ],
  [
    "storage ceiling at least 10 % above the allocation",
    (c) => (c.database = { ...c.database, allocatedStorage: 100, maxAllocatedStorage: 110 }),
    (c) => (c.database = { ...c.database, allocatedStorage: 100, maxAllocatedStorage: 100 }),
    /^database\.maxAllocatedStorage: 100 GiB is less than 10 % above database\.allocatedStorage 100 GiB, which RDS storage autoscaling refuses; set it to at least 110$/,
  ],
  [
    "environment matches the file DEPLOY_ENV chose",
    (c) => (c.environment = "dev"),
    (c) => (c.environment = "prod"),
    /^environment: is "prod" in the file chosen by DEPLOY_ENV=dev; .*set environment: "dev"$/,
  ],
  [
    "production's primary region runs a task",
    (c) => (c.scaling = { minCapacity: 1, maxCapacity: 6, desiredCount: 1 }),
    (c) => (c.scaling = { minCapacity: 0, maxCapacity: 6, desiredCount: 0 }),
    /^scaling\.minCapacity: 0 with scaling\.desiredCount 0 leaves the primary region of "prod" with no task to serve/,
    "prod",
  ],
  [
    "repository is a valid tag value",
    (c) => (c.repository = "git@github.com:acme/hello-you-infra.git"),
    (c) => (c.repository = "acme/infra#main"),
    /^repository: must be a valid AWS tag value: .* \(got "acme\/infra#main"\)$/,
  ],
  [
    "alarm addresses listed once",
    (c) => (c.alarms = { emails: ["a@example.com", "b@example.com"] }),
    (c) => (c.alarms = { emails: ["a@example.com", "A@example.com"] }),
    /^alarms\.emails\.1: "A@example\.com" is listed twice/,
  ],
  [
    "bastion instance type is an EC2 type",
    (c) => (c.bastion = { enabled: true, instanceType: "m7i-flex.large" }),
    (c) => (c.bastion = { enabled: true, instanceType: "small" }),
    /^bastion\.instanceType: must be an EC2 instance type such as t4g\.nano or t3\.micro \(got "small"\)$/,
  ],
  [
    "health-check interval Route53 allows",
    (c) => (c.failover.healthCheck = { intervalSeconds: 30 }),
    (c) => (c.failover.healthCheck = { intervalSeconds: 20 as 10 }),
    /^failover\.healthCheck\.intervalSeconds: must be 10 or 30: the only request intervals Route53 health checks allow \(got 20\)$/,
  ],
  [
    "environment variable names",
    (c) => (c.service.environment = { LOG_FORMAT: "json" }),
    (c) => (c.service.environment = { "1BAD": "x" }),
    /^service\.environment: key "1BAD" is not a valid variable name: letters, digits and _, not starting with a digit/,
  ],
  [
    "health-check path short enough for Route53",
    (c) => (c.service.healthCheckPath = `/${"h".repeat(254)}`),
    (c) => (c.service.healthCheckPath = `/${"h".repeat(255)}`),
    /^service\.healthCheckPath: must be at most 255 characters: Route53 health checks probe it too/,
  ],
  [
    "image is a registry path",
    (c) => (c.service.image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app"),
    (c) => (c.service.image = "ghcr.io//app"),
    /^service\.image: must be a registry path without a tag, such as ghcr\.io\/owner\/app \(got "ghcr\.io\/\/app"\)$/,
  ],
  [
    "slow-query threshold PostgreSQL can hold",
    (c) => (c.database = { ...c.database, slowQueryMs: 2147483647 }),
    (c) => (c.database = { ...c.database, slowQueryMs: 2147483648 }),
    /^database\.slowQueryMs: must be at most 2147483647 \(got 2147483648\)$/,
  ],
  [
    "automatic promotion pages someone before it promotes",
    (c) => (c.alarms = { emails: ["oncall@example.com"] }),
    (c) => (c.alarms = { emails: [] }),
    /^failover\.automatic: is true but alarms\.emails is empty: the page before an automatic promotion .* would reach no one/,
  ],
  [
    "automatic promotion: quorum and hold at most 20 minutes together",
    (c) => (c.failover.automation = { quorumMinutes: 10, holdMinutes: 10 }),
    (c) => (c.failover.automation = { quorumMinutes: 15, holdMinutes: 6 }),
    /^failover\.automation\.holdMinutes: 6 with quorumMinutes 15 waits 21 minutes before promoting, more than 20/,
  ],
  [
    "automatic promotion: a quorum window of at least 2 minutes",
    (c) => (c.failover.automation = { quorumMinutes: 2 }),
    (c) => (c.failover.automation = { quorumMinutes: 1 }),
    /^failover\.automation\.quorumMinutes: /,
  ],
  [
    "automatic promotion: a hold window of 1 to 30 minutes",
    (c) => (c.failover.automation = { holdMinutes: 1 }),
    (c) => (c.failover.automation = { holdMinutes: 0 }),
    /^failover\.automation\.holdMinutes: /,
  ],
];

describe("validation rules against AWS facts", () => {
  it.each(rules)("%s", (_name, accepted, refused, message, env = "dev") => {
    expect(problemsOf(accepted, env)).toEqual([]);
    expect(problemsOf(refused, env)).toEqual(
      expect.arrayContaining([expect.stringMatching(message)]),
    );
  });

  it("a primary region with no task is allowed outside production (warned about instead)", () => {
    expect(
      problemsOf((c) => (c.scaling = { minCapacity: 0, maxCapacity: 3, desiredCount: 0 })),
    ).toEqual([]);
  });

  it("states a missing required setting as such", () => {
    expect(problemsOf((c) => delete (c as Partial<EnvironmentInput>).project)).toEqual([
      "project: is required (string)",
    ]);
  });
});
