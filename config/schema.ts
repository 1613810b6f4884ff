/**
 * The typed shape of an environment's settings, with every default in one place.
 *
 * Structure and per-field checks live here; rules that relate several fields
 * (overlapping CIDRs, scaling bounds, Fargate sizes, generated name lengths) live in
 * `rules.ts`, as data, so that every problem is reported at once.
 */
import { z } from "zod";
import {
  EC2_INSTANCE_TYPE,
  HEALTH_CHECK_INTERVALS,
  HEALTH_CHECK_MAX_PATH,
  LOG_RETENTION_DAYS,
  MIN_WINDOW_MINUTES,
  OCI_IMAGE_WITH_REGISTRY,
  OCI_SHA256_DIGEST,
  OCI_TAG,
  POSTGRES_MAJOR_VERSIONS,
  TAG_VALUE,
  WAF_RATE_LIMIT,
  dnsNameProblems,
  hasHostBits,
  isLogRetention,
  networkAddress,
  nonUnicastRange,
  parseDailyWindow,
  parseWeeklyWindow,
  postgresDatabaseProblem,
  postgresRoleProblem,
  regionProblem,
} from "../facts";

export { LOG_RETENTION_DAYS } from "../facts";

export const IMAGE_DIGEST_RULE =
  "must be an image digest: sha256: and 64 lower-case hex digits, as `docker buildx imagetools inspect <image>:<tag>` prints it";
export const IMAGE_TAG_RULE =
  "must be an image tag: 1 to 128 letters, digits, _, . and -, not starting with . or -, such as v1.4.2 or sha-1a2b3c4";

/** A check that adds one issue whose message may depend on the value. */
function check<T>(problem: (value: T) => string | undefined) {
  return (value: T, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message, input: value });
  };
}

/** Longest project and environment names, so that ALB and target-group names fit in 32. */
export const MAX_PROJECT_LENGTH = 12;
export const MAX_ENVIRONMENT_LENGTH = 6;

const lengthProblem = (max: number) => (name: string) =>
  name.length > max
    ? `is ${name.length} characters; at most ${max} keep ALB and target-group names within AWS's 32`
    : undefined;

