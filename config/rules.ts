/**
 * Rules that relate several settings, or a setting to the AWS facts in `facts/`. They run on
 * every section that parsed on its own, so one typo does not hide the other problems.
 */
import {
  ALB_RESERVED_PREFIX,
  MAX_CERTIFICATE_DOMAIN,
  MAX_DNS_NAME,
  SECURITY_GROUP_RESERVED_PREFIX,
  cidrsOverlap,
  fargateMemoryOptions,
  FARGATE_SIZES,
  minStorageCeiling,
  parseDailyWindow,
  parseWeeklyWindow,
  postgresClassProblem,
  rdsIdentifierProblem,
  resolveZones,
  s3PrefixProblems,
  windowsOverlap,
} from "../facts";
import { NAME_LIMITS, type NameKind } from "../facts/names";
import { Naming } from "../facts/naming";

/**
 * Names whose limit is tight enough that validation insists they fit untruncated, with the
 * suffix each construct gives them.
 */
const STRICT_NAMES: Readonly<Partial<Record<NameKind, string>>> = {
  alb: "alb",
  targetGroup: "tg",
};
import type { AppConfig, NetworkConfig } from "./schema";

const known = <T>(value: T | undefined): value is T => value !== undefined;

/** Longest project and environment names, so that ALB and target-group names fit in 32. */
export const MAX_PROJECT_LENGTH = 12;
export const MAX_ENVIRONMENT_LENGTH = 6;

/**
 * Environments held to production rules (a primary region that can run no task is an error
 * there, a warning elsewhere).
 */
export const PRODUCTION_ENVIRONMENTS: readonly string[] = ["prod"];

/** Variables the stacks inject from Secrets Manager; config must not set them in plain text. */
const INJECTED_VARIABLES = ["DATABASE_URL", "SECRET_KEY"];
const SECRET_LOOKING = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

/** Lists stay whole: an entry that fails its check drops the list. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
/** Whatever parsed of the settings, down to single fields, so one bad value hides no rule. */
export type Sections = DeepPartial<AppConfig>;
type Add = (path: string, message: string) => void;

/**
 * Every cross-field problem, each as `<path>: <message>`. `environment` is the name the
 * environment file was chosen by (DEPLOY_ENV); `failed` tells whether a setting failed its own
 * check (and is therefore absent from `c` even if the file sets it).
 */
export function crossFieldProblems(
  c: Sections,
  environment: string,
  failed: (path: string) => boolean = () => false,
): string[] {
  const problems: string[] = [];
  const add: Add = (path, message) => {
    problems.push(`${path}: ${message}`);
  };
  nameRules(c, environment, add);
  networkRules(c, add, failed);
  scalingRules(c, add);
  serviceRules(c, add);
  databaseRules(c, add);
  dnsRules(c, add);
  accessRules(c, add);
  return problems;
}

function regionsOf(c: Sections): string[] {
  return [c.network?.region, c.failover?.enabled ? c.failover.network?.region : undefined].filter(
    known,
  );
}

function nameRules(c: Sections, environment: string, add: Add): void {
  if (c.project && c.project.length > MAX_PROJECT_LENGTH) {
    add(
      "project",
      `is ${c.project.length} characters; at most ${MAX_PROJECT_LENGTH} keep ALB and target-group names within AWS's 32`,
    );
  }
  if (c.environment && c.environment.length > MAX_ENVIRONMENT_LENGTH) {
    add(
      "environment",
      `is ${c.environment.length} characters; at most ${MAX_ENVIRONMENT_LENGTH} keep ALB and target-group names within AWS's 32`,
    );
  }
  if (c.environment && c.environment !== environment) {
    add(
      "environment",
      `is "${c.environment}" in the file chosen by DEPLOY_ENV=${environment}; names, state and workspaces would be those of "${c.environment}", so set environment: "${environment}"`,
    );
  }
  if (!c.project || !c.environment) return;
  for (const region of regionsOf(c)) {
    const naming = new Naming(c.project, c.environment, region);
    for (const [kind, suffix] of Object.entries(STRICT_NAMES) as [NameKind, string][]) {
      const name = naming.full(suffix);
      if (name.length > NAME_LIMITS[kind]) {
        add(
          "project",
          `with environment "${c.environment}" in ${region} gives the ${kind} name "${name}" (${name.length} characters, AWS allows ${NAME_LIMITS[kind]}); shorten project or environment`,
        );
      }
    }
  }
  // Every name starts with the project, so its first region shows the problem for all.
  const naming = new Naming(c.project, c.environment, regionsOf(c)[0] ?? "us-east-1");
  const bucket = naming.bucketPrefix("alb-logs");
  for (const problem of s3PrefixProblems(bucket)) {
    add(
      "project",
      `"${c.project}" gives the S3 bucket prefix "${bucket}", which ${problem}; rename the project`,
    );
  }
  const securityGroup = naming.full("db");
  if (securityGroup.startsWith(SECURITY_GROUP_RESERVED_PREFIX)) {
    add(
      "project",
      `"${c.project}" gives security group names such as "${securityGroup}"; EC2 refuses names beginning with "${SECURITY_GROUP_RESERVED_PREFIX}"; rename the project`,
    );
  }
  const alb = naming.full(STRICT_NAMES.alb);
  if (alb.startsWith(ALB_RESERVED_PREFIX)) {
    add(
      "project",
      `"${c.project}" gives the load balancer name "${alb}"; ELB refuses names beginning with "${ALB_RESERVED_PREFIX}"; rename the project`,
    );
  }
  const db = naming.full("db");
  const dbProblem = rdsIdentifierProblem(db);
  if (dbProblem) {
    add(
      "project",
      `"${c.project}" gives the RDS identifier "${db}", which ${dbProblem}; rename the project`,
    );
  }
}

