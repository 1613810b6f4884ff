/**
 * Rules that must hold for every resource of every synthesized stack, written over the raw
 * Terraform JSON so they keep applying as stacks grow. Each returns the violations it found.
 */
import type { SynthJson } from "../helpers";

type Resource = Record<string, unknown>;
export type Violation = string;

function* resources(json: SynthJson): Generator<[string, string, Resource]> {
  for (const [type, byId] of Object.entries(json.resource ?? {})) {
    for (const [id, resource] of Object.entries(byId)) yield [type, id, resource];
  }
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Where IAM JSON documents live, by resource type and field. */
const POLICY_FIELDS: Record<string, string[]> = {
  aws_iam_role: ["assume_role_policy"],
  aws_iam_role_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_kms_key: ["policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_secretsmanager_secret_policy: ["policy"],
};

/** Statements allowed a wildcard action or resource, by Sid, with the reason AWS forces it. */
export const WILDCARD_ALLOW_LIST: Record<string, string> = {
  AccountAdministersAndDelegatesToIam:
    "a key policy names its own key as *; root delegation is AWS's recommended default",
  CloudWatchLogsEncryptsThisAccountsLogGroups:
    "key policies name the key as *; scoped by the logs ARN condition",
  CloudWatchAlarmsPublishToEncryptedTopics:
    "key policies name the key as *; scoped by aws:SourceAccount",
  EventBridgeRulesPublishToEncryptedTopics:
    "key policies name the key as *; scoped by aws:SourceAccount",
  EcsExecChannels: "ssmmessages channel actions have no resource-level permissions",
  FindExecLogGroup: "logs:DescribeLogGroups has no resource-level permissions",
  FindSessionLogGroup: "logs:DescribeLogGroups has no resource-level permissions",
  EcrLogin: "ecr:GetAuthorizationToken has no resource-level permissions",
  ReadTaskDefinitions: "ecs:DescribeTaskDefinition has no resource-level permissions",
  ReadScalingBounds:
    "application-autoscaling:DescribeScalableTargets has no resource-level permissions",
  ReadRecoveryStateWithoutResourceLevelPermissions:
    "the Describe/Get calls npm run dr makes have no resource-level permissions; region-conditioned",
  CeilingForTheAttachedPolicies:
    "a permissions boundary grants nothing; its * lets the attached policies decide and its denies cut them down",
  RefreshReadsInThisStacksRegions:
    "Describe/List reads mostly lack resource-level permissions; Read/List only (checked against the service reference), region-conditioned",
  RefreshReadsOfGlobalServices:
    "IAM and Route53 reads of ids unknown before they exist; Read/List only (checked against the service reference)",
  ReadLoadBalancing:
    "the ELBv2 Describe* calls ECS makes for blue/green have no resource-level permissions",
};

export function wildcardStatements(json: SynthJson): Violation[] {
  const out: Violation[] = [];
  for (const [type, id, resource] of resources(json)) {
    for (const field of POLICY_FIELDS[type] ?? []) {
      const raw = resource[field];
      if (typeof raw !== "string") continue;
      let doc: { Statement?: Record<string, unknown>[] };
      try {
        doc = JSON.parse(raw);
      } catch {
        out.push(`${type}.${id}.${field}: not plain JSON, so it cannot be reviewed`);
        continue;
      }
      for (const s of asList(doc.Statement) as Record<string, unknown>[]) {
        if (s.Effect !== "Allow") continue;
        const wildAction = asList(s.Action).some(
          (a) => a === "*" || /^[a-z0-9-]+:\*$/.test(String(a)),
        );
        const wildResource = asList(s.Resource).some((r) => r === "*");
        if ((wildAction || wildResource) && !(String(s.Sid) in WILDCARD_ALLOW_LIST)) {
          out.push(
            `${type}.${id}: statement ${s.Sid ?? "(no Sid)"} allows ${wildAction ? "a wildcard action" : "resource *"}`,
          );
        }
      }
    }
  }
  return out;
}

const OPEN = new Set(["0.0.0.0/0", "::/0"]);

/** Internet ingress is allowed only into the ALB's group, on 80 and 443. */
export function openIngress(
  json: SynthJson,
  isAlbGroup = (ref: string) => /load-balancer_sg_|lb_sg_/.test(ref),
): Violation[] {
  const out: Violation[] = [];
  const check = (where: string, cidrs: unknown[], from: unknown, to: unknown, group: string) => {
    if (!cidrs.some((c) => OPEN.has(String(c)))) return;
    const web = from === to && (from === 80 || from === 443);
    if (!(web && isAlbGroup(group)))
      out.push(`${where}: ingress from the internet on ${from}-${to}`);
  };
  for (const [type, id, r] of resources(json)) {
    if (type === "aws_vpc_security_group_ingress_rule") {
      check(
        `${type}.${id}`,
        [r.cidr_ipv4, r.cidr_ipv6],
        r.from_port,
        r.to_port,
        String(r.security_group_id),
      );
    } else if (type === "aws_security_group_rule" && r.type === "ingress") {
      check(
        `${type}.${id}`,
        [...asList(r.cidr_blocks), ...asList(r.ipv6_cidr_blocks)],
        r.from_port,
        r.to_port,
        String(r.security_group_id),
      );
    } else if (type === "aws_security_group") {
      for (const rule of asList(r.ingress) as Resource[]) {
        check(
          `${type}.${id}`,
          [...asList(rule.cidr_blocks), ...asList(rule.ipv6_cidr_blocks)],
          rule.from_port,
          rule.to_port,
          `${type}.${id}`,
        );
      }
    }
  }
  return out;
}

/** Encryption and retention that must be on every instance of a type. */
export function unencrypted(json: SynthJson): Violation[] {
  const out: Violation[] = [];
  const encryptedBuckets = new Set(
    Object.values(json.resource?.aws_s3_bucket_server_side_encryption_configuration ?? {}).map(
      (c) => String(c.bucket),
    ),
  );
  for (const [type, id, r] of resources(json)) {
    const where = `${type}.${id}`;
    switch (type) {
      case "aws_cloudwatch_log_group":
        if (!r.retention_in_days) out.push(`${where}: no retention`);
        if (!r.kms_key_id) out.push(`${where}: not encrypted with a KMS key`);
        break;
      case "aws_db_instance":
        if (r.storage_encrypted !== true || !r.kms_key_id)
          out.push(`${where}: storage not encrypted with a KMS key`);
        if (r.publicly_accessible === true) out.push(`${where}: publicly accessible`);
        break;
      case "aws_secretsmanager_secret": {
        // ECR reads a pull-through cache's credentials as a service-linked role that no key
        // policy can name before it exists: those, and only those, use AWS's own key.
        const key = r.kms_key_id === undefined ? undefined : String(r.kms_key_id);
        const cacheCredentials = String(r.name).startsWith("ecr-pullthroughcache/");
        if (cacheCredentials && key !== "alias/aws/secretsmanager")
          out.push(`${where}: pull-through cache credentials not on alias/aws/secretsmanager`);
        if (!cacheCredentials && (!key || key.startsWith("alias/aws/")))
          out.push(`${where}: no customer KMS key`);
        break;
      }
      case "aws_ssm_parameter":
        // Plain String only for the automatic promotion's switch, latch and state, which hold
        // no secret (.checkov.stack-failover.yaml says why); every other one is a SecureString.
        if (
          r.type !== "SecureString" &&
          !/\/auto-promotion\/(switch|latch|state)$/.test(String(r.name))
        )
          out.push(`${where}: not a SecureString`);
        break;
      case "aws_sns_topic":
        if (!r.kms_master_key_id) out.push(`${where}: not encrypted`);
        break;
      case "aws_s3_bucket":
        if (![...encryptedBuckets].some((b) => b.includes(`aws_s3_bucket.${id}.`)))
          out.push(`${where}: no encryption configuration`);
        break;
      case "aws_instance": {
        const root = r.root_block_device as Resource | undefined;
        if (root?.encrypted !== true) out.push(`${where}: root volume not encrypted`);
        break;
      }
      case "aws_ebs_volume":
        if (r.encrypted !== true) out.push(`${where}: not encrypted`);
        break;
    }
  }
  return out;
}

/** An autoscaled ECS service must leave desired_count to the autoscaler. */
export function autoscaledServicesResetCount(json: SynthJson): Violation[] {
  const targets = Object.values(json.resource?.aws_appautoscaling_target ?? {}).map((t) =>
    String(t.resource_id),
  );
  const out: Violation[] = [];
  for (const [id, r] of Object.entries(json.resource?.aws_ecs_service ?? {})) {
    const scaled = targets.some((t) => t.includes(`aws_ecs_service.${id}.`));
    const ignored = asList((r.lifecycle as Resource | undefined)?.ignore_changes).includes(
      "desired_count",
    );
    if (scaled && !ignored)
      out.push(`aws_ecs_service.${id}: autoscaled but desired_count is not ignored`);
  }
  return out;
}

/** AWS name limits, by resource type and the field holding the name. */
export const NAME_FIELDS: Record<string, [string, number]> = {
  aws_lb: ["name", 32],
  aws_lb_target_group: ["name", 32],
  aws_db_instance: ["identifier", 63],
  aws_db_subnet_group: ["name", 255],
  aws_db_parameter_group: ["name", 255],
  aws_iam_role: ["name", 64],
  aws_iam_policy: ["name", 128],
  aws_iam_instance_profile: ["name", 128],
  aws_security_group: ["name", 255],
  aws_ecs_cluster: ["name", 255],
  aws_ecs_service: ["name", 255],
  aws_ecs_task_definition: ["family", 255],
  aws_cloudwatch_log_group: ["name", 512],
  aws_cloudwatch_metric_alarm: ["alarm_name", 255],
  aws_cloudwatch_dashboard: ["dashboard_name", 255],
  aws_secretsmanager_secret: ["name", 512],
  aws_sns_topic: ["name", 256],
  aws_kms_alias: ["name", 256],
  aws_wafv2_web_acl: ["name", 128],
  aws_s3_bucket: ["bucket_prefix", 37],
  aws_appautoscaling_policy: ["name", 255],
};

export function namesOverLimit(json: SynthJson): Violation[] {
  const out: Violation[] = [];
  for (const [type, id, r] of resources(json)) {
    const rule = NAME_FIELDS[type];
    if (!rule) continue;
    const [field, limit] = rule;
    const name = r[field];
    if (typeof name !== "string") continue;
    if (name.includes("${")) {
      out.push(`${type}.${id}.${field}: computed at apply time, so its length cannot be checked`);
    } else if (name.length > limit) {
      out.push(
        `${type}.${id}.${field}: "${name}" is ${name.length} characters, over AWS's ${limit}`,
      );
    }
  }
  return out;
}

const SECRET_KEYS =
  /^(password|secret_string|token|private_key|secret|master_password|access_key|secret_key)$/i;
const SECRET_VALUES: [RegExp, string][] = [
  [/AKIA[0-9A-Z]{16}/, "an AWS access key id"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/gh[pousr]_[A-Za-z0-9]{36,}/, "a GitHub token"],
  [/postgres(ql)?:\/\/[^:$]+:[^@$]+@/, "a connection string with a literal password"],
];

/** Secret-looking literals anywhere in the output; references (`${...}`) are fine. */
export function secretLiterals(json: unknown): Violation[] {
  const out: Violation[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      const key = path.split(".").pop() ?? "";
      if (SECRET_KEYS.test(key) && value !== "" && !value.startsWith("${"))
        out.push(`${path}: literal value`);
      for (const [pattern, what] of SECRET_VALUES)
        if (pattern.test(value)) out.push(`${path}: looks like ${what}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(json, "");
  return out;
}

/** Types whose names must be unique per account (IAM) or per account and region (the rest). */
const UNIQUE_NAMES: Record<string, { field: string; global?: boolean }> = {
  aws_iam_role: { field: "name", global: true },
  aws_iam_instance_profile: { field: "name", global: true },
  aws_kms_alias: { field: "name" },
  aws_sns_topic: { field: "name" },
  aws_secretsmanager_secret: { field: "name" },
  aws_cloudwatch_log_group: { field: "name" },
  aws_cloudwatch_metric_alarm: { field: "alarm_name" },
  aws_cloudwatch_dashboard: { field: "dashboard_name", global: true },
  aws_lb: { field: "name" },
  aws_lb_target_group: { field: "name" },
  aws_db_instance: { field: "identifier" },
  aws_db_subnet_group: { field: "name" },
  aws_db_parameter_group: { field: "name" },
  aws_ecs_cluster: { field: "name" },
  aws_wafv2_web_acl: { field: "name" },
  aws_iam_openid_connect_provider: { field: "url", global: true },
};

/** Names two resources would both claim when the stacks are deployed into one account. */
export function nameCollisions(stacks: SynthJson[]): Violation[] {
  const seen = new Map<string, string>();
  const out: Violation[] = [];
  stacks.forEach((json, s) => {
    const regions = new Map<string, string>();
    for (const p of json.provider?.aws ?? [])
      regions.set(p.alias ? `aws.${p.alias}` : "aws", String(p.region));
    for (const [type, id, r] of resources(json)) {
      const rule = UNIQUE_NAMES[type];
      const name = rule && r[rule.field];
      if (typeof name !== "string") continue;
      const region = rule.global ? "global" : (regions.get(String(r.provider ?? "aws")) ?? "?");
      const key = `${region}/${type}/${name}`;
      const where = `stack ${s} ${type}.${id}`;
      if (seen.has(key)) out.push(`${type} "${name}" in ${region}: ${seen.get(key)} and ${where}`);
      else seen.set(key, where);
    }
  });
  return out;
}
