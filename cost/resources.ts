/**
 * How each Terraform resource type the stacks create is billed: a rule that turns one resource's
 * synthesized arguments into charges, or a stated reason it costs nothing of its own. A type in
 * neither table is reported as unpriced (and a spec fails), so a new resource never slips into
 * the stacks at a silent zero.
 */
import {
  PRICES,
  RDS_INSTANCE_HOUR,
  EC2_INSTANCE_HOUR,
  HOURS_PER_MONTH,
  type Price,
} from "./prices";
import type { RoleUsage, Usage } from "./usage";

export type Role = "serving" | "standby";

/** One thing billed: `quantity` units of `price` per month, in `region` (default: the resource's). */
export interface Charge {
  readonly item: string;
  readonly quantity: number;
  readonly price: Price;
  readonly region?: string;
}

export interface RuleContext {
  readonly role: Role;
  readonly usage: Usage;
  readonly traffic: RoleUsage;
  /** Every resource of the stack, by type and logical id (to follow a reference). */
  readonly resources: Readonly<Record<string, Readonly<Record<string, Res>>>>;
}

/** A resource's synthesized arguments. */
export type Res = Readonly<Record<string, unknown>>;
export type Rule = (resource: Res, context: RuleContext) => Charge[];

/** Thrown by a rule for a setting the table has no price for: the estimate reports it. */
export class NoPrice extends Error {}

const H = HOURS_PER_MONTH;
const num = (v: unknown, fallback = 0) => (typeof v === "number" ? v : fallback);
const list = (v: unknown): Res[] => (Array.isArray(v) ? (v as Res[]) : v ? [v as Res] : []);

function priceOf(table: Readonly<Record<string, Price>>, key: unknown, what: string): Price {
  const price = table[String(key)];
  if (!price) {
    throw new NoPrice(
      `${what} ${String(key)} has no price in cost/prices.ts; add it with its source page and date`,
    );
  }
  return price;
}

/** Log data ingested per month, archived for min(retention, the cap) months. */
function logCharges(item: string, gb: number, retentionDays: number, usage: Usage): Charge[] {
  const months = retentionDays > 0 ? retentionDays / 30 : usage.logMonthsKeptAtMost;
  return [
    { item: `${item}: ingestion`, quantity: gb, price: PRICES.logsIngestGb },
    {
      item: `${item}: archive`,
      quantity: gb * Math.min(months, usage.logMonthsKeptAtMost),
      price: PRICES.logsStoredGbMonth,
    },
  ];
}

/**
 * Tasks on each capacity provider for `count` tasks: `base` on its provider first, the rest split
 * by weight (an expectation, so it may be fractional).
 */
export function tasksByProvider(count: number, strategy: Res[]): Record<string, number> {
  if (!strategy.length) return { FARGATE: count };
  const out: Record<string, number> = {};
  let left = count;
  for (const s of strategy) {
    const base = Math.min(num(s.base), left);
    out[String(s.capacity_provider)] = base;
    left -= base;
  }
  const weights = strategy.reduce((sum, s) => sum + num(s.weight), 0);
  for (const s of strategy) {
    const share = weights ? (left * num(s.weight)) / weights : 0;
    out[String(s.capacity_provider)] += share;
  }
  return out;
}