const cidr = z.cidrv4({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16", abort: true });
const prefixLength = (block: string): number => Number(block.split("/")[1]);
const region = z.string().superRefine(check(regionProblem));
const retentionDays = z
  .number()
  .int()
  .refine(isLogRetention, {
    error: `must be one of the CloudWatch Logs retention values: ${LOG_RETENTION_DAYS.join(", ")}`,
  });
const percent = z.number().gt(0).max(100);
/** A container command as ECS takes it: the executable and its arguments, no shell. */
const command = z
  .array(z.string().min(1, { error: "must not be empty" }))
  .min(1, { error: "must name at least the executable, such as gunicorn" });

const network = z.strictObject({
  region: region.describe(
    "AWS region code in the commercial partition (`facts/regions.ts`), such as us-east-1; GovCloud and China regions are refused.",
  ),
  availabilityZones: z
    .array(
      z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, {
        error: "must be an AZ name such as us-east-1a",
      }),
    )
    .optional()
    .describe(
      "AZ names to use, one per azCount, pinned so that a zone AWS adds later never moves a subnet. Default: the region's first zones (`facts/regions.ts`); required in us-west-1, where zone names differ per account.",
    ),
  vpcCidr: cidr
    .refine((c) => prefixLength(c) >= 16 && prefixLength(c) <= 22, {
      error: "must be a /16 to /22 block, so that nine subnets of useful size fit",
    })
    .superRefine(
      check((c) =>
        hasHostBits(c)
          ? `has host bits set; write the network address ${networkAddress(c)}`
          : undefined,
      ),
    )
    .superRefine(
      check((c) => {
        const range = nonUnicastRange(c);
        return range
          ? `overlaps ${range}, which no VPC can use; take a block from 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`
          : undefined;
      }),
    )
    .describe(
      "The VPC's IPv4 block, /16 to /22, written as its network address (no host bits), outside loopback, link-local, multicast and reserved space. Subnets are carved from it by `constructs/subnet-layout.ts`.",
    ),
  azCount: z
    .number()
    .int()
    .min(2)
    .max(3)
    .default(2)
    .describe("How many availability zones to spread subnets over (2 or 3)."),
  natGateways: z
    .enum(["perAz", "single"])
    .default("perAz")
    .describe(
      "`perAz`: one NAT gateway per AZ (survives an AZ loss); `single`: one shared NAT (cheaper).",
    ),
  interfaceEndpoints: z
    .boolean()
    .default(true)
    .describe(
      "Interface endpoints for Secrets Manager, CloudWatch Logs and ECR, so that task start-up traffic stays off the NAT gateways.",
    ),
  flowLogRetentionDays: retentionDays.default(90).describe("Retention of the VPC flow logs."),
});

const service = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, { error: "use lower-case letters, digits and hyphens" })
    .default("hello-you")
    .describe("Short service name used in resource names."),
  image: z
    .string()
    .regex(OCI_IMAGE_WITH_REGISTRY, {
      error: "must be a registry path without a tag, such as ghcr.io/owner/app",
    })
    // The app's workflow pushes to ghcr.io/<repository>/hello-you-api (its docker-image.yml).
    .default("ghcr.io/diogo-pessoa/hello-you-api/hello-you-api")
    .describe("Container image without its tag or digest."),
  imageTag: z
    .string()
    .regex(OCI_TAG, { error: IMAGE_TAG_RULE })
    .optional()
    .describe(
      "Image tag; the IMAGE_TAG environment variable overrides it at synth time. Give this or `imageDigest` (synth refuses neither, and both).",
    ),
  imageDigest: z
    .string()
    .regex(OCI_SHA256_DIGEST, { error: IMAGE_DIGEST_RULE })
    .optional()
    .describe(
      "Image digest: tasks pull `image@digest`, which cannot move. The IMAGE_DIGEST environment variable overrides it at synth time.",
    ),
  immutableImage: z
    .boolean()
    .default(false)
    .describe(
      "Deploy only an immutable image: a digest, or a release tag `vX.Y.Z` as the app's workflow pushes from release tags; synth refuses `latest` and other moving tags. On in prod.",
    ),
  containerPort: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(5000)
    .describe("Port the container listens on."),
  healthCheckPath: z
    .string()
    .regex(/^\/[^\s]*$/, { error: "must start with / and hold no spaces" })
    .max(HEALTH_CHECK_MAX_PATH, {
      error: `must be at most ${HEALTH_CHECK_MAX_PATH} characters: Route53 health checks probe it too`,
    })
    .default("/health")
    .describe(
      "Path the load balancer and Route53 probe; must answer 200 when the app and database work.",
    ),
  cpu: z
    .number()
    .int()
    .default(256)
    .describe(
      "Task CPU units (256 = 0.25 vCPU). Checked against `memory` for a valid Fargate size.",
    ),
  memory: z.number().int().default(512).describe("Task memory in MiB."),
  architecture: z
    .enum(["X86_64", "ARM64"])
    .default("X86_64")
    .describe("CPU architecture of the image; FARGATE and FARGATE_SPOT run both."),
  environment: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
        error:
          "is not a valid variable name: letters, digits and _, not starting with a digit, such as LOG_LEVEL",
      }),
      z.string(),
    )
    .default({
      LOG_LEVEL: "INFO",
    })
    .describe(
      "Plain environment variables for the container; names are variable names (letters, digits and _). Secrets never go here.",
    ),
  readonlyRootFilesystem: z
    .boolean()
    .default(true)
    .describe("Read-only root filesystem with a writable /tmp volume."),
  enableExecuteCommand: z
    .boolean()
    .default(false)
    .describe("ECS Exec (SSM shell into tasks); sessions are logged to the service's log group."),
  privateRegistry: z
    .boolean()
    .default(false)
    .describe(
      "The image is private on GHCR: create a registry-credentials secret filled from the sensitive Terraform variables `registry_username` and `registry_token`.",
    ),
  logRetentionDays: retentionDays.default(30).describe("Retention of the container logs."),
  serverCommand: command
    // The app image's own command is `sh -c "flask db upgrade && gunicorn ..."`: every task
    // start would migrate. These are its gunicorn arguments without the migration.
    .default([
      "gunicorn",
      "--bind",
      "0.0.0.0:5000",
      "--workers",
      "2",
      "--timeout",
      "60",
      "--access-logfile",
      "-",
      "--error-logfile",
      "-",
      "app:app",
    ])
    .describe(
      "The service container's command: the server only. Migrations never run in a serving task; `npm run release` runs `migrationCommand` once per release (docs/releases.md). Its `--bind` port must be `containerPort`.",
    ),
  migrationCommand: command
    .default(["flask", "db", "upgrade"])
    .describe(
      "Command of the one-off migration task that `npm run release` and the app's deploy workflow run, once per release, before any serving task changes; exit code 0 means migrated.",
    ),
  waitForSteadyState: z
    .boolean()
    .default(true)
    .describe(
      "Every apply waits until the ECS service is steady on the new task definition, and fails when a rollout does not get there (circuit breaker rollback, tasks never healthy).",
    ),
  healthCheckGracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(2147483647)
    .default(120)
    .describe(
      "Seconds ECS ignores failing health checks after a task starts (gunicorn loading the app).",
    ),
  deregistrationDelaySeconds: z
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(30)
    .describe("Seconds the target group drains a deregistered task."),
  capacity: z
    .strictObject({
      fargateBase: z
        .number()
        .int()
        .min(0)
        .max(100000)
        .default(1)
        .describe("Tasks that always run on FARGATE (on-demand) before weights apply."),
      fargateWeight: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .default(1)
        .describe("Relative share of tasks on FARGATE beyond the base."),
      fargateSpotWeight: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .default(0)
        .describe("Relative share on FARGATE_SPOT (cheaper, can be interrupted)."),
    })
    .prefault({})
    .describe("Weights of the capacity providers; `fargateBase` tasks always run on FARGATE."),
});

