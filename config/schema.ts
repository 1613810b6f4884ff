/**
 * The typed shape of an environment's settings, with every default in one place.
 *
 * Structure and per-field ranges live here; rules that relate several fields
 * (overlapping CIDRs, scaling bounds, Fargate sizes, name lengths) live in
 * `validate.ts`, so that every problem is reported at once.
 */
import { z } from "zod";

const cidr = z.cidrv4({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16", abort: true });
const prefixLength = (block: string): number => Number(block.split("/")[1]);
const region = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "must be an AWS region code such as us-east-1" });
/** The retention values CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;
const retentionDays = z
  .number()
  .int()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    error: `must be one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(", ")}`,
  });
const percent = z.number().gt(0).max(100);

const network = z.strictObject({
  /** AWS region code. */
  region,
  /** The VPC's IPv4 block; /16 to /24. Subnets are carved from it in `constructs/network`. */
  vpcCidr: cidr.refine((c) => prefixLength(c) >= 16 && prefixLength(c) <= 22, {
    error: "must be a /16 to /22 block, so that nine subnets of useful size fit",
  }),
  /** How many availability zones to spread subnets over (2 or 3). */
  azCount: z.number().int().min(2).max(3).default(2),
  /** `perAz`: one NAT gateway per AZ (survives an AZ loss); `single`: one shared NAT (cheaper). */
  natGateways: z.enum(["perAz", "single"]).default("perAz"),
  /** Interface endpoints for Secrets Manager, CloudWatch Logs and ECR, so that task start-up
   * traffic stays off the NAT gateways. */
  interfaceEndpoints: z.boolean().default(true),
  /** Retention of the VPC flow logs. */
  flowLogRetentionDays: retentionDays.default(90),
});

const service = z.strictObject({
  /** Short service name used in resource names. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, { error: "use lower-case letters, digits and hyphens" })
    .default("hello-you"),
  /** Container image without its tag. */
  image: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+$/, {
      error: "must be a registry path without a tag, such as ghcr.io/owner/app",
    })
    .default("ghcr.io/diogo-pessoa/hello-you-api"),
  /** Image tag; the IMAGE_TAG environment variable overrides it at synth time. */
  imageTag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "must be a valid image tag" }),
  /** Port the container listens on. */
  containerPort: z.number().int().min(1).max(65535).default(5000),
  /** Path the load balancer and Route53 probe; must answer 200 when the app and database work. */
  healthCheckPath: z
    .string()
    .regex(/^\/[^\s]*$/, { error: "must start with / and hold no spaces" })
    .default("/health"),
  /** Task CPU units (256 = 0.25 vCPU). Checked against `memory` for a valid Fargate size. */
  cpu: z.number().int().default(256),
  /** Task memory in MiB. */
  memory: z.number().int().default(512),
  /** CPU architecture of the image. FARGATE_SPOT does not run ARM64. */
  architecture: z.enum(["X86_64", "ARM64"]).default("X86_64"),
  /** Plain environment variables for the container. Secrets never go here. */
  environment: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({
    LOG_LEVEL: "INFO",
  }),
  /** Read-only root filesystem with a writable /tmp volume. */
  readonlyRootFilesystem: z.boolean().default(true),
  /** ECS Exec (SSM shell into tasks); sessions are logged to the service's log group. */
  enableExecuteCommand: z.boolean().default(false),
  /** The image is private on GHCR: create a registry-credentials secret filled from the
   * sensitive Terraform variables `registry_username` and `registry_token`. */
  privateRegistry: z.boolean().default(false),
  /** Retention of the container logs. */
  logRetentionDays: retentionDays.default(30),
  /** Seconds ECS ignores failing health checks after a task starts (migrations run first). */
  healthCheckGracePeriodSeconds: z.number().int().min(0).max(2147483647).default(120),
  /** Seconds the target group drains a deregistered task. */
  deregistrationDelaySeconds: z.number().int().min(0).max(3600).default(30),
  /** Weights of the capacity providers; `fargateBase` tasks always run on FARGATE. */
  capacity: z
    .strictObject({
      fargateBase: z.number().int().min(0).max(100000).default(1),
      fargateWeight: z.number().int().min(0).max(1000).default(1),
      fargateSpotWeight: z.number().int().min(0).max(1000).default(0),
    })
    .prefault({}),
});

