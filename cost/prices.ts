/**
 * AWS public list prices (USD, Linux, on-demand) for the regions the environments use, each with
 * the page that publishes it and the date the figure stands for. Neither a pricing API nor the
 * pages were reachable when the table was written: the figures were entered by hand as the pages
 * gave them on that date, not read live. Re-read the source page before budgeting with them, and
 * change `asOf` with the figure.
 *
 * Prices per region: a region the stacks use but this table lacks is an error of the estimator,
 * never a silent zero (`cost/estimate.ts`).
 */

export const PRICED_REGIONS = ["us-east-1", "us-west-2"] as const;
export type PricedRegion = (typeof PRICED_REGIONS)[number];

export interface Price {
  /** What one unit is, as the page bills it. */
  readonly unit: string;
  /** USD per unit, by region. */
  readonly usd: Readonly<Record<PricedRegion, number>>;
  /** The public page the figure is read from. */
  readonly source: string;
  /** The date the figure stands for (YYYY-MM-DD). */
  readonly asOf: string;
  /** Why the figure is what it is, when the page alone does not say. */
  readonly note?: string;
}

/** The date every price below stands for (entered by hand, not read live: see above). */
export const PRICES_AS_OF = "2025-05-01";

const PAGE = {
  fargate: "https://aws.amazon.com/fargate/pricing/",
  rds: "https://aws.amazon.com/rds/postgresql/pricing/",
  vpc: "https://aws.amazon.com/vpc/pricing/",
  privatelink: "https://aws.amazon.com/privatelink/pricing/",
  elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  ebs: "https://aws.amazon.com/ebs/pricing/",
  waf: "https://aws.amazon.com/waf/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  kms: "https://aws.amazon.com/kms/pricing/",
  lambda: "https://aws.amazon.com/lambda/pricing/",
  secrets: "https://aws.amazon.com/secrets-manager/pricing/",
  route53: "https://aws.amazon.com/route53/pricing/",
  s3: "https://aws.amazon.com/s3/pricing/",
  ecr: "https://aws.amazon.com/ecr/pricing/",
} as const;

/** One figure that is the same in both regions (true of every price here so far). */
const both = (unit: string, usd: number, source: string, note?: string): Price => ({
  unit,
  usd: { "us-east-1": usd, "us-west-2": usd },
  source,
  asOf: PRICES_AS_OF,
  ...(note ? { note } : {}),
});