const scaling = z.strictObject({
  minCapacity: z
    .number()
    .int()
    .min(0)
    .default(1)
    .describe("Lowest task count the autoscaler may choose."),
  maxCapacity: z
    .number()
    .int()
    .min(1)
    .default(6)
    .describe("Highest task count the autoscaler may choose."),
  desiredCount: z
    .number()
    .int()
    .min(0)
    .default(2)
    .describe("Task count at creation; ignored afterwards so the autoscaler owns it."),
  cpuTargetPercent: percent.default(70).describe("Target average CPU utilisation (%)."),
  memoryTargetPercent: percent.default(80).describe("Target average memory utilisation (%)."),
  requestsPerTarget: z
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe("Target ALB requests per task per minute."),
  scaleInCooldownSeconds: z
    .number()
    .int()
    .min(0)
    .default(300)
    .describe("Seconds between scale-in steps."),
  scaleOutCooldownSeconds: z
    .number()
    .int()
    .min(0)
    .default(60)
    .describe("Seconds between scale-out steps."),
});

const database = z.strictObject({
  engineVersion: z
    .enum(POSTGRES_MAJOR_VERSIONS)
    .default("16")
    .describe("PostgreSQL major version."),
  allowMajorVersionUpgrade: z
    .boolean()
    .default(false)
    .describe(
      "Let RDS move the writer to a new `engineVersion` major, at once rather than in the maintenance window (minutes of downtime; the in-region replica follows). Set it only for the upgrade, then back to false: docs/upgrades.md.",
    ),
  instanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS class such as db.t4g.micro" })
    .default("db.t4g.micro")
    .describe(
      "Writer instance class; checked against the classes RDS offers for `engineVersion` (`facts/rds.ts`).",
    ),
  allocatedStorage: z
    .number()
    .int()
    .min(20)
    .max(65536)
    .default(20)
    .describe("Initial gp3 storage in GiB (20 or more)."),
  maxAllocatedStorage: z
    .number()
    .int()
    .min(20)
    .max(65536)
    .default(100)
    .describe("Ceiling for storage autoscaling in GiB."),
  multiAz: z.boolean().default(true).describe("Standby in a second AZ."),
  backupRetentionDays: z
    .number()
    .int()
    .min(1)
    .max(35)
    .default(7)
    .describe("Days of automated backups (1 to 35; replicas need at least 1)."),
  backupWindow: z
    .string()
    .superRefine(check(backupWindowProblem))
    .default("03:00-04:00")
    .describe(
      "UTC window for automated backups, hh24:mi-hh24:mi, at least 30 minutes, not overlapping `maintenanceWindow`.",
    ),
  maintenanceWindow: z
    .string()
    .superRefine(check(maintenanceWindowProblem))
    .default("sun:05:00-sun:06:00")
    .describe("UTC maintenance window, ddd:hh24:mi-ddd:hh24:mi, at least 30 minutes."),
  deletionProtection: z
    .boolean()
    .default(true)
    .describe("Refuse deletion, keep a final snapshot and add Terraform's `prevent_destroy`."),
  readReplica: z.boolean().default(true).describe("In-region read replica in another AZ."),
  replicaInstanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS class such as db.t4g.micro" })
    .optional()
    .describe("Replica instance class; defaults to the writer's."),
  databaseName: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, {
      error: "must be 1 to 63 letters, digits and _, starting with a letter",
    })
    .superRefine(check(postgresDatabaseProblem))
    .default("helloyou")
    .describe("Name of the application database (not a PostgreSQL reserved word)."),
  username: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, {
      error: "must be 1 to 63 letters, digits and _, starting with a letter",
    })
    .superRefine(
      check((u) => {
        const problem = postgresRoleProblem(u);
        return problem && `is reserved: ${problem}; pick another name such as helloyou`;
      }),
    )
    .default("helloyou")
    .describe(
      "Master user name (the password is generated); not a name RDS or PostgreSQL reserves.",
    ),
  slowQueryMs: z
    .number()
    .int()
    .min(0)
    .max(2147483647)
    .default(500)
    .describe("Statements slower than this (ms) are logged."),
  monitoringIntervalSeconds: z
    .number()
    .int()
    .refine((n) => [0, 1, 5, 10, 15, 30, 60].includes(n), {
      error: "must be one of 0, 1, 5, 10, 15, 30, 60",
    })
    .default(60)
    .describe("Enhanced monitoring interval in seconds (0 turns it off)."),
  logRetentionDays: retentionDays
    .default(30)
    .describe("Retention of the exported PostgreSQL logs."),
});

