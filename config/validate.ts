/**
 * Turns an environment file into a validated `AppConfig`, or a `ConfigError` that lists every
 * problem at once, each naming the field and what is allowed.
 */
import type { z } from "zod";
import { NAME_LIMITS, type NameKind, Naming, STRICT_NAMES } from "./naming";
import { type AppConfig, configSchema } from "./schema";

export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid configuration for environment "${environment}" (${problems.length} problem${
        problems.length === 1 ? "" : "s"
      }):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Valid Fargate memory sizes (MiB) for each CPU size. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Longest project and environment names, so that ALB and target-group names fit in 32. */
export const MAX_PROJECT_LENGTH = 12;
export const MAX_ENVIRONMENT_LENGTH = 6;

/** Variables the stacks inject from Secrets Manager; config must not set them in plain text. */
const INJECTED_VARIABLES = ["DATABASE_URL", "SECRET_KEY"];
const SECRET_LOOKING = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

type Sections = { [K in keyof AppConfig]?: AppConfig[K] };

export function validateConfig(raw: unknown, environment: string): AppConfig {
  const problems: string[] = [];
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) problems.push(...parsed.error.issues.map(formatIssue));

  // Cross-field rules run on every section that parsed on its own, so one typo does not hide
  // the other problems.
  const sections = parsed.success ? parsed.data : parseSections(raw);
  problems.push(...crossFieldProblems(sections));

  if (problems.length > 0 || !parsed.success) throw new ConfigError(environment, problems);
  return parsed.data;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length ? issue.path.join(".") : "(root)";
  if (issue.code === "unrecognized_keys") {
    return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys
      .map((k) => `"${k}"`)
      .join(", ")}; remove or correct ${issue.keys.length > 1 ? "them" : "it"}`;
  }
  return `${path}: ${issue.message}`;
}

function parseSections(raw: unknown): Sections {
  if (typeof raw !== "object" || raw === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    const result = (schema as z.ZodType).safeParse((raw as Record<string, unknown>)[key]);
    if (result.success) out[key] = result.data;
  }
  return out as Sections;
}

function crossFieldProblems(c: Sections): string[] {
  const problems: string[] = [];
  const add = (path: string, message: string): void => {
    problems.push(`${path}: ${message}`);
  };

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
  if (c.project && c.environment) {
    const regions = [
      c.network?.region,
      c.failover?.enabled ? c.failover.network.region : undefined,
    ];
    for (const region of regions) {
      if (!region) continue;
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
  }

  if (c.network && c.failover?.enabled) {
    const a = c.network;
    const b = c.failover.network;
    if (a.region === b.region) {
      add(
        "failover.network.region",
        `equals network.region (${a.region}); the failover region must be a different region, or set failover.enabled to false`,
      );
    }
    if (cidrsOverlap(a.vpcCidr, b.vpcCidr)) {
      add(
        "failover.network.vpcCidr",
        `${b.vpcCidr} overlaps network.vpcCidr ${a.vpcCidr}; peered VPCs need disjoint blocks, such as 10.20.0.0/16 beside 10.10.0.0/16`,
      );
    }
  }

  const zones = (
    path: string,
    n?: { region: string; azCount: number; availabilityZones?: string[] },
  ) => {
    if (!n?.availabilityZones) return;
    if (n.availabilityZones.length !== n.azCount) {
      add(
        `${path}.availabilityZones`,
        `lists ${n.availabilityZones.length} zones but ${path}.azCount is ${n.azCount}; list exactly one per AZ`,
      );
    }
    const foreign = n.availabilityZones.filter((z) => z.slice(0, -1) !== n.region);
    if (foreign.length)
      add(
        `${path}.availabilityZones`,
        `${foreign.join(", ")} ${foreign.length > 1 ? "are" : "is"} not in ${n.region}`,
      );
    if (new Set(n.availabilityZones).size !== n.availabilityZones.length)
      add(`${path}.availabilityZones`, "lists a zone twice");
  };
  zones("network", c.network);
  if (c.failover?.enabled) zones("failover.network", c.failover.network);

  if (c.failover && c.failover.promoted && !c.failover.enabled) {
    add(
      "failover.promoted",
      "is true but failover.enabled is false; there is no replica to have promoted",
    );
  }

  if (c.scaling) {
    const s = c.scaling;
    if (s.minCapacity > s.maxCapacity) {
      add(
        "scaling.minCapacity",
        `${s.minCapacity} is above scaling.maxCapacity ${s.maxCapacity}; min must be at most max`,
      );
    } else if (s.desiredCount < s.minCapacity || s.desiredCount > s.maxCapacity) {
      add(
        "scaling.desiredCount",
        `${s.desiredCount} is outside scaling.minCapacity..maxCapacity (${s.minCapacity}..${s.maxCapacity})`,
      );
    }
    if (c.failover?.enabled && c.failover.standbyTasks > s.maxCapacity) {
      add(
        "failover.standbyTasks",
        `${c.failover.standbyTasks} is above scaling.maxCapacity ${s.maxCapacity}`,
      );
    }
  }

  if (c.service) {
    const svc = c.service;
    const memories = FARGATE_SIZES[svc.cpu];
    if (!memories) {
      add(
        "service.cpu",
        `${svc.cpu} is not a Fargate CPU size; use one of ${Object.keys(FARGATE_SIZES).join(", ")}`,
      );
    } else if (!memories.includes(svc.memory)) {
      add(
        "service.memory",
        `${svc.memory} MiB is not valid with service.cpu ${svc.cpu}; use one of ${memories.join(", ")}`,
      );
    }
    if (svc.architecture === "ARM64" && svc.capacity.fargateSpotWeight > 0) {
      add(
        "service.capacity.fargateSpotWeight",
        "must be 0 with service.architecture ARM64: FARGATE_SPOT runs only X86_64 tasks",
      );
    }
    if (svc.capacity.fargateWeight + svc.capacity.fargateSpotWeight === 0) {
      add(
        "service.capacity",
        "fargateWeight and fargateSpotWeight are both 0; give at least one a weight",
      );
    }
    for (const key of Object.keys(svc.environment)) {
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

  if (c.database && c.database.maxAllocatedStorage < c.database.allocatedStorage) {
    add(
      "database.maxAllocatedStorage",
      `${c.database.maxAllocatedStorage} GiB is below database.allocatedStorage ${c.database.allocatedStorage} GiB`,
    );
  }

  c.bastion?.sshAllowedCidrs.forEach((block, i) => {
    if (block.endsWith("/0")) {
      add(
        `bastion.sshAllowedCidrs.${i}`,
        `${block} opens SSH to the whole internet; use Session Manager, or list single addresses such as 203.0.113.10/32`,
      );
    } else if (!block.endsWith("/32")) {
      add(`bastion.sshAllowedCidrs.${i}`, `${block} is a range; list single addresses (/32) only`);
    }
  });

  if ("dns" in c && c.dns === null && c.allowHttpOnly === false) {
    add(
      "dns",
      "is not set, so the API would be served over plain HTTP; configure a Route53 zone for HTTPS, or set allowHttpOnly: true for a non-production environment",
    );
  }
  return problems;
}

function toRange(block: string): [number, number] {
  const [ip, bits] = block.split("/");
  const base = ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const start = base - (base % size);
  return [start, start + size - 1];
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [a0, a1] = toRange(a);
  const [b0, b1] = toRange(b);
  return a0 <= b1 && b0 <= a1;
}