const scaling = z.strictObject({
  /** Lowest task count the autoscaler may choose. */
  minCapacity: z.number().int().min(0).default(1),
  /** Highest task count the autoscaler may choose. */
  maxCapacity: z.number().int().min(1).default(6),
  /** Task count at creation; ignored afterwards so the autoscaler owns it. */
  desiredCount: z.number().int().min(0).default(2),
  /** Target average CPU utilisation (%). */
  cpuTargetPercent: percent.default(70),
  /** Target average memory utilisation (%). */
  memoryTargetPercent: percent.default(80),
  /** Target ALB requests per task per minute. */
  requestsPerTarget: z.number().int().min(1).default(1000),
  /** Seconds between scale-in steps. */
  scaleInCooldownSeconds: z.number().int().min(0).default(300),
  /** Seconds between scale-out steps. */
  scaleOutCooldownSeconds: z.number().int().min(0).default(60),
});

const database = z.strictObject({
  /** PostgreSQL major version. */
  engineVersion: z.enum(["14", "15", "16", "17"]).default("16"),
  /** Writer instance class. */
  instanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS class such as db.t4g.micro" })
    .default("db.t4g.micro"),
  /** Initial gp3 storage in GiB (20 or more). */
  allocatedStorage: z.number().int().min(20).max(65536).default(20),
  /** Ceiling for storage autoscaling in GiB. */
  maxAllocatedStorage: z.number().int().min(20).max(65536).default(100),
  /** Standby in a second AZ. */
  multiAz: z.boolean().default(true),
  /** Days of automated backups (1 to 35; replicas need at least 1). */
  backupRetentionDays: z.number().int().min(1).max(35).default(7),
  /** UTC window for automated backups, hh24:mi-hh24:mi. */
  backupWindow: z
    .string()
    .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, { error: "must look like 03:00-04:00" })
    .default("03:00-04:00"),
  /** UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi. */
  maintenanceWindow: z
    .string()
    .regex(
      /^(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}-(mon|tue|wed|thu|fri|sat|sun):\d{2}:\d{2}$/,
      {
        error: "must look like sun:05:00-sun:06:00",
      },
    )
    .default("sun:05:00-sun:06:00"),
  /** Refuse deletion, keep a final snapshot and add Terraform's `prevent_destroy`. */
  deletionProtection: z.boolean().default(true),
  /** In-region read replica in another AZ. */
  readReplica: z.boolean().default(true),
  /** Replica instance class; defaults to the writer's. */
  replicaInstanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS class such as db.t4g.micro" })
    .optional(),
  /** Name of the application database. */
  databaseName: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, { error: "letters, digits and _; start with a letter" })
    .default("helloyou"),
  /** Master user name (the password is generated). */
  username: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/, { error: "letters, digits and _, at most 16" })
    .refine((u) => !["admin", "postgres", "rdsadmin"].includes(u.toLowerCase()), {
      error: "is reserved by RDS or PostgreSQL; pick another name",
    })
    .default("helloyou"),
  /** Statements slower than this (ms) are logged. */
  slowQueryMs: z.number().int().min(0).default(500),
  /** Enhanced monitoring interval in seconds (0 turns it off). */
  monitoringIntervalSeconds: z
    .number()
    .int()
    .refine((n) => [0, 1, 5, 10, 15, 30, 60].includes(n), {
      error: "must be one of 0, 1, 5, 10, 15, 30, 60",
    })
    .default(60),
  /** Retention of the exported PostgreSQL logs. */
  logRetentionDays: retentionDays.default(30),
});

const dns = z.strictObject({
  /** An existing public Route53 hosted zone, such as example.com. */
  zoneName: z
    .string()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, { error: "must be a domain such as example.com" }),
  /** Record inside the zone that serves the API, such as `api` for api.example.com. */
  recordName: z
    .string()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, { error: "must be a DNS label such as api" }),
});

