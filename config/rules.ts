/**
 * Rules that relate several settings, or a setting to the AWS facts in `facts/`, as data: one
 * entry per rule with the settings it reads, its check and the sentence the configuration
 * reference prints: `ERROR_RULES` refuse a configuration (validation runs them), `WARNING_RULES`
 * let it synthesize and tell a reviewer (the stacks attach them). docs/configuration.md renders
 * every entry's `doc`, so a rule is written down once. Checks of one setting alone stay in
 * `schema.ts`; everything that relates two settings is here, delivery's included.
 * Errors run on every section that parsed on its own, so one typo does not hide the others.
 */
import {
  ALB_RESERVED_PREFIX,
  isPrivate,
  PRIVATE_RANGES,
  regionFacts,
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
import { NAME_LIMITS } from "../facts/names";
import { NameCatalogue, STRICT_NAMES } from "../naming/catalogue";

import { type AppConfig, MAX_GITHUB_REVIEWERS, type NetworkConfig } from "./schema";

const known = <T>(value: T | undefined): value is T => value !== undefined;

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

/** The stacks that carry synth warnings: region A's, region B's and delivery's GitHub side. */
export type WarnedStack = "primary" | "failover" | "delivery-github";

export interface RuleContext {
  /** The environment name the file was chosen by (DEPLOY_ENV). */
  readonly environment: string;
  /** Whether a setting failed its own check (and is therefore absent from the sections). */
  readonly failed: (path: string) => boolean;
}

interface RuleBase {
  readonly id: string;
  /** The settings the rule reads, as dotted paths. */
  readonly paths: readonly string[];
  /** Markdown for "Rules across settings" in docs/configuration.md: what holds, and why. */
  readonly doc: string;
}

/** Refuses the configuration: reported by validation as `<path>: <message>`. */
export interface ErrorRule extends RuleBase {
  readonly check: (c: Sections, add: Add, ctx: RuleContext) => void;
}

/** Synthesizes, but a reviewer should see it: attached to the stacks it concerns. */
export interface WarningRule extends RuleBase {
  readonly stacks: readonly WarnedStack[];
  readonly check: (c: AppConfig, stack: WarnedStack) => string[];
}

export type CrossFieldRule = ErrorRule | WarningRule;

function regionsOf(c: Sections): string[] {
  return [c.network?.region, c.failover?.enabled ? c.failover.network?.region : undefined].filter(
    known,
  );
}

/** The network section a regional stack builds: region A's for primary, region B's for failover. */
const networkOf = (c: AppConfig, stack: WarnedStack): [string, NetworkConfig] =>
  stack === "primary" ? ["network", c.network] : ["failover.network", c.failover.network];

/**
 * Rules that refuse the configuration. The order is the order problems are reported in, and the
 * order of the reference's list.
 */
export const ERROR_RULES: readonly ErrorRule[] = [
  {
    id: "environment-is-the-file",
    paths: ["environment"],
    doc: "`environment` equals the name `DEPLOY_ENV` chose the file by: names, state and workspaces follow it.",
    check: (c, add, { environment }) => {
      if (c.environment && c.environment !== environment) {
        add(
          "environment",
          `is "${c.environment}" in the file chosen by DEPLOY_ENV=${environment}; names, state and workspaces would be those of "${c.environment}", so set environment: "${environment}"`,
        );
      }
    },
  },
  {
    id: "generated-names-fit",
    paths: ["project", "environment", "network.region", "failover.network.region"],
    doc: "`project` and `environment` with each region's code give ALB and target-group names within AWS's 32 characters, untruncated.",
    check: (c, add) => {
      if (!c.project || !c.environment) return;
      for (const region of regionsOf(c)) {
        const names = NameCatalogue.of(c.project, c.environment, region);
        for (const { kind, suffix } of Object.values(STRICT_NAMES)) {
          const name = names.untruncated(suffix);
          if (name.length > NAME_LIMITS[kind]) {
            add(
              "project",
              `with environment "${c.environment}" in ${region} gives the ${kind} name "${name}" (${name.length} characters, AWS allows ${NAME_LIMITS[kind]}); shorten project or environment`,
            );
          }
        }
      }
    },
  },
  {
    id: "names-aws-accepts",
    paths: ["project", "environment"],
    doc: "The names `project` and `environment` give are ones AWS takes: no S3 bucket prefix starting `xn--`, `sthree-` or `amzn-s3-demo-`, no load balancer name starting `internal-`, no security group name starting `sg-`, no RDS identifier with two hyphens in a row.",
    check: (c, add) => {
      if (!c.project || !c.environment) return;
      // Every name starts with the project, so its first region shows the problem for all.
      const names = NameCatalogue.of(c.project, c.environment, regionsOf(c)[0] ?? "us-east-1");
      const bucket = names.accessLogsBucketPrefix;
      for (const problem of s3PrefixProblems(bucket)) {
        add(
          "project",
          `"${c.project}" gives the S3 bucket prefix "${bucket}", which ${problem}; rename the project`,
        );
      }
      const securityGroup = names.untruncated("db");
      if (securityGroup.startsWith(SECURITY_GROUP_RESERVED_PREFIX)) {
        add(
          "project",
          `"${c.project}" gives security group names such as "${securityGroup}"; EC2 refuses names beginning with "${SECURITY_GROUP_RESERVED_PREFIX}"; rename the project`,
        );
      }
      const alb = names.untruncated(STRICT_NAMES.alb.suffix);
      if (alb.startsWith(ALB_RESERVED_PREFIX)) {
        add(
          "project",
          `"${c.project}" gives the load balancer name "${alb}"; ELB refuses names beginning with "${ALB_RESERVED_PREFIX}"; rename the project`,
        );
      }
      const db = names.untruncated("db");
      const dbProblem = rdsIdentifierProblem(db);
      if (dbProblem) {
        add(
          "project",
          `"${c.project}" gives the RDS identifier "${db}", which ${dbProblem}; rename the project`,
        );
      }
    },
  },
  {
    id: "zones-in-region",
    paths: [
      "network.availabilityZones",
      "network.azCount",
      "failover.network.availabilityZones",
      "failover.network.azCount",
    ],
    doc: "Pinned `network.availabilityZones` and `failover.network.availabilityZones` exist in their region, once each, one per `azCount`; `azCount` never exceeds the zones an account has there (us-west-1: 2, and zones must be pinned because their names differ per account). Unpinned, the region's first zones are used by name (`facts/regions.ts`): never a zone twice.",
    check: (c, add, { failed }) => {
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
    },
  },
  {
    id: "failover-region-differs",
    paths: ["failover.network.region", "network.region"],
    doc: "`failover.network.region` differs from `network.region` when `failover.enabled`.",
    check: (c, add) => {
      const a = c.network;
      const b = c.failover?.enabled ? c.failover.network : undefined;
      if (a?.region && b?.region && a.region === b.region) {
        add(
          "failover.network.region",
          `equals network.region (${a.region}); the failover region must be a different region, or set failover.enabled to false`,
        );
      }
    },
  },
  {
    id: "peered-blocks-disjoint",
    paths: ["failover.network.vpcCidr", "network.vpcCidr"],
    doc: "`failover.network.vpcCidr` does not overlap `network.vpcCidr` when `failover.enabled`: the two VPCs are peered.",
    check: (c, add) => {
      const a = c.network;
      const b = c.failover?.enabled ? c.failover.network : undefined;
      if (a?.vpcCidr && b?.vpcCidr && cidrsOverlap(a.vpcCidr, b.vpcCidr)) {
        add(
          "failover.network.vpcCidr",
          `${b.vpcCidr} overlaps network.vpcCidr ${a.vpcCidr}; peered VPCs need disjoint blocks, such as 10.20.0.0/16 beside 10.10.0.0/16`,
        );
      }
    },
  },
  {
    id: "promoted-needs-failover",
    paths: ["failover.promoted", "failover.enabled"],
    doc: "`failover.promoted` only with `failover.enabled`: without region B there is no replica to have promoted.",
    check: (c, add) => {
      if (c.failover?.promoted && c.failover.enabled === false) {
        add(
          "failover.promoted",
          "is true but failover.enabled is false; there is no replica to have promoted",
        );
      }
    },
  },
  {
    id: "automatic-pages-someone",
    paths: ["failover.automatic", "alarms.emails"],
    doc: "`failover.automatic` needs at least one `alarms.emails` address: the function pages region B's alarm topic before it promotes, and the hold window is only a guard when someone receives that page and can disarm it.",
    check: (c, add, { failed }) => {
      if (!c.failover?.automatic || c.failover.enabled === false || failed("alarms.emails")) return;
      if ((c.alarms?.emails ?? []).length === 0) {
        add(
          "failover.automatic",
          "is true but alarms.emails is empty: the page before an automatic promotion (and its hold window, when an operator can disarm it) would reach no one. Add an on-call address to alarms.emails, or set failover.automatic: false",
        );
      }
    },
  },
  {
    id: "automatic-faster-than-a-person",
    paths: ["failover.automation.quorumMinutes", "failover.automation.holdMinutes"],
    doc: "`failover.automation.quorumMinutes` + `failover.automation.holdMinutes` at most 20 with `failover.automatic`: past that an operator paged by the alarms decides sooner, and recovery misses its 10-minute goal by far.",
    check: (c, add) => {
      const auto = c.failover?.automatic ? c.failover.automation : undefined;
      if (auto?.quorumMinutes === undefined || auto.holdMinutes === undefined) return;
      if (auto.quorumMinutes + auto.holdMinutes > 20) {
        add(
          "failover.automation.holdMinutes",
          `${auto.holdMinutes} with quorumMinutes ${auto.quorumMinutes} waits ${auto.quorumMinutes + auto.holdMinutes} minutes before promoting, more than 20: shorten either, or leave the decision to a person (failover.automatic: false)`,
        );
      }
    },
  },
  {
    id: "scaling-bounds",
    paths: ["scaling.minCapacity", "scaling.maxCapacity", "scaling.desiredCount"],
    doc: "`scaling.minCapacity` <= `scaling.maxCapacity`, and `scaling.desiredCount` within them.",
    check: (c, add) => {
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
    },
  },
  {
    id: "production-serves",
    paths: ["scaling.minCapacity", "scaling.desiredCount", "environment"],
    doc: `In ${PRODUCTION_ENVIRONMENTS.map((e) => `\`${e}\``).join(", ")}, \`scaling.minCapacity\` and \`scaling.desiredCount\` are not both 0: region A would serve nothing, and target tracking cannot scale out from zero.`,
    check: (c, add) => {
      const { minCapacity: min, desiredCount: desired } = c.scaling ?? {};
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
    },
  },
  {
    id: "image-cache-serves-ghcr",
    paths: ["failover.imageSource", "service.image"],
    doc: "`failover.imageSource` `regionalCache` needs `service.image` on ghcr.io (the cache's one upstream).",
    check: (c, add) => {
      const image = c.service?.image;
      if (c.failover?.enabled && c.failover.imageSource === "regionalCache" && known(image)) {
        if (!image.startsWith("ghcr.io/")) {
          add(
            "failover.imageSource",
            `regionalCache caches ghcr.io only, and service.image is ${image}; set failover.imageSource: upstream`,
          );
        }
      }
    },
  },
  {
    id: "standby-within-max",
    paths: ["failover.standbyTasks", "scaling.maxCapacity"],
    doc: "`failover.standbyTasks` <= `scaling.maxCapacity` when `failover.enabled`.",
    check: (c, add) => {
      const max = c.scaling?.maxCapacity;
      const standby = c.failover?.enabled ? c.failover.standbyTasks : undefined;
      if (known(standby) && known(max) && standby > max) {
        add("failover.standbyTasks", `${standby} is above scaling.maxCapacity ${max}`);
      }
    },
  },
  {
    id: "fargate-size",
    paths: ["service.cpu", "service.memory"],
    doc: "`service.cpu` and `service.memory` form a valid Fargate size (`facts/fargate.ts`).",
    check: (c, add) => {
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
    },
  },
  {
    id: "capacity-weight",
    paths: ["service.capacity.fargateWeight", "service.capacity.fargateSpotWeight"],
    doc: "At least one of `service.capacity.fargateWeight` and `service.capacity.fargateSpotWeight` is positive (FARGATE_SPOT runs X86_64 and ARM64 alike).",
    check: (c, add) => {
      const capacity = c.service?.capacity;
      if (capacity?.fargateWeight === 0 && capacity.fargateSpotWeight === 0) {
        add(
          "service.capacity",
          "fargateWeight and fargateSpotWeight are both 0; give at least one a weight",
        );
      }
    },
  },
  {
    id: "server-binds-container-port",
    paths: ["service.serverCommand", "service.containerPort"],
    doc: "`service.serverCommand`'s `--bind` (or `-b`) address listens on `service.containerPort`: the target group sends traffic there.",
    check: (c, add) => {
      const args = c.service?.serverCommand;
      const port = c.service?.containerPort;
      if (!args || !known(port)) return;
      const at = args.findIndex((a) => a === "--bind" || a === "-b");
      const bind = at >= 0 ? args[at + 1] : args.find((a) => a.startsWith("--bind="))?.slice(7);
      const bound = bind?.match(/:(\d+)$/)?.[1];
      if (bound !== undefined && Number(bound) !== port) {
        add(
          "service.serverCommand",
          `binds ${bind}, but service.containerPort is ${port}: the load balancer would find nothing listening; bind 0.0.0.0:${port}`,
        );
      }
    },
  },
  {
    id: "no-secrets-in-environment",
    paths: ["service.environment"],
    doc: `\`service.environment\` holds neither ${INJECTED_VARIABLES.map((v) => `\`${v}\``).join("/")} (injected from Secrets Manager) nor names that look like secrets: plain variables appear in the task definition.`,
    check: (c, add) => {
      for (const key of Object.keys(c.service?.environment ?? {})) {
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
    },
  },
  {
    id: "rds-classes",
    paths: [
      "database.instanceClass",
      "database.replicaInstanceClass",
      "failover.replicaInstanceClass",
      "database.engineVersion",
    ],
    doc: "`database.instanceClass`, `database.replicaInstanceClass` and `failover.replicaInstanceClass` are classes RDS offers for PostgreSQL `database.engineVersion` (`facts/rds.ts`).",
    check: (c, add) => {
      const major = c.database?.engineVersion;
      const classes: [string, string | undefined][] = [
        ["database.instanceClass", c.database?.instanceClass],
        ["database.replicaInstanceClass", c.database?.replicaInstanceClass],
        ["failover.replicaInstanceClass", c.failover?.replicaInstanceClass],
      ];
      for (const [path, instanceClass] of classes) {
        const problem = major && instanceClass && postgresClassProblem(instanceClass, major);
        if (problem) add(path, `${problem} (database.engineVersion ${major})`);
      }
    },
  },
  {
    id: "storage-ceiling",
    paths: ["database.maxAllocatedStorage", "database.allocatedStorage"],
    doc: "`database.maxAllocatedStorage` at least 10 % above `database.allocatedStorage` (RDS storage autoscaling refuses less).",
    check: (c, add) => {
      const { allocatedStorage: size, maxAllocatedStorage: ceiling } = c.database ?? {};
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
    },
  },
  {
    id: "windows-disjoint",
    paths: ["database.backupWindow", "database.maintenanceWindow"],
    doc: "`database.backupWindow` and `database.maintenanceWindow` do not overlap (RDS refuses overlapping windows).",
    check: (c, add) => {
      const db = c.database;
      const backup = db?.backupWindow && parseDailyWindow(db.backupWindow);
      const maintenance = db?.maintenanceWindow && parseWeeklyWindow(db.maintenanceWindow);
      if (backup && maintenance && windowsOverlap(backup, maintenance)) {
        add(
          "database.backupWindow",
          `${db.backupWindow} overlaps database.maintenanceWindow ${db.maintenanceWindow}; RDS refuses overlapping windows, so move one`,
        );
      }
    },
  },
  {
    id: "record-inside-zone",
    paths: ["dns.recordName", "dns.zoneName"],
    doc: `\`dns.recordName\` does not repeat \`dns.zoneName\` (\`api\`, not \`api.example.com\`), and together they fit the ${MAX_CERTIFICATE_DOMAIN} characters of an ACM certificate name.`,
    check: (c, add) => {
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
    },
  },
  {
    id: "alarm-emails-once",
    paths: ["alarms.emails"],
    doc: "`alarms.emails` lists each address once (SNS keeps one subscription per address).",
    check: (c, add) => {
      const emails = c.alarms?.emails ?? [];
      emails.forEach((email, i) => {
        if (emails.findIndex((e) => e.toLowerCase() === email.toLowerCase()) < i) {
          add(
            `alarms.emails.${i}`,
            `"${email}" is listed twice; SNS keeps one subscription per address, so remove the copy`,
          );
        }
      });
    },
  },
  {
    id: "http-only-explicit",
    paths: ["dns", "allowHttpOnly"],
    doc: "`dns: null` requires `allowHttpOnly: true`: plain HTTP is never chosen by accident.",
    check: (c, add) => {
      if ("dns" in c && c.dns === null && c.allowHttpOnly === false) {
        add(
          "dns",
          "is not set, so the API would be served over plain HTTP; configure a Route53 zone for HTTPS, or set allowHttpOnly: true for a non-production environment",
        );
      }
    },
  },
  {
    id: "terraform-cloud-complete",
    paths: ["delivery.terraformCloud.enabled", "delivery.terraformCloud.organization"],
    doc: "`delivery.terraformCloud.enabled` needs `delivery.terraformCloud.organization`: the organization whose runs assume the roles.",
    check: (c, add) => {
      const tfc = c.delivery?.terraformCloud;
      if (!tfc?.enabled) return;
      if (!tfc.organization) {
        add(
          "delivery.terraformCloud.organization",
          "is required when terraformCloud.enabled is true; set the organization whose runs assume the roles (the TF_CLOUD_ORGANIZATION you deploy with)",
        );
      }
    },
  },
  {
    id: "reviewers-github-allows",
    paths: ["delivery.reviewers.users", "delivery.reviewers.teams"],
    doc: `\`delivery.reviewers.users\` and \`delivery.reviewers.teams\` together name at most ${MAX_GITHUB_REVIEWERS}: GitHub's limit of required reviewers per environment.`,
    check: (c, add) => {
      const reviewers = c.delivery?.reviewers;
      const count = (reviewers?.users?.length ?? 0) + (reviewers?.teams?.length ?? 0);
      if (count > MAX_GITHUB_REVIEWERS) {
        add(
          "delivery.reviewers",
          `lists ${count} users and teams; GitHub allows at most ${MAX_GITHUB_REVIEWERS} required reviewers per environment (name a team instead of its members)`,
        );
      }
    },
  },
  {
    id: "production-reviewers",
    paths: ["delivery.reviewers", "delivery.enabled", "environment"],
    doc: `In ${PRODUCTION_ENVIRONMENTS.map((e) => `\`${e}\``).join(", ")} with \`delivery.enabled\`, \`delivery.reviewers\` names at least one user or team: without one, any run of the app's deploy workflow rolls out to production unapproved.`,
    check: (c, add) => {
      const d = c.delivery;
      if (!d?.enabled || !c.environment || !PRODUCTION_ENVIRONMENTS.includes(c.environment)) return;
      const count = (d.reviewers?.users?.length ?? 0) + (d.reviewers?.teams?.length ?? 0);
      if (count === 0) {
        add(
          "delivery.reviewers",
          `is empty in "${c.environment}": any run of the app's deploy workflow would roll out to production without approval; name who approves, such as reviewers: { teams: ["platform"] }`,
        );
      }
    },
  },
  {
    id: "workspace-policies",
    paths: ["delivery.terraformCloud.policyArns", "failover.enabled"],
    doc: "With `delivery.terraformCloud.enabled`, `delivery.terraformCloud.policyArns` lists policies for every workspace that gets roles: `primary` and `delivery`, and with `failover.enabled` also `failover` and `link`. Each apply role gets only its own workspace's.",
    check: (c, add) => {
      const tfc = c.delivery?.terraformCloud;
      if (!c.delivery?.enabled || !tfc?.enabled) return;
      const stacks = ["primary", ...(c.failover?.enabled ? ["failover", "link"] : []), "delivery"];
      for (const stack of stacks) {
        const arns = tfc.policyArns?.[stack as keyof typeof tfc.policyArns];
        if (arns && arns.length === 0) {
          add(
            `delivery.terraformCloud.policyArns.${stack}`,
            `is empty; the ${stack} workspace's apply role could change nothing. List the managed policies its applies need (docs/delivery.md, "The workspaces' permissions")`,
          );
        }
      }
    },
  },
];