function networkRules(c: Sections, add: Add, failed: (path: string) => boolean): void {
  const zones = (path: string, n?: DeepPartial<NetworkConfig>) => {
    // A zone list that failed its own check is reported already; unpinned it is not.
    if (!n?.region || !n.azCount || failed(`${path}.availabilityZones`)) return;
    for (const problem of resolveZones(n.region, n.azCount, n.availabilityZones).problems) {
      // An unknown region is already reported by the schema.
      if (problem.field !== "region") add(`${path}.${problem.field}`, problem.message);
    }
  };
  zones("network", c.network);
  if (c.failover?.enabled) zones("failover.network", c.failover.network);

  const a = c.network;
  const b = c.failover?.enabled ? c.failover.network : undefined;
  if (a?.region && b?.region && a.region === b.region) {
    add(
      "failover.network.region",
      `equals network.region (${a.region}); the failover region must be a different region, or set failover.enabled to false`,
    );
  }
  if (a?.vpcCidr && b?.vpcCidr && cidrsOverlap(a.vpcCidr, b.vpcCidr)) {
    add(
      "failover.network.vpcCidr",
      `${b.vpcCidr} overlaps network.vpcCidr ${a.vpcCidr}; peered VPCs need disjoint blocks, such as 10.20.0.0/16 beside 10.10.0.0/16`,
    );
  }
  if (c.failover?.promoted && c.failover.enabled === false) {
    add(
      "failover.promoted",
      "is true but failover.enabled is false; there is no replica to have promoted",
    );
  }
}

function scalingRules(c: Sections, add: Add): void {
  const { minCapacity: min, maxCapacity: max, desiredCount: desired } = c.scaling ?? {};
  if (known(min) && known(max) && min > max) {
    add(
      "scaling.minCapacity",
      `${min} is above scaling.maxCapacity ${max}; min must be at most max`,
    );
  } else if (known(min) && known(max) && known(desired) && (desired < min || desired > max)) {
    add(
      "scaling.desiredCount",
      `${desired} is outside scaling.minCapacity..maxCapacity (${min}..${max})`,
    );
  }
  if (
    c.environment &&
    PRODUCTION_ENVIRONMENTS.includes(c.environment) &&
    min === 0 &&
    desired === 0
  ) {
    add(
      "scaling.minCapacity",
      `0 with scaling.desiredCount 0 leaves the primary region of "${c.environment}" with no task to serve, and target tracking cannot scale out from zero; set both to at least 1`,
    );
  }
  const standby = c.failover?.enabled ? c.failover.standbyTasks : undefined;
  if (known(standby) && known(max) && standby > max) {
    add("failover.standbyTasks", `${standby} is above scaling.maxCapacity ${max}`);
  }
}

function serviceRules(c: Sections, add: Add): void {
  const svc = c.service;
  if (!svc) return;
  const memories = known(svc.cpu) ? fargateMemoryOptions(svc.cpu) : undefined;
  if (known(svc.cpu) && !memories) {
    add(
      "service.cpu",
      `${svc.cpu} is not a Fargate CPU size; use one of ${Object.keys(FARGATE_SIZES).join(", ")}`,
    );
  } else if (memories && known(svc.memory) && !memories.includes(svc.memory)) {
    add(
      "service.memory",
      `${svc.memory} MiB is not valid with service.cpu ${svc.cpu}; use one of ${memories.join(", ")}`,
    );
  }
  if (svc.capacity?.fargateWeight === 0 && svc.capacity.fargateSpotWeight === 0) {
    add(
      "service.capacity",
      "fargateWeight and fargateSpotWeight are both 0; give at least one a weight",
    );
  }
  for (const key of Object.keys(svc.environment ?? {})) {
    if (INJECTED_VARIABLES.includes(key)) {
      add(
        `service.environment.${key}`,
        "is injected from Secrets Manager by the stack; remove it from config",
      );
    } else if (SECRET_LOOKING.test(key)) {
      add(
        `service.environment.${key}`,
        "looks like a secret; plain environment variables appear in the task definition, so keep secrets in Secrets Manager",
      );
    }
  }
}

