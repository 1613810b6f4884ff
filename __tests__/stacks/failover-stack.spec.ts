import type { EnvironmentInput } from "../../config/schema";
import { configWith, listOf, type SynthJson, synthApp } from "../helpers";

function stacksOf(patch?: (c: EnvironmentInput) => EnvironmentInput, environment = "prod") {
  const { primary, failover, manifest } = synthApp(configWith(patch, environment));
  return { primary, failover: failover!, manifest };
}
const { failover: prod, primary: prodPrimary } = stacksOf();
const providers = (json: SynthJson) =>
  (json.provider?.aws ?? []).map((p) => [p.alias ?? "default", p.region]);

describe("failover stack", () => {
  it("uses region B by default, region A for peering and the database rule, us-east-1 for Route53 metrics", () => {
    expect(providers(prod)).toEqual([
      ["default", "us-west-2"],
      ["primary", "us-east-1"],
      ["route53_metrics", "us-east-1"],
    ]);
  });

  it("depends on primary through remote state, never the other way", () => {
    expect(stacksOf().manifest.stacks.failover.dependencies).toEqual(["primary"]);
    expect(stacksOf().manifest.stacks.primary.dependencies).toEqual([]);
    expect(Object.keys(prod.data?.terraform_remote_state ?? {})).toEqual([
      "cross-stack-reference-input-primary",
    ]);
    expect(prodPrimary.data?.terraform_remote_state).toBeUndefined();
  });

  it("replicates the primary writer by ARN into B, encrypted with B's key", () => {
    const [replica] = listOf(prod, "aws_db_instance");
    expect(replica).toMatchObject({
      replicate_source_db: expect.stringMatching(
        /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-primary\.outputs\.cross-stack-output-aws_db_instancedatabase_writer_.+arn\}$/,
      ),
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/),
      storage_encrypted: true,
      deletion_protection: true,
      identifier: "hello-you-prod-usw2-db-replica",
    });
    expect(replica).not.toHaveProperty("provider");
  });

  it("copies the primary's automated backups into B", () => {
    expect(listOf(prod, "aws_db_instance_automated_backups_replication")[0]).toMatchObject({
      source_db_instance_arn: expect.stringContaining("remote_state"),
      retention_period: 14,
    });
  });

  it("peers with A: accepted and routed with A's provider, routes both ways, and the A database admits B's app subnets", () => {
    expect(listOf(prod, "aws_vpc_peering_connection")[0]).toMatchObject({
      peer_region: "us-east-1",
      peer_vpc_id: expect.stringContaining("remote_state"),
    });
    const routes = listOf(prod, "aws_route").filter((r) => r.vpc_peering_connection_id);
    const toA = routes.filter((r) => !r.provider).map((r) => r.destination_cidr_block);
    const toB = routes
      .filter((r) => r.provider === "aws.primary")
      .map((r) => [r.destination_cidr_block, String(r.route_table_id).includes("remote_state")]);
    expect(new Set(toA)).toEqual(new Set(["10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"]));
    expect(toB).toEqual([
      ["10.20.64.0/20", true],
      ["10.20.80.0/20", true],
    ]);
    const dbRules = listOf(prod, "aws_vpc_security_group_ingress_rule").filter(
      (r) => r.provider === "aws.primary",
    );
    expect(dbRules).toEqual([
      expect.objectContaining({
        from_port: 5432,
        cidr_ipv4: "10.20.64.0/20",
        security_group_id: expect.stringContaining("remote_state"),
      }),
      expect.objectContaining({
        from_port: 5432,
        cidr_ipv4: "10.20.80.0/20",
        security_group_id: expect.stringContaining("remote_state"),
      }),
    ]);
  });

  it("starts B's service after its connection secret has a value and the path to A's writer exists", () => {
    const [service] = listOf(prod, "aws_ecs_service");
    const routes = Object.keys(prod.resource?.aws_route ?? {}).filter((id) =>
      id.startsWith("peering_"),
    );
    const rules = Object.keys(prod.resource?.aws_vpc_security_group_ingress_rule ?? {}).filter(
      (id) => id.startsWith("primary-db-from-b-"),
    );
    expect(routes.length).toBeGreaterThan(0);
    expect(rules.length).toBeGreaterThan(0);
    expect(service.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_secretsmanager_secret_version\.database-secret_value_\w+$/),
        ...routes.map((id) => `aws_route.${id}`),
        ...rules.map((id) => `aws_vpc_security_group_ingress_rule.${id}`),
      ]),
    );
    expect(service.wait_for_steady_state).toBe(true);
  });

  it("runs the same task at pilot-light size with the primary's bounds and policies", () => {
    expect(listOf(prod, "aws_appautoscaling_target")[0]).toMatchObject({
      min_capacity: 1,
      max_capacity: 6,
    });
    expect(listOf(prod, "aws_ecs_service")[0]).toMatchObject({
      desired_count: 1,
      lifecycle: { ignore_changes: ["desired_count"] },
    });
    expect(listOf(prod, "aws_appautoscaling_policy")).toHaveLength(3);
    const image = (json: SynthJson) =>
      JSON.parse(String(listOf(json, "aws_ecs_task_definition")[0].container_definitions))[0].image;
    expect(image(prod)).toBe(image(prodPrimary));
    const dev = stacksOf(undefined, "dev").failover;
    expect(listOf(dev, "aws_appautoscaling_target")[0]).toMatchObject({ min_capacity: 0 });
  });

  it("reads a B connection secret pointing at A's writer, and A's replicated SECRET_KEY in B", () => {
    const container = JSON.parse(
      String(listOf(prod, "aws_ecs_task_definition")[0].container_definitions),
    )[0];
    expect(container.secrets[0].valueFrom).toMatch(
      /^\$\{aws_secretsmanager_secret\.database-secret_.+\.arn\}:url::$/,
    );
    expect(container.secrets[1].valueFrom).toMatch(
      /^\$\{data\.aws_secretsmanager_secret\.replicated-secrets_secretKey_.+\.arn\}$/,
    );
    const lookups = Object.values(prod.data?.aws_secretsmanager_secret ?? {});
    expect(lookups.map((d) => d.name)).toEqual(["hello-you-prod-use1-secret-key"]);
    const value = String(listOf(prod, "aws_secretsmanager_secret_version")[0].secret_string);
    expect(value).toContain("cross-stack-output-aws_db_instancedatabase_writer");
    expect(value).toContain("address");
  });

  it("fails DNS over: health check on A's ALB, PRIMARY and SECONDARY records, alarm and topic in us-east-1", () => {
    expect(listOf(prod, "aws_route53_health_check")[0]).toMatchObject({
      type: "HTTPS",
      request_interval: 10,
      failure_threshold: 3,
      resource_path: "/health",
      fqdn: expect.stringContaining("remote_state"),
    });
    expect(
      listOf(prod, "aws_route53_record").map(
        (r) => (r.failover_routing_policy as { type: string }).type,
      ),
    ).toEqual(["PRIMARY", "SECONDARY"]);
    const alarm = listOf(prod, "aws_cloudwatch_metric_alarm").find(
      (a) => a.namespace === "AWS/Route53",
    )!;
    expect(alarm.provider).toBe("aws.route53_metrics");
    const topics = listOf(prod, "aws_sns_topic");
    expect(topics.find((t) => t.provider === "aws.route53_metrics")).toMatchObject({
      name: "hello-you-prod-use1-dns-failover",
    });
    expect(listOf(prod, "aws_acm_certificate_validation")).toHaveLength(1);
    expect(listOf(prod, "aws_route53_record").some((r) => r.allow_overwrite)).toBe(false);
  });

  it("alarms on cross-region lag with the failover threshold, and on B's service", () => {
    const names = listOf(prod, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name);
    expect(names).toEqual(
      expect.arrayContaining([
        "hello-you-prod-usw2-db-cross-region-replica-replica-lag",
        "hello-you-prod-usw2-alb-5xx",
        "hello-you-prod-usw2-ecs-cpu",
      ]),
    );
  });

  it("outputs the failover URL, replica, cluster, service and health check", () => {
    expect(Object.keys(prod.output ?? {}).sort()).toEqual([
      "alb_dns_name",
      "cluster_name",
      "database_secret_arn",
      "failover_url",
      "health_check_id",
      "replica_arn",
      "replica_identifier",
      "service_name",
    ]);
  });

  it("without a zone: builds, with no health check, records or us-east-1 provider", () => {
    const dev = stacksOf(undefined, "dev").failover;
    expect(listOf(dev, "aws_route53_health_check")).toEqual([]);
    expect(listOf(dev, "aws_route53_record")).toEqual([]);
    expect(providers(dev).map(([alias]) => alias)).toEqual(["default", "primary"]);
    expect(dev.output).not.toHaveProperty("health_check_id");
  });

  it("after promotion (failover.promoted): B's instance is a writer, the secret points at it, B scales like A", () => {
    const promoted = stacksOf((c) => ({
      ...c,
      failover: { ...c.failover, promoted: true },
    })).failover;
    const [db] = listOf(promoted, "aws_db_instance");
    expect(db).not.toHaveProperty("replicate_source_db");
    expect(db).toMatchObject({
      engine: "postgres",
      engine_version: "16",
      multi_az: true,
      deletion_protection: true,
    });
    expect(listOf(promoted, "aws_db_instance_automated_backups_replication")).toEqual([]);
    const secret = String(listOf(promoted, "aws_secretsmanager_secret_version")[0].secret_string);
    expect(secret).toMatch(
      /@\$\{aws_db_instance\.replica_[0-9A-F]+\.address\}:\$\{aws_db_instance\.replica_[0-9A-F]+\.port\}\/helloyou/,
    );
    expect(secret).not.toContain("cross-stack-output-aws_db_instancedatabase_writer");
    expect(listOf(promoted, "aws_appautoscaling_target")[0]).toMatchObject({
      min_capacity: 2,
      max_capacity: 6,
    });
    const names = listOf(promoted, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name);
    expect(names).toContain("hello-you-prod-usw2-db-writer-cpu");
    expect(names.some((n) => String(n).includes("replica-lag"))).toBe(false);
  });
});