/** Rules that synthesize but warn a reviewer once, in the order the stacks print them. */
export const WARNING_RULES: readonly WarningRule[] = [
  {
    id: "plain-http",
    stacks: ["primary"],
    paths: ["dns"],
    doc: "`dns: null`: region A's ALB serves plain HTTP, with no certificate.",
    check: (c) =>
      c.dns
        ? []
        : ["no DNS zone (dns: null): the ALB serves plain HTTP, with no certificate and no HTTPS"],
  },
  {
    id: "mutable-image-tag",
    stacks: ["primary"],
    paths: ["service.imageTag"],
    doc: '`service.imageTag` `"latest"`: deployments are not reproducible; pass `IMAGE_TAG`.',
    check: (c) =>
      c.service.imageTag === "latest"
        ? [
            'service.imageTag is "latest": deployments are not reproducible; pass IMAGE_TAG=<immutable tag>',
          ]
        : [],
  },
  {
    id: "automatic-without-failover",
    stacks: ["primary"],
    paths: ["failover.automatic", "failover.enabled"],
    doc: "`failover.automatic` with `failover.enabled` false: there is no region B, so nothing promotes on its own.",
    check: (c) =>
      c.failover.automatic && !c.failover.enabled
        ? [
            "failover.automatic is true but failover.enabled is false: there is no region B, so nothing promotes on its own",
          ]
        : [],
  },
  {
    id: "nobody-paged",
    stacks: ["primary"],
    paths: ["alarms.emails"],
    doc: "`alarms.emails` empty: alarms publish to a topic nobody is subscribed to.",
    check: (c) =>
      c.alarms.emails.length === 0
        ? ["alarms.emails is empty: alarms publish to an SNS topic that nobody is subscribed to"]
        : [],
  },
  {
    id: "major-upgrade-allowed",
    stacks: ["primary"],
    paths: ["database.allowMajorVersionUpgrade", "database.engineVersion"],
    doc: "`database.allowMajorVersionUpgrade` true: changes to the writer apply at once, with downtime; set it back after the upgrade (docs/upgrades.md).",
    check: (c) =>
      c.database.allowMajorVersionUpgrade
        ? [
            `database.allowMajorVersionUpgrade is true: changes to the writer apply at once, with downtime, not in the maintenance window (engineVersion ${c.database.engineVersion}); set it back to false after the upgrade (docs/upgrades.md)`,
          ]
        : [],
  },
  {
    id: "single-region",
    stacks: ["primary"],
    paths: ["failover.enabled"],
    doc: "`failover.enabled` false: no second region, so a regional outage is not covered.",
    check: (c) =>
      c.failover.enabled
        ? []
        : ["failover.enabled is false: no second region, so a regional outage is not covered"],
  },
  {
    id: "region-a-may-idle",
    stacks: ["primary"],
    paths: ["scaling.minCapacity", "scaling.desiredCount"],
    doc: "Outside production, `scaling.minCapacity` 0 (with or without `scaling.desiredCount` 0): region A may run no task, and target tracking cannot scale out from zero.",
    // Production refuses both at 0 (production-serves); elsewhere it may be on purpose.
    check: (c) => {
      if (c.scaling.minCapacity === 0 && c.scaling.desiredCount === 0) {
        return [
          "scaling.minCapacity and scaling.desiredCount are 0: region A runs NO task and the API answers nothing; target tracking cannot scale out from zero, so raise both to at least 1",
        ];
      }
      return c.scaling.minCapacity === 0
        ? [
            "scaling.minCapacity is 0: the autoscaler may scale region A in to no task, and target tracking cannot scale out from zero",
          ]
        : [];
    },
  },
  {
    id: "public-vpc-block",
    stacks: ["primary", "failover"],
    paths: ["network.vpcCidr", "failover.network.vpcCidr"],
    doc: `\`network.vpcCidr\` or \`failover.network.vpcCidr\` outside ${PRIVATE_RANGES.join(", ")}: the VPC shadows those public addresses.`,
    check: (c, stack) => {
      const [path, network] = networkOf(c, stack);
      return isPrivate(network.vpcCidr)
        ? []
        : [
            `${path}.vpcCidr ${network.vpcCidr} is outside the private ranges (${PRIVATE_RANGES.join(", ")}): the VPC shadows those public addresses, so nothing in it can reach the hosts that own them`,
          ];
    },
  },
  {
    id: "opt-in-region",
    stacks: ["primary", "failover"],
    paths: ["network.region", "failover.network.region"],
    doc: "`network.region` or `failover.network.region` an opt-in region: an administrator enables it for the account before deploying.",
    check: (c, stack) => {
      const [path, network] = networkOf(c, stack);
      return regionFacts(network.region)?.optIn
        ? [
            `${path}.region ${network.region} is an opt-in region: an administrator must enable it for the account (Account > AWS Regions) before deploying`,
          ]
        : [];
    },
  },
  {
    id: "manual-traffic-move",
    stacks: ["failover"],
    paths: ["dns"],
    doc: "`dns: null` with failover: no DNS failover; traffic moves to region B only by hand.",
    check: (c) =>
      c.dns
        ? []
        : ["no DNS zone (dns: null): DNS failover is off; traffic moves to region B only by hand"],
  },
  {
    id: "cold-standby",
    stacks: ["failover"],
    paths: ["failover.standbyTasks"],
    doc: "`failover.standbyTasks` 0: region B runs no task until an operator raises its minimum (docs/disaster-recovery.md).",
    check: (c) =>
      c.failover.standbyTasks === 0
        ? [
            "failover.standbyTasks is 0: region B runs no tasks and target tracking cannot scale out from zero; an operator raises its minimum after failover (docs/disaster-recovery.md)",
          ]
        : [],
  },
  {
    id: "cold-image-cache",
    stacks: ["failover"],
    paths: ["failover.imageSource", "failover.standbyTasks"],
    doc: "`failover.imageSource` `regionalCache` with `failover.standbyTasks` 0: no task fills region B's image cache, so recovery's first pull still needs GHCR.",
    check: (c) =>
      c.failover.imageSource === "regionalCache" && c.failover.standbyTasks === 0
        ? [
            "failover.imageSource is regionalCache but failover.standbyTasks is 0: the cache holds an image only after a first pull, and no standby task makes it, so recovery's first task still pulls through to GHCR; run one standby task, or pull the release once through the cache (docs/disaster-recovery.md)",
          ]
        : [],
  },
  {
    id: "promoted",
    stacks: ["failover"],
    paths: ["failover.promoted"],
    doc: "`failover.promoted` true: region B's database is the writer and A's is no longer replicated; fail back per docs/disaster-recovery.md.",
    check: (c) =>
      c.failover.promoted
        ? [
            "failover.promoted is true: region B's database is the writer and A's is no longer replicated; fail back per docs/disaster-recovery.md",
          ]
        : [],
  },
  {
    id: "maintenance-on",
    stacks: ["primary", "failover"],
    paths: ["maintenance.enabled"],
    doc: "`maintenance.enabled` true: the ALB answers every path but `service.healthCheckPath` with the maintenance page (503); turn it off with `npm run maintenance -- off`, then set it back to false.",
    check: (c) =>
      c.maintenance.enabled
        ? [
            `maintenance.enabled is true: this region's ALB answers every request but ${c.service.healthCheckPath} with the maintenance page (503)`,
          ]
        : [],
  },
  {
    id: "deploys-without-approval",
    stacks: ["delivery-github"],
    paths: ["delivery.reviewers"],
    doc: "`delivery.reviewers` empty (with `delivery.enabled`, outside production, where it is an error): the app's deploy workflow rolls out without approval.",
    check: (c) =>
      c.delivery.reviewers.users.length + c.delivery.reviewers.teams.length === 0
        ? [
            "delivery.reviewers is empty: any run of the app's deploy workflow in this environment rolls out without approval",
          ]
        : [],
  },
  {
    id: "deploys-from-any-branch",
    stacks: ["delivery-github"],
    paths: ["delivery.deploymentBranches"],
    doc: '`delivery.deploymentBranches` `"all"` (with `delivery.enabled`): a workflow on any branch of the app repository can deploy.',
    check: (c) =>
      c.delivery.deploymentBranches === "all"
        ? [
            'delivery.deploymentBranches is "all": a workflow on any branch of the app repository can deploy',
          ]
        : [],
  },
];

/** Every rule, errors first: the reference's order. */
export const RULES: readonly CrossFieldRule[] = [...ERROR_RULES, ...WARNING_RULES];

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
  for (const rule of ERROR_RULES) rule.check(c, add, { environment, failed });
  return problems;
}

/** The warnings of a valid configuration that concern stack `stack`, in rule order. */
export function ruleWarnings(config: AppConfig, stack: string): string[] {
  return WARNING_RULES.filter((r) => (r.stacks as readonly string[]).includes(stack)).flatMap((r) =>
    r.check(config, stack as WarnedStack),
  );
}