const alarms = z.strictObject({
  /** Addresses subscribed to the alarm topic (each must confirm the subscription). */
  emails: z.array(z.email({ error: "must be an e-mail address" })).default([]),
  /** ALB 5xx responses per minute. */
  alb5xxCount: z.number().int().min(1).default(10),
  /** Unhealthy targets. */
  unhealthyHosts: z.number().int().min(1).default(1),
  /** p99 target response time in seconds. */
  p99LatencySeconds: z.number().gt(0).default(2),
  /** ECS service CPU (%), over 3 x 300 s as the original. */
  ecsCpuPercent: percent.default(85),
  /** ECS service memory (%). */
  ecsMemoryPercent: percent.default(85),
  /** RDS CPU (%), over 2 x 300 s as the original. */
  rdsCpuPercent: percent.default(85),
  /** RDS free storage in GiB. */
  rdsFreeStorageGiB: z.number().gt(0).default(5),
  /** RDS freeable memory in MiB. */
  rdsFreeableMemoryMiB: z.number().gt(0).default(64),
  /** RDS connection count. */
  rdsConnections: z.number().int().min(1).default(80),
  /** Read replica lag in seconds (the original's 300 s). */
  replicaLagSeconds: z.number().int().min(1).default(300),
});

const bastion = z.strictObject({
  /** Create a Session Manager bastion in a private subnet. */
  enabled: z.boolean().default(false),
  /** EC2 instance type. */
  instanceType: z
    .string()
    .regex(/^[a-z0-9]+\.[a-z0-9]+$/)
    .default("t4g.nano"),
  /** Optional SSH sources; each must be a single address (/32). Empty: no inbound rule. */
  sshAllowedCidrs: z.array(cidr).default([]),
});

const waf = z.strictObject({
  /** Attach a WAFv2 web ACL with AWS managed rules to the ALB. */
  enabled: z.boolean().default(true),
  /** Requests per IP in 5 minutes before the IP is blocked. */
  rateLimitPerIp: z.number().int().min(100).max(2000000000).default(2000),
});

const failover = z.strictObject({
  /** Build the `failover` stack. */
  enabled: z.boolean().default(true),
  /** Region B, its network and its cheaper defaults. */
  network: network.extend({
    azCount: z.number().int().min(2).max(3).default(2),
    natGateways: z.enum(["perAz", "single"]).default("single"),
  }),
  /** Tasks kept running in region B while region A serves (0 allowed). */
  standbyTasks: z.number().int().min(0).default(1),
  /** Class of the cross-region replica; defaults to the writer's. */
  replicaInstanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS class such as db.t4g.micro" })
    .optional(),
  /** Days of the primary's automated backups copied into region B. */
  backupReplicationRetentionDays: z.number().int().min(1).max(35).default(7),
  /** Route53 health check of the primary endpoint. */
  healthCheck: z
    .strictObject({
      intervalSeconds: z.union([z.literal(10), z.literal(30)]).default(10),
      failureThreshold: z.number().int().min(1).max(10).default(3),
    })
    .prefault({}),
  /** Cross-region replica lag alarm, seconds. */
  replicaLagSeconds: z.number().int().min(1).default(300),
});

export const configSchema = z.strictObject({
  /** Project name: lower-case, at most 12 characters (it prefixes every resource name). */
  project: z.string().regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
    error: "use lower-case letters, digits and hyphens",
  }),
  /** Environment name: lower-case letters and digits, at most 6 characters. */
  environment: z.string().regex(/^[a-z][a-z0-9]*$/, { error: "use lower-case letters and digits" }),
  /** Source repository, written into the `repository` tag. */
  repository: z.string().min(1).default("hello-you-infra"),
  /** Serve plain HTTP when no DNS zone is configured. Must be set on purpose. */
  allowHttpOnly: z.boolean().default(false),
  network,
  service,
  scaling: scaling.prefault({}),
  database: database.prefault({}),
  /** Route53 zone and record; null for no DNS, no HTTPS and no DNS failover. */
  dns: dns.nullable().default(null),
  alarms: alarms.prefault({}),
  bastion: bastion.prefault({}),
  waf: waf.prefault({}),
  failover,
});

/** What an environment file writes (defaults may be left out). */
export type EnvironmentInput = z.input<typeof configSchema>;
/** Settings after defaults and validation. */
export type AppConfig = z.output<typeof configSchema>;
export type NetworkConfig = z.output<typeof network>;
export type ServiceConfig = z.output<typeof service>;
export type ScalingConfig = z.output<typeof scaling>;
export type DatabaseConfig = z.output<typeof database>;
export type DnsConfig = z.output<typeof dns>;
export type AlarmsConfig = z.output<typeof alarms>;
export type BastionConfig = z.output<typeof bastion>;
export type WafConfig = z.output<typeof waf>;
export type FailoverConfig = z.output<typeof failover>;