const dns = z.strictObject({
  zoneName: z
    .string()
    .superRefine(check(zoneNameProblem))
    .describe(
      "An existing public Route53 hosted zone, such as example.com: a lower-case host name without the final dot.",
    ),
  recordName: z
    .string()
    .superRefine(check(recordNameProblem))
    .describe(
      "Record inside the zone that serves the API, such as `api` for api.example.com; without the zone name.",
    ),
});

const alarms = z.strictObject({
  emails: z
    .array(z.email({ error: "must be an e-mail address" }))
    .default([])
    .describe("Addresses subscribed to the alarm topic (each must confirm the subscription)."),
  alb5xxCount: z.number().int().min(1).default(10).describe("ALB 5xx responses per minute."),
  unhealthyHosts: z.number().int().min(1).default(1).describe("Unhealthy targets."),
  p99LatencySeconds: z.number().gt(0).default(2).describe("p99 target response time in seconds."),
  ecsCpuPercent: percent.default(85).describe("ECS service CPU (%), over 3 x 300 s."),
  ecsMemoryPercent: percent.default(85).describe("ECS service memory (%)."),
  rdsCpuPercent: percent.default(85).describe("RDS CPU (%), over 2 x 300 s."),
  rdsFreeStorageGiB: z.number().gt(0).default(5).describe("RDS free storage in GiB."),
  rdsFreeableMemoryMiB: z.number().gt(0).default(64).describe("RDS freeable memory in MiB."),
  rdsConnections: z.number().int().min(1).default(80).describe("RDS connection count."),
  replicaLagSeconds: z
    .number()
    .int()
    .min(1)
    .default(600)
    .describe(
      "Lag alarm of the in-region replica, in seconds. Above 300: an idle PostgreSQL replica reports up to 5 minutes of lag until the next WAL switch. Region B's replica is watched from the writer instead (rpoSeconds).",
    ),
  rpoSeconds: z
    .number()
    .int()
    .min(10)
    .default(60)
    .describe(
      "Recovery point alarm: the writer's oldest replication slot lag divided by its WAL rate (the seconds of writes region B does not have yet), over 3 minutes.",
    ),
  transactionLogsDiskUsageGiB: z
    .number()
    .gt(0)
    .default(2)
    .describe(
      "Write-ahead log kept on the writer, in GiB: a stalled cross-region replica makes it grow until the disk fills.",
    ),
  failoverTrafficRequestsPerMinute: z
    .number()
    .int()
    .min(1)
    .default(30)
    .describe(
      "Requests per minute reaching region B's service, over 2 minutes, that page from region B: DNS has moved clients there because region A stopped answering.",
    ),
});

const bastion = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe("Create a Session Manager bastion in a private subnet."),
  instanceType: z
    .string()
    .regex(EC2_INSTANCE_TYPE, {
      error: "must be an EC2 instance type such as t4g.nano or t3.micro",
    })
    .default("t4g.nano")
    .describe("EC2 instance type; Graviton types (t4g, m7g...) get the arm64 image."),
});

const loadBalancer = z.strictObject({
  deletionProtection: z
    .boolean()
    .default(true)
    .describe(
      "Refuse deletion of the ALB (it carries the DNS name) and keep its access-log bucket on destroy.",
    ),
});

const waf = z.strictObject({
  enabled: z
    .boolean()
    .default(true)
    .describe("Attach a WAFv2 web ACL with AWS managed rules to the ALB."),
  rateLimitPerIp: z
    .number()
    .int()
    .min(WAF_RATE_LIMIT.min)
    .max(WAF_RATE_LIMIT.max)
    .default(2000)
    .describe("Requests per IP in 5 minutes before the IP is blocked."),
  logRetentionDays: retentionDays.default(365).describe("Retention of the WAF request logs."),
});