function fargate(service: Res, ctx: RuleContext): Charge[] {
  const ref = /aws_ecs_task_definition\.([^.]+)\./.exec(String(service.task_definition ?? ""));
  const defs = ctx.resources.aws_ecs_task_definition ?? {};
  const task = ref ? defs[ref[1]] : Object.values(defs)[0];
  if (!task) throw new NoPrice("ECS service without a task definition in its stack");
  const vcpu = Number(task.cpu) / 1024;
  const gb = Number(task.memory) / 1024;
  const arm = (task.runtime_platform as Res | undefined)?.cpu_architecture === "ARM64";
  const byProvider = tasksByProvider(
    num(service.desired_count, 1),
    list(service.capacity_provider_strategy),
  );
  const charges: Charge[] = [];
  for (const [provider, tasks] of Object.entries(byProvider)) {
    if (!tasks) continue;
    const spot = provider === "FARGATE_SPOT";
    if (!spot && provider !== "FARGATE") throw new NoPrice(`capacity provider ${provider}`);
    const kind = `${spot ? "FARGATE_SPOT" : "FARGATE"} ${arm ? "ARM64" : "x86_64"}`;
    const [cpuPrice, memPrice] = spot
      ? arm
        ? [PRICES.fargateSpotArmVcpuHour, PRICES.fargateSpotArmGbHour]
        : [PRICES.fargateSpotVcpuHour, PRICES.fargateSpotGbHour]
      : arm
        ? [PRICES.fargateArmVcpuHour, PRICES.fargateArmGbHour]
        : [PRICES.fargateVcpuHour, PRICES.fargateGbHour];
    const n = Math.round(tasks * 100) / 100;
    charges.push(
      { item: `${n} task(s) on ${kind}: vCPU`, quantity: tasks * vcpu * H, price: cpuPrice },
      { item: `${n} task(s) on ${kind}: memory`, quantity: tasks * gb * H, price: memPrice },
    );
  }
  return charges;
}

/** Region of an RDS ARN, for traffic billed where it leaves. */
const arnRegion = (arn: unknown) => /^arn:[^:]+:rds:([a-z0-9-]+):/.exec(String(arn))?.[1];

function database(db: Res, ctx: RuleContext): Charge[] {
  const multi = db.multi_az === true ? 2 : 1;
  const az = multi === 2 ? "Multi-AZ" : "single-AZ";
  const storageType = String(db.storage_type ?? "gp3");
  if (storageType !== "gp3" && storageType !== "gp2")
    throw new NoPrice(`RDS storage ${storageType}`);
  const gb = num(db.allocated_storage, ctx.usage.databaseGb);
  const charges: Charge[] = [
    {
      item: `${String(db.instance_class)} ${az}`,
      quantity: multi * H,
      price: priceOf(RDS_INSTANCE_HOUR, db.instance_class, "RDS instance class"),
    },
    { item: `${gb} GiB storage ${az}`, quantity: multi * gb, price: PRICES.rdsStorageGbMonth },
  ];
  const interval = num(db.monitoring_interval);
  if (interval > 0) {
    const emGb = (ctx.usage.enhancedMonitoringGbAt60s * 60) / interval;
    charges.push(...logCharges(`Enhanced Monitoring every ${interval} s`, emGb, 30, ctx.usage));
  }
  if (
    db.performance_insights_enabled === true &&
    num(db.performance_insights_retention_period, 7) > 7
  ) {
    throw new NoPrice("Performance Insights beyond the free 7 days of retention");
  }
  const source = arnRegion(db.replicate_source_db);
  if (source) {
    charges.push({
      item: `write-ahead log from ${source}`,
      quantity: ctx.usage.replicationGbPerMonth,
      price: PRICES.interRegionGb,
      region: source,
    });
  }
  return charges;
}

function alarm(a: Res): Charge[] {
  const queries = list(a.metric_query);
  const metrics = queries.length
    ? queries.filter((q) => q.metric).map((q) => q.metric as Res)
    : [a];
  const highRes = metrics.some((m) => num(m.period, 60) < 60);
  return [
    {
      item: `${metrics.length} alarm metric(s)${highRes ? ", high resolution" : ""}`,
      quantity: metrics.length,
      price: highRes ? PRICES.cloudwatchHighResAlarmMetric : PRICES.cloudwatchAlarmMetric,
    },
  ];
}

/** Managed rule groups with a fee of their own beyond the rule price. */
const PAID_RULE_GROUPS = /BotControl|ATP|ACFP|AntiDDoS/;