export const PRICES = {
  fargateVcpuHour: both("vCPU-hour, x86_64", 0.04048, PAGE.fargate),
  fargateGbHour: both("GB-hour of memory, x86_64", 0.004445, PAGE.fargate),
  fargateArmVcpuHour: both("vCPU-hour, ARM64", 0.03238, PAGE.fargate),
  fargateArmGbHour: both("GB-hour of memory, ARM64", 0.00356, PAGE.fargate),
  fargateSpotVcpuHour: both(
    "vCPU-hour on FARGATE_SPOT, x86_64",
    0.01214,
    PAGE.fargate,
    "Spot prices move with spare capacity; taken as 30% of on-demand (the page's 'up to 70% off')",
  ),
  fargateSpotGbHour: both(
    "GB-hour on FARGATE_SPOT, x86_64",
    0.001334,
    PAGE.fargate,
    "30% of on-demand, as above",
  ),
  fargateSpotArmVcpuHour: both(
    "vCPU-hour on FARGATE_SPOT, ARM64",
    0.009714,
    PAGE.fargate,
    "30% of on-demand",
  ),
  fargateSpotArmGbHour: both(
    "GB-hour on FARGATE_SPOT, ARM64",
    0.001068,
    PAGE.fargate,
    "30% of on-demand",
  ),
  natGatewayHour: both("NAT gateway-hour", 0.045, PAGE.vpc),
  natGatewayGb: both("GB processed by a NAT gateway", 0.045, PAGE.vpc),
  publicIpv4Hour: both(
    "public IPv4 address-hour (Elastic IP or a load balancer's)",
    0.005,
    PAGE.vpc,
  ),
  interfaceEndpointAzHour: both("interface endpoint-hour per AZ", 0.01, PAGE.privatelink),
  interfaceEndpointGb: both("GB processed by an interface endpoint", 0.01, PAGE.privatelink),
  interRegionGb: both(
    "GB sent to another AWS region (from us-east-1 or us-west-2)",
    0.02,
    PAGE.ec2,
  ),
  albHour: both("Application Load Balancer-hour", 0.0225, PAGE.elb),
  albLcuHour: both("ALB load balancer capacity unit (LCU)-hour", 0.008, PAGE.elb),
  rdsStorageGbMonth: both("GB-month of gp3 storage, single-AZ (Multi-AZ: twice)", 0.115, PAGE.rds),
  rdsBackupGbMonth: both(
    "GB-month of backup storage beyond the free amount (replicated backups: all of it)",
    0.095,
    PAGE.rds,
  ),
  wafWebAclMonth: both("web ACL-month", 5, PAGE.waf),
  wafRuleMonth: both("rule-month (a managed rule group counts as one)", 1, PAGE.waf),
  wafMillionRequests: both("million requests inspected", 0.6, PAGE.waf),
  cloudwatchAlarmMetric: both("standard-resolution alarm metric-month", 0.1, PAGE.cloudwatch),
  cloudwatchHighResAlarmMetric: both(
    "high-resolution (under 60 s) alarm metric-month",
    0.3,
    PAGE.cloudwatch,
  ),
  cloudwatchDashboardMonth: both("dashboard-month (beyond the free tier's 3)", 3, PAGE.cloudwatch),
  cloudwatchMetricMonth: both("custom metric-month (first 10,000)", 0.3, PAGE.cloudwatch),
  logsIngestGb: both("GB of log data ingested (standard class)", 0.5, PAGE.cloudwatch),
  logsStoredGbMonth: both("GB-month of log data archived", 0.03, PAGE.cloudwatch),
  kmsKeyMonth: both(
    "customer managed key-month",
    1,
    PAGE.kms,
    "a rotated key costs $1 more per month for each of its first two rotations",
  ),
  lambdaRequestMillion: both("million Lambda requests", 0.2, PAGE.lambda),
  lambdaGbSecondX86: both("GB-second of Lambda compute (x86)", 0.0000166667, PAGE.lambda),
  lambdaGbSecondArm: both("GB-second of Lambda compute (arm64)", 0.0000133334, PAGE.lambda),
  ecrStorageGbMonth: both(
    "GB-month stored in a private ECR repository (pull-through cache repositories included)",
    0.1,
    PAGE.ecr,
    "pulls into Fargate in the same region transfer at no charge",
  ),
  secretMonth: both("secret-month (a replica secret counts as one)", 0.4, PAGE.secrets),
  route53HealthCheckMonth: both(
    "health check-month of an AWS endpoint (calculated checks likewise)",
    0.5,
    PAGE.route53,
  ),
  route53HealthCheckOptionMonth: both(
    "optional feature-month of an AWS-endpoint health check (HTTPS, string matching, fast interval, latency measurement: each)",
    1,
    PAGE.route53,
  ),
  s3StandardGbMonth: both("GB-month of S3 Standard (first 50 TB)", 0.023, PAGE.s3),
  ebsGp3GbMonth: both("GB-month of EBS gp3", 0.08, PAGE.ebs),
  ec2DetailedMonitoringMonth: both(
    "instance-month of EC2 detailed monitoring (7 metrics at the custom-metric price)",
    2.1,
    PAGE.cloudwatch,
  ),
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/** RDS PostgreSQL single-AZ instance-hours by class; Multi-AZ (one standby) is twice. */
export const RDS_INSTANCE_HOUR: Readonly<Record<string, Price>> = {
  "db.t4g.micro": both("db.t4g.micro instance-hour, single-AZ", 0.016, PAGE.rds),
  "db.t4g.small": both("db.t4g.small instance-hour, single-AZ", 0.032, PAGE.rds),
  "db.t4g.medium": both("db.t4g.medium instance-hour, single-AZ", 0.065, PAGE.rds),
  "db.t4g.large": both("db.t4g.large instance-hour, single-AZ", 0.129, PAGE.rds),
  "db.t3.micro": both("db.t3.micro instance-hour, single-AZ", 0.018, PAGE.rds),
  "db.t3.small": both("db.t3.small instance-hour, single-AZ", 0.036, PAGE.rds),
  "db.t3.medium": both("db.t3.medium instance-hour, single-AZ", 0.072, PAGE.rds),
  "db.m6g.large": both("db.m6g.large instance-hour, single-AZ", 0.152, PAGE.rds),
  "db.m7g.large": both("db.m7g.large instance-hour, single-AZ", 0.168, PAGE.rds),
  "db.r6g.large": both("db.r6g.large instance-hour, single-AZ", 0.225, PAGE.rds),
};

/** EC2 Linux instance-hours by type (the bastion). */
export const EC2_INSTANCE_HOUR: Readonly<Record<string, Price>> = {
  "t4g.nano": both("t4g.nano instance-hour", 0.0042, PAGE.ec2),
  "t4g.micro": both("t4g.micro instance-hour", 0.0084, PAGE.ec2),
  "t3.nano": both("t3.nano instance-hour", 0.0052, PAGE.ec2),
  "t3.micro": both("t3.micro instance-hour", 0.0104, PAGE.ec2),
};

/** Hours in the average month, as AWS's pricing examples count them. */
export const HOURS_PER_MONTH = 730;