const rollout = z.strictObject({
  strategy: z
    .enum(["rolling", "blueGreen"])
    .default("rolling")
    .describe(
      "`rolling`: ECS replaces tasks in place behind the one target group (circuit breaker with rollback). `blueGreen`: ECS starts the new revision beside the old one in a second target group, opens it to test traffic (header route), shifts production traffic at once, bakes, and rolls back on the service's 5xx and latency alarms. In region B it applies once `failover.promoted` is true; the pilot light rolls.",
    ),
  bakeTimeMinutes: z
    .number()
    .int()
    .min(0)
    .max(1440)
    .default(10)
    .describe(
      "Blue/green: minutes both revisions stay up after production traffic moved, while the deployment alarms can still roll back at once.",
    ),
});

const maintenance = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "Every request but `service.healthCheckPath` gets the ALB's maintenance page (503) in every region, without touching the service. `npm run maintenance -- on|off` flips it during an incident; set this to match before the next deploy, or the deploy flips it back.",
    ),
});

const failover = z.strictObject({
  enabled: z.boolean().default(true).describe("Build the `failover` stack."),
  network: network
    .extend({
      azCount: z.number().int().min(2).max(3).default(2).describe("AZs in region B."),
      natGateways: z
        .enum(["perAz", "single"])
        .default("single")
        .describe("NAT gateways in region B; one is enough for a pilot light."),
    })
    .describe("Region B, its network and its cheaper defaults."),
  standbyTasks: z
    .number()
    .int()
    .min(0)
    .default(1)
    .describe("Tasks kept running in region B while region A serves (0 allowed)."),
  standbyCapacity: z
    .enum(["spot", "onDemand"])
    .default("spot")
    .describe(
      "Capacity providers of region B's service: `spot` runs exactly `standbyTasks` on FARGATE_SPOT (about 70% cheaper; an interrupted task is replaced) and every other task, such as those `npm run dr -- promote` adds, on FARGATE (weights 1000 to 1); `onDemand` uses `service.capacity` as region A does. Kept after promotion: the AWS provider refuses to change a service's strategy without a new deployment, so changing this on a deployed service takes one manual step (docs/upgrades.md).",
    ),
  standbyContainerInsights: z
    .boolean()
    .default(false)
    .describe(
      "Container Insights on region B's cluster until promotion (custom metrics, about $6 a month); region B's alarms read AWS/ECS metrics and do not need it. Once promoted, region B has it as region A does.",
    ),
  standbyEgress: z
    .enum(["natInstance", "natGateway"])
    .default("natInstance")
    .describe(
      "How region B's app subnets reach the internet (image pulls, AWS APIs) until promotion: `natInstance`, one small EC2 NAT instance passing HTTPS only (about $7 a month against $37 for a NAT gateway; a single instance, restarted by EC2 automatic recovery, paged on a failed status check), or `natGateway` as `failover.network.natGateways` says. Once promoted, region B has its NAT gateways (docs/architecture.md).",
    ),
  imageSource: z
    .enum(["regionalCache", "upstream"])
    .default("upstream")
    .describe(
      "Where region B's tasks pull the image from. `regionalCache`: an ECR pull-through cache of ghcr.io in region B (`<account>.dkr.ecr.<B>.amazonaws.com/<prefix>/<ghcr path>`, the same tag or digest), filled by the standby task's first pull, so a task started during recovery needs neither GHCR nor anything outside region B; ECR needs a GitHub token for ghcr.io, which the operator puts into the `ecr-pullthroughcache/` secret the stack creates empty (docs/disaster-recovery.md). `upstream`: straight from the image's registry (GHCR), through the NAT.",
    ),
  targetHealthCheckIntervalSeconds: z
    .number()
    .int()
    .min(5)
    .max(300)
    .default(10)
    .describe(
      "Seconds between region B's target-group health checks (2 passes make a target healthy, 3 failures unhealthy): how soon promotion's new tasks take traffic, and how soon the standby's target fails when A's writer is gone. The checks cost nothing.",
    ),
  natInstanceType: z
    .string()
    .regex(EC2_INSTANCE_TYPE, {
      error: "must be an EC2 instance type such as t4g.nano or t3.micro",
    })
    .default("t4g.nano")
    .describe("Instance type of region B's NAT instance; Graviton types get the arm64 image."),
  replicaInstanceClass: z
    .string()
    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS class such as db.t4g.micro" })
    .optional()
    .describe("Class of the cross-region replica; defaults to the writer's."),
  backupReplicationRetentionDays: z
    .number()
    .int()
    .min(1)
    .max(35)
    .default(7)
    .describe("Days of the primary's automated backups copied into region B."),
  healthCheck: z
    .strictObject({
      intervalSeconds: z
        .literal(HEALTH_CHECK_INTERVALS, {
          error: `must be ${HEALTH_CHECK_INTERVALS.join(" or ")}: the only request intervals Route53 health checks allow`,
        })
        .default(10)
        .describe("Seconds between probes: 10 or 30 (Route53 cannot change it later)."),
      failureThreshold: z
        .number()
        .int()
        .min(1)
        .max(10)
        .default(3)
        .describe("Failed probes before the primary is declared unhealthy."),
    })
    .prefault({})
    .describe("Route53 health check of the primary endpoint."),
  automatic: z
    .boolean()
    .default(false)
    .describe(
      "Let a function in region B promote it with no operator once region A is lost (docs/adr/0004-automatic-promotion.md): every minute it asks A's RDS API, A's `/health` and B's replica lag; when two of them say lost for `failover.automation.quorumMinutes` outside A's maintenance window, it pages the alarm topic, waits `failover.automation.holdMinutes` (disarm it then to stop it), and runs the steps of `npm run dr -- promote`, once. Vetoed while A's RDS API shows the writer, or when the last lag seen before the loss exceeds `alarms.rpoSeconds` (it pages instead). Needs `alarms.emails`.",
    ),
  automation: z
    .strictObject({
      quorumMinutes: z
        .number()
        .int()
        .min(2)
        .max(15)
        .default(3)
        .describe(
          "Minutes two independent signals must keep saying region A is lost before the function pages: a blip shorter than this never pages. At least 2 (one bad minute is a blip), at most 15 (beyond that a person is faster).",
        ),
      holdMinutes: z
        .number()
        .int()
        .min(1)
        .max(30)
        .default(2)
        .describe(
          "Minutes between the page and the promotion, for an operator to disarm it (SSM parameter, docs/disaster-recovery.md). At least 1: the page always comes first.",
        ),
    })
    .prefault({})
    .describe("Guards of `failover.automatic`; read only when it is true."),
  promoted: z
    .boolean()
    .default(false)
    .describe(
      "Set only after `npm run dr -- promote` has promoted region B's replica (Terraform never promotes it): Terraform then describes B's database as the writer, points B's connection secret at it, scales B like the primary, keeps the fence set and runs region A's service at zero tasks (docs/disaster-recovery.md).",
    ),
});