function webAcl(acl: Res, ctx: RuleContext): Charge[] {
  const rules = list(acl.rule);
  for (const r of rules) {
    const group = (r.statement as Res | undefined)?.managed_rule_group_statement as Res | undefined;
    if (group && PAID_RULE_GROUPS.test(String(group.name))) {
      throw new NoPrice(`WAF managed rule group ${String(group.name)} (it has a fee of its own)`);
    }
  }
  return [
    { item: "web ACL", quantity: 1, price: PRICES.wafWebAclMonth },
    { item: `${rules.length} rule(s)`, quantity: rules.length, price: PRICES.wafRuleMonth },
    {
      item: `${ctx.traffic.requestsPerMonth / 1e6}M requests`,
      quantity: ctx.traffic.requestsPerMonth / 1e6,
      price: PRICES.wafMillionRequests,
    },
  ];
}

function logGroup(group: Res, ctx: RuleContext): Charge[] {
  const name = String(group.name ?? "");
  const gb = name.startsWith("aws-waf-logs-")
    ? (ctx.traffic.requestsPerMonth * ctx.usage.wafLogBytesPerRequest) / 1e9
    : name.startsWith("/vpc/")
      ? ctx.traffic.flowLogGb
      : ctx.traffic.logGbPerGroup;
  return logCharges(
    `${Math.round(gb * 100) / 100} GB/month`,
    gb,
    num(group.retention_in_days),
    ctx.usage,
  );
}

function healthCheck(check: Res): Charge[] {
  const type = String(check.type);
  const options = [
    type.startsWith("HTTPS") && "HTTPS",
    type.endsWith("_STR_MATCH") && "string matching",
    num(check.request_interval, 30) === 10 && "fast interval",
    check.measure_latency === true && "latency measurement",
  ].filter((o): o is string => Boolean(o));
  return [
    { item: `${type} health check`, quantity: 1, price: PRICES.route53HealthCheckMonth },
    ...(options.length
      ? [
          {
            item: options.join(", "),
            quantity: options.length,
            price: PRICES.route53HealthCheckOptionMonth,
          },
        ]
      : []),
  ];
}