function databaseRules(c: Sections, add: Add): void {
  const db = c.database;
  if (!db) return;
  const major = db.engineVersion;
  const classes: [string, string | undefined][] = [
    ["database.instanceClass", db.instanceClass],
    ["database.replicaInstanceClass", db.replicaInstanceClass],
    ["failover.replicaInstanceClass", c.failover?.replicaInstanceClass],
  ];
  for (const [path, instanceClass] of classes) {
    const problem = major && instanceClass && postgresClassProblem(instanceClass, major);
    if (problem) add(path, `${problem} (database.engineVersion ${major})`);
  }
  const { allocatedStorage: size, maxAllocatedStorage: ceiling } = db;
  if (known(size) && known(ceiling) && ceiling < size) {
    add(
      "database.maxAllocatedStorage",
      `${ceiling} GiB is below database.allocatedStorage ${size} GiB`,
    );
  } else if (known(size) && known(ceiling) && ceiling < minStorageCeiling(size)) {
    add(
      "database.maxAllocatedStorage",
      `${ceiling} GiB is less than 10 % above database.allocatedStorage ${size} GiB, which RDS storage autoscaling refuses; set it to at least ${minStorageCeiling(size)}`,
    );
  }
  const backup = db.backupWindow && parseDailyWindow(db.backupWindow);
  const maintenance = db.maintenanceWindow && parseWeeklyWindow(db.maintenanceWindow);
  if (backup && maintenance && windowsOverlap(backup, maintenance)) {
    add(
      "database.backupWindow",
      `${db.backupWindow} overlaps database.maintenanceWindow ${db.maintenanceWindow}; RDS refuses overlapping windows, so move one`,
    );
  }
}

function dnsRules(c: Sections, add: Add): void {
  const { zoneName, recordName } = c.dns ?? {};
  if (!zoneName || !recordName) return;
  if (recordName === zoneName || recordName.endsWith(`.${zoneName}`)) {
    const inside = recordName === zoneName ? "" : recordName.slice(0, -zoneName.length - 1);
    add(
      "dns.recordName",
      `"${recordName}" already contains the zone ${zoneName}, so the record would be ${recordName}.${zoneName}; give the name inside the zone${inside ? `: "${inside}"` : ""}`,
    );
    return;
  }
  const fqdn = `${recordName}.${zoneName}`;
  if (fqdn.length > MAX_DNS_NAME) {
    add(
      "dns.recordName",
      `with the zone gives ${fqdn.length} characters; DNS allows ${MAX_DNS_NAME}`,
    );
  } else if (fqdn.length > MAX_CERTIFICATE_DOMAIN) {
    add(
      "dns.recordName",
      `with the zone gives "${fqdn}" (${fqdn.length} characters); ACM certificates take at most ${MAX_CERTIFICATE_DOMAIN}, so shorten the record name`,
    );
  }
}

function accessRules(c: Sections, add: Add): void {
  c.bastion?.sshAllowedCidrs?.forEach((block, i) => {
    if (block.endsWith("/0")) {
      add(
        `bastion.sshAllowedCidrs.${i}`,
        `${block} opens SSH to the whole internet; use Session Manager, or list single addresses such as 203.0.113.10/32`,
      );
    } else if (!block.endsWith("/32")) {
      add(`bastion.sshAllowedCidrs.${i}`, `${block} is a range; list single addresses (/32) only`);
    }
  });
  const emails = c.alarms?.emails ?? [];
  emails.forEach((email, i) => {
    if (emails.findIndex((e) => e.toLowerCase() === email.toLowerCase()) < i) {
      add(
        `alarms.emails.${i}`,
        `"${email}" is listed twice; SNS keeps one subscription per address, so remove the copy`,
      );
    }
  });
  if ("dns" in c && c.dns === null && c.allowHttpOnly === false) {
    add(
      "dns",
      "is not set, so the API would be served over plain HTTP; configure a Route53 zone for HTTPS, or set allowHttpOnly: true for a non-production environment",
    );
  }
}