/** A pattern whose error quotes the bad value, then the rule with an example of a good one. */
const matching = (pattern: RegExp, rule: string) =>
  z.string().regex(pattern, {
    error: (issue) => `${JSON.stringify(issue.input)} is not valid: ${rule}`,
  });

const githubLogin = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const githubRepository = new RegExp(
  `^${githubLogin.source.slice(1, -1)}/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}$`,
);
/** OIDC subjects are `:`-separated: a colon inside a name would let one name pose as another. */
const subjectPart = /^[A-Za-z0-9._-]+$/;
const oidcProviderMode = z
  .enum(["create", "existing"])
  .default("create")
  .describe(
    "`create` the IAM OIDC provider, or use the `existing` one with the same URL (AWS allows one per URL and account: the second environment sharing an account says `existing`).",
  );

/** The stacks whose Terraform Cloud workspaces get AWS roles (`delivery-github` needs none). */
export const TERRAFORM_CLOUD_STACKS = ["primary", "failover", "link", "delivery"] as const;

const workspacePolicyArns = (stack: string) =>
  z
    .array(
      matching(
        /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/,
        `must be an IAM policy ARN such as arn:aws:iam::123456789012:policy/hello-you-terraform-${stack}`,
      ),
    )
    .default([])
    .describe(`Managed policies of the \`${stack}\` workspace's apply role.`);