export const RULES: Readonly<Record<string, Rule>> = {
  aws_ecs_service: fargate,
  aws_ecs_cluster: (cluster, ctx) => {
    const insights = list(cluster.setting).some(
      (s) => s.name === "containerInsights" && s.value !== "disabled",
    );
    const n = ctx.usage.containerInsightsMetrics;
    return insights
      ? [
          {
            item: `Container Insights, ${n} metrics`,
            quantity: n,
            price: PRICES.cloudwatchMetricMonth,
          },
        ]
      : [];
  },
  aws_appautoscaling_policy: (policy) =>
    policy.policy_type === "TargetTrackingScaling"
      ? [
          {
            item: "the 2 alarms target tracking keeps",
            quantity: 2,
            price: PRICES.cloudwatchAlarmMetric,
          },
        ]
      : [],
  aws_db_instance: database,
  aws_db_instance_automated_backups_replication: (_r, ctx) => [
    {
      item: `${ctx.usage.databaseGb} GB of replicated backups`,
      quantity: ctx.usage.databaseGb,
      price: PRICES.rdsBackupGbMonth,
    },
    {
      item: "backups and logs copied across regions",
      quantity: ctx.usage.replicationGbPerMonth,
      price: PRICES.interRegionGb,
    },
  ],
  aws_nat_gateway: (_r, ctx) => [
    { item: "NAT gateway", quantity: H, price: PRICES.natGatewayHour },
    {
      item: `${ctx.traffic.natGbPerGateway} GB processed`,
      quantity: ctx.traffic.natGbPerGateway,
      price: PRICES.natGatewayGb,
    },
  ],
  aws_eip: () => [{ item: "public IPv4 address", quantity: H, price: PRICES.publicIpv4Hour }],
  aws_lb: (lb, ctx) => {
    const ips = lb.internal === true ? 0 : list(lb.subnets).length;
    return [
      { item: "ALB", quantity: H, price: PRICES.albHour },
      {
        item: `${ctx.traffic.albLcu} LCU`,
        quantity: ctx.traffic.albLcu * H,
        price: PRICES.albLcuHour,
      },
      ...(ips
        ? [
            {
              item: `${ips} public IPv4 addresses (one per subnet)`,
              quantity: ips * H,
              price: PRICES.publicIpv4Hour,
            },
          ]
        : []),
    ];
  },
  aws_vpc_endpoint: (endpoint, ctx) => {
    if (endpoint.vpc_endpoint_type !== "Interface") return [];
    const azs = list(endpoint.subnet_ids).length;
    return [
      {
        item: `interface endpoint in ${azs} AZ(s)`,
        quantity: azs * H,
        price: PRICES.interfaceEndpointAzHour,
      },
      {
        item: `${ctx.traffic.endpointGbPerEndpoint} GB processed`,
        quantity: ctx.traffic.endpointGbPerEndpoint,
        price: PRICES.interfaceEndpointGb,
      },
    ];
  },
  aws_wafv2_web_acl: webAcl,
  aws_cloudwatch_metric_alarm: alarm,
  aws_cloudwatch_dashboard: () => [
    { item: "dashboard", quantity: 1, price: PRICES.cloudwatchDashboardMonth },
  ],
  aws_cloudwatch_log_group: logGroup,
  aws_kms_key: () => [{ item: "customer managed key", quantity: 1, price: PRICES.kmsKeyMonth }],
  // The rule itself is free; ECR bills the repositories its pulls fill.
  aws_ecr_pull_through_cache_rule: (_r, ctx) => [
    {
      item: `${ctx.usage.cachedImageGb} GB of cached images`,
      quantity: ctx.usage.cachedImageGb,
      price: PRICES.ecrStorageGbMonth,
    },
  ],
  aws_secretsmanager_secret: (secret) => [
    { item: "secret", quantity: 1, price: PRICES.secretMonth },
    ...list(secret.replica).map((r) => ({
      item: `replica in ${String(r.region)}`,
      quantity: 1,
      price: PRICES.secretMonth,
      region: String(r.region),
    })),
  ],
  aws_route53_health_check: healthCheck,
  aws_s3_bucket: (_r, ctx) => [
    {
      item: `${ctx.traffic.bucketGb} GB stored`,
      quantity: ctx.traffic.bucketGb,
      price: PRICES.s3StandardGbMonth,
    },
  ],
  aws_instance: (instance) => {
    const root = (list(instance.root_block_device)[0] ?? {}) as Res;
    const gb = num(root.volume_size, 8);
    return [
      {
        item: String(instance.instance_type),
        quantity: H,
        price: priceOf(EC2_INSTANCE_HOUR, instance.instance_type, "EC2 instance type"),
      },
      { item: `${gb} GB root volume`, quantity: gb, price: PRICES.ebsGp3GbMonth },
      ...(instance.monitoring === true
        ? [{ item: "detailed monitoring", quantity: 1, price: PRICES.ec2DetailedMonitoringMonth }]
        : []),
    ];
  },
  aws_lambda_function: (fn, ctx) => {
    const invocations = ctx.usage.functionInvocationsPerMonth;
    const gbSeconds =
      invocations * ctx.usage.functionSecondsPerInvocation * (num(fn.memory_size, 128) / 1024);
    const arm = list(fn.architectures).some((a) => String(a) === "arm64");
    return [
      {
        item: "function requests",
        quantity: invocations / 1e6,
        price: PRICES.lambdaRequestMillion,
      },
      {
        item: "function compute",
        quantity: gbSeconds,
        price: arm ? PRICES.lambdaGbSecondArm : PRICES.lambdaGbSecondX86,
      },
    ];
  },
  aws_ssm_parameter: (parameter) => {
    if (parameter.tier && parameter.tier !== "Standard")
      throw new NoPrice(`SSM ${String(parameter.tier)} parameter`);
    return [];
  },
};

const VPC_PLUMBING = "VPC configuration: no charge of its own";
const IAM = "IAM has no charge";
const BUCKET_SETTING = "a setting of an S3 bucket, whose storage aws_s3_bucket prices";

/** Types that cost nothing of their own, each with the reason. */
export const FREE: Readonly<Record<string, string>> = {
  aws_acm_certificate: "public ACM certificates are free",
  aws_cloudwatch_event_rule:
    "rules on the default event bus: schedules and events from AWS services are not charged",
  aws_cloudwatch_event_target: "a setting of its rule",
  aws_lambda_permission: "a setting of the function",
  aws_ssm_document: "Session Manager documents are free; sessions are billed to no one here",
  aws_acm_certificate_validation: "a Terraform wait for validation, no AWS resource",
  aws_appautoscaling_target:
    "Application Auto Scaling has no charge; its policies' alarms are priced",
  aws_db_parameter_group: "RDS configuration: no charge",
  aws_db_subnet_group: "RDS configuration: no charge",
  aws_default_security_group: VPC_PLUMBING,
  aws_security_group: VPC_PLUMBING,
  aws_vpc_security_group_ingress_rule: VPC_PLUMBING,
  aws_vpc_security_group_egress_rule: VPC_PLUMBING,
  aws_network_acl: VPC_PLUMBING,
  aws_route: VPC_PLUMBING,
  aws_route_table: VPC_PLUMBING,
  aws_route_table_association: VPC_PLUMBING,
  aws_subnet: VPC_PLUMBING,
  aws_vpc: VPC_PLUMBING,
  aws_internet_gateway: "no charge; traffic out to the internet is billed per GB, not modelled",
  aws_vpc_peering_connection:
    "no hourly charge; the replica's inter-region traffic is priced on the replica",
  aws_vpc_peering_connection_accepter: "the accepting side of the peering: no charge",
  aws_vpc_peering_connection_options: "peering settings: no charge",
  aws_ecs_cluster_capacity_providers: "billed through the tasks the service runs (aws_ecs_service)",
  aws_ecs_task_definition: "billed through the tasks the service runs (aws_ecs_service)",
  aws_flow_log: "billed as ingestion into its log group (aws_cloudwatch_log_group)",
  aws_iam_role: IAM,
  aws_iam_role_policy: IAM,
  aws_iam_policy: IAM,
  aws_iam_role_policy_attachment: IAM,
  aws_iam_instance_profile: IAM,
  aws_iam_openid_connect_provider: IAM,
  aws_kms_alias: "aliases are free; the key is priced",
  aws_lb_listener: "covered by the ALB's hours and LCUs",
  aws_lb_listener_rule: "covered by the ALB's LCUs (the first 10 rules per request are free)",
  aws_lb_target_group: "covered by the ALB's hours and LCUs",
  aws_route53_record:
    "queries to alias records of an ALB are free, those to the validation CNAME negligible; the hosted zone exists already and is not created here",
  aws_s3_bucket_lifecycle_configuration: BUCKET_SETTING,
  aws_s3_bucket_ownership_controls: BUCKET_SETTING,
  aws_s3_bucket_policy: BUCKET_SETTING,
  aws_s3_bucket_public_access_block: BUCKET_SETTING,
  aws_s3_bucket_server_side_encryption_configuration: BUCKET_SETTING,
  aws_s3_bucket_versioning: BUCKET_SETTING,
  aws_secretsmanager_secret_version: "a version of a priced secret",
  aws_sns_topic:
    "the first million publishes and 1,000 e-mails a month are free; alarms send far fewer",
  aws_sns_topic_policy: "a setting of the topic",
  aws_sns_topic_subscription: "a setting of the topic",
  aws_wafv2_web_acl_association: "covered by the web ACL's price",
  aws_wafv2_web_acl_logging_configuration:
    "billed as ingestion into its log group (aws_cloudwatch_log_group)",
  random_password: "generated by Terraform: no cloud resource",
  github_repository_environment: "GitHub, not AWS: no AWS charge",
  github_actions_environment_variable: "GitHub, not AWS: no AWS charge",
  github_repository_environment_deployment_policy: "GitHub, not AWS: no AWS charge",
};