const terraformCloud = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        "Create the Terraform Cloud OIDC provider and one role per workspace of this environment (dynamic credentials).",
      ),
    organization: matching(
      /^[A-Za-z0-9_-]{1,40}$/,
      "use letters, digits, - and _, as in a Terraform Cloud organization name such as acme-infra",
    )
      .optional()
      .describe(
        "Terraform Cloud organization whose runs may assume the roles; required when enabled.",
      ),
    project: matching(
      /^[A-Za-z0-9 _-]{1,40}$/,
      "use letters, digits, spaces, - and _ (at most 40), as in a Terraform Cloud project such as Default Project",
    )
      .default("Default Project")
      .describe("Project holding the workspaces (`TF_CLOUD_PROJECT`)."),
    hostname: matching(
      /^([a-z0-9-]+\.)+[a-z]{2,}$/,
      "must be a host name without scheme or path, such as app.terraform.io",
    )
      .default("app.terraform.io")
      .describe("Terraform Cloud or Enterprise host (`TF_CLOUD_HOSTNAME`); the OIDC issuer."),
    audience: matching(
      subjectPart,
      "use letters, digits, ., - and _, such as aws.workload.identity",
    )
      .default("aws.workload.identity")
      .describe("Audience of the workload identity token (`TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE`)."),
    oidcProvider: oidcProviderMode,
    policyArns: z
      .strictObject({
        primary: workspacePolicyArns("primary"),
        failover: workspacePolicyArns("failover"),
        link: workspacePolicyArns("link"),
        delivery: workspacePolicyArns("delivery"),
      } satisfies Record<(typeof TERRAFORM_CLOUD_STACKS)[number], unknown>)
      .prefault({})
      .describe(
        "Managed policies of each workspace's apply role, by stack: what that workspace's Terraform may change (docs/delivery.md). Each apply role is also capped by a permissions boundary the `delivery` stack writes. Required for every workspace that exists when enabled.",
      ),
  })
  .describe("Terraform Cloud dynamic credentials.");

/** GitHub allows at most six users or teams as required reviewers of an environment. */
export const MAX_GITHUB_REVIEWERS = 6;

const delivery = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "Build the `delivery` stack (GitHub OIDC deploy role, the app repository's deployment environment, Terraform Cloud roles) and hand image rollouts to the app's pipeline (docs/adr/0001-image-rollout.md). Needs a GitHub token or app at plan time.",
    ),
  appRepository: matching(
    githubRepository,
    "must be owner/name of a GitHub repository, such as diogo-pessoa/hello-you-api",
  )
    .default("diogo-pessoa/hello-you-api")
    .describe(
      "The app's repository, whose workflows may deploy; its owner is the GitHub provider's owner.",
    ),
  githubEnvironment: matching(
    /^[A-Za-z0-9._-]{1,255}$/,
    "use letters, digits, ., - and _ (at most 255), such as prod: the name is part of the OIDC subject",
  )
    .optional()
    .describe(
      "GitHub deployment environment in the app repository. Default: the environment's name.",
    ),
  githubAuth: z
    .enum(["token", "app"])
    .default("token")
    .describe(
      "How the GitHub provider signs in at plan and apply time: `token` reads `GITHUB_TOKEN`; `app` reads `GITHUB_APP_ID`, `GITHUB_APP_INSTALLATION_ID` and `GITHUB_APP_PEM_FILE`. Never in config.",
    ),
  reviewers: z
    .strictObject({
      users: z
        .array(matching(githubLogin, "must be a GitHub login such as octocat"))
        .default([])
        .describe("GitHub logins who may approve a deployment."),
      teams: z
        .array(matching(/^[a-z0-9][a-z0-9_-]*$/, "must be a team slug such as platform"))
        .default([])
        .describe("Team slugs (in the repository's organization) who may approve a deployment."),
    })
    .prefault({})
    .describe(
      `Required reviewers of the environment (at most ${MAX_GITHUB_REVIEWERS} in all); none: deployments need no approval.`,
    ),
  preventSelfReview: z
    .boolean()
    .default(true)
    .describe("The person who triggered a deployment cannot approve it."),
  adminsBypass: z
    .boolean()
    .default(false)
    .describe("Repository administrators may deploy without approval."),
  waitTimerMinutes: z
    .number()
    .int()
    .min(0)
    .max(43200)
    .default(0)
    .describe("Minutes a deployment waits after approval before it starts."),
  deploymentBranches: z
    .union([
      z.enum(["protected", "all"]),
      z
        .array(
          matching(
            /^[A-Za-z0-9._/*-]+$/,
            "must be a branch name pattern such as main or release/*",
          ),
        )
        .min(1),
    ])
    .default("protected")
    .describe(
      "Branches that may deploy to the environment: `protected` (branches with protection rules), `all`, or a list of name patterns.",
    ),
  githubOidcProvider: oidcProviderMode,
  terraformCloud: terraformCloud.prefault({}).describe("Terraform Cloud dynamic credentials."),
});

function windowProblem(parsed: { minutes: number } | undefined, shape: string) {
  if (!parsed) return `must be a UTC window ${shape}, hours 00-23 and minutes 00-59`;
  if (parsed.minutes < MIN_WINDOW_MINUTES) {
    return `lasts ${parsed.minutes} minutes; RDS needs at least ${MIN_WINDOW_MINUTES}`;
  }
  return undefined;
}

function backupWindowProblem(text: string): string | undefined {
  return windowProblem(parseDailyWindow(text), "hh24:mi-hh24:mi such as 03:00-04:00");
}

function maintenanceWindowProblem(text: string): string | undefined {
  return windowProblem(
    parseWeeklyWindow(text),
    "ddd:hh24:mi-ddd:hh24:mi (mon..sun) such as sun:05:00-sun:06:00",
  );
}

function zoneNameProblem(name: string): string | undefined {
  const problems = dnsNameProblems(name);
  if (!problems.length && !name.includes("."))
    problems.push("must be a domain such as example.com");
  return problems.length ? problems.join("; ") : undefined;
}

function recordNameProblem(name: string): string | undefined {
  const problems = dnsNameProblems(name);
  return problems.length ? `${problems.join("; ")}; use a name such as api` : undefined;
}

export const configSchema = z.strictObject({
  project: z
    .string()
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, {
      error: "use lower-case letters, digits and hyphens",
    })
    .superRefine(check(lengthProblem(MAX_PROJECT_LENGTH)))
    .describe(
      `Project name: lower-case, at most ${MAX_PROJECT_LENGTH} characters (it prefixes every resource name).`,
    ),
  environment: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/, { error: "use lower-case letters and digits" })
    .superRefine(check(lengthProblem(MAX_ENVIRONMENT_LENGTH)))
    .describe(
      `Environment name: lower-case letters and digits, at most ${MAX_ENVIRONMENT_LENGTH} characters.`,
    ),
  repository: z
    .string()
    .min(1)
    .regex(TAG_VALUE, {
      error:
        "must be a valid AWS tag value: at most 256 letters, digits, spaces and _ . : / = + - @",
    })
    .default("hello-you-infra")
    .describe("Source repository, written into the `repository` tag."),
  secretsRecoveryDays: z
    .number()
    .int()
    .refine((d) => d === 0 || (d >= 7 && d <= 30), { error: "must be 0 or from 7 to 30" })
    .default(7)
    .describe(
      "Days a deleted secret can be restored. 0 deletes at once, so a destroyed environment can be redeployed under the same names right away (dev).",
    ),
  allowHttpOnly: z
    .boolean()
    .default(false)
    .describe("Serve plain HTTP when no DNS zone is configured. Must be set on purpose."),
  network: network.describe("Region A (primary) network."),
  service: service.describe("The container and its ECS service."),
  scaling: scaling.prefault({}).describe("Autoscaling of the service in region A."),
  database: database.prefault({}).describe("RDS PostgreSQL writer and in-region replica."),
  dns: dns
    .nullable()
    .default(null)
    .describe("Route53 zone and record; null for no DNS, no HTTPS and no DNS failover."),
  alarms: alarms.prefault({}).describe("Alarm recipients and thresholds."),
  bastion: bastion.prefault({}).describe("Break-glass access host (off by default)."),
  loadBalancer: loadBalancer.prefault({}).describe("The ALB of each region."),
  waf: waf.prefault({}).describe("WAFv2 web ACL on the ALB."),
  rollout: rollout.prefault({}).describe("How ECS rolls a new revision out."),
  maintenance: maintenance.prefault({}).describe("The maintenance page."),
  failover: failover.describe("Region B pilot light."),
  delivery: delivery
    .prefault({})
    .describe("Continuous delivery: OIDC deploy roles, GitHub environment, Terraform Cloud roles."),
});

/**
 * Settings that moved, by their former path: an environment file that still sets one is refused
 * with where it went rather than as an unknown key.
 */
export const MOVED_SETTINGS: Readonly<Record<string, string>> = {
  "failover.replicaLagSeconds":
    "alarms.replicaLagSeconds (the in-region replica) or alarms.rpoSeconds (region B's replica, watched from the writer's replication slot)",
};

/** Settings that are gone, each with why and what to do instead. */
export const REMOVED_SETTINGS: Readonly<Record<string, string>> = {
  "bastion.sshAllowedCidrs":
    "is gone: the bastion has no public address and no key pair, so the SSH rule admitted nobody; connect with Session Manager (aws ssm start-session, docs/security.md)",
};

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
export type LoadBalancerConfig = z.output<typeof loadBalancer>;
export type WafConfig = z.output<typeof waf>;
export type FailoverConfig = z.output<typeof failover>;
export type RolloutConfig = z.output<typeof rollout>;
export type DeliveryConfig = z.output<typeof delivery>;
