import type { EnvironmentInput } from "../../config/schema";
import { FENCE_PATH } from "../../naming/recovery";
import { configWith, listOf, type SynthJson, synthApp } from "../helpers";

function stacksOf(patch?: (c: EnvironmentInput) => EnvironmentInput, environment = "prod") {
  const { primary, failover, manifest } = synthApp(configWith(patch, environment));
  return { primary, failover: failover!, manifest };
}
const { failover: prod, primary: prodPrimary, manifest } = stacksOf();
const { failover: dev } = stacksOf(undefined, "dev");

/** `${data.<type>.<id>.<attribute>}` of the stack's only data source of `type`. */
const lookup = (json: SynthJson, type: string, attribute: string) => {
  const ids = Object.keys(json.data?.[type] ?? {});
  expect(ids).toHaveLength(1);
  return `\${data.${type}.${ids[0]}.${attribute}}`;
};
/** Region A's writer as the primary stack names it. */
const writer = listOf(prodPrimary, "aws_db_instance").find((db) => !db.replicate_source_db)!;
/** Region A's writer's ARN as region B derives it: B's partition and account, A's region. */
const primaryArn = () => {
  const partition = lookup(prod, "aws_partition", "partition");
  const account = lookup(prod, "aws_caller_identity", "account_id");
  return `arn:${partition}:rds:us-east-1:${account}:db:${String(writer.identifier)}`;
};

describe("failover stack", () => {
  it.each([
    ["prod", prod],
    ["dev", dev],
  ])(
    "%s: stands alone in region B: one AWS provider, no remote state, no Route53 lookup",
    (_env, json) => {
      expect(json.provider?.aws).toEqual([expect.objectContaining({ region: "us-west-2" })]);
      expect(json.provider?.aws?.[0]).not.toHaveProperty("alias");
      expect(json.data?.terraform_remote_state).toBeUndefined();
      expect(json.data?.aws_route53_zone).toBeUndefined();
      // Nothing names another provider: every resource and lookup uses region B's.
      const blocks = [...Object.values(json.resource ?? {}), ...Object.values(json.data ?? {})];
      const withProvider = blocks.flatMap((byId) =>
        Object.entries(byId).filter(([, block]) => "provider" in block),
      );
      expect(withProvider.map(([id]) => id)).toEqual([]);
      expect(JSON.stringify(json)).not.toMatch(/aws\.(primary|route53_metrics)|remote_state/);
    },
  );

  it("deploys after primary (an explicit dependency) and never before it", () => {
    expect(manifest.stacks.failover.dependencies).toEqual(["primary"]);
    expect(manifest.stacks.primary.dependencies).toEqual([]);
    expect(prodPrimary.data?.terraform_remote_state).toBeUndefined();
  });

  it("replicates the primary writer by its derived ARN into B, encrypted with B's key", () => {
    const [replica] = listOf(prod, "aws_db_instance");
    expect(replica).toMatchObject({
      replicate_source_db: primaryArn(),
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/),
      storage_encrypted: true,
      deletion_protection: true,
      identifier: "hello-you-prod-usw2-db-replica",
    });
    expect(writer.identifier).toBe("hello-you-prod-use1-db");
    expect(replica).not.toHaveProperty("provider");
  });

  it("copies the primary's automated backups into B, from the same ARN", () => {
    expect(listOf(prod, "aws_db_instance_automated_backups_replication")[0]).toMatchObject({
      source_db_instance_arn: primaryArn(),
      retention_period: 14,
    });
  });

  it("points B's connection secret at A's writer, read from B's replica of A's secret", () => {
    const [connection] = Object.values(prod.data?.aws_secretsmanager_secret_version ?? {});
    const primarySecret = listOf(prodPrimary, "aws_secretsmanager_secret").find(
      (s) => s.name === connection.secret_id,
    );
    expect(connection.secret_id).toBe("hello-you-prod-use1-database");
    expect(primarySecret?.replica).toEqual([
      { region: "us-west-2", kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.replica-key_/) },
    ]);
    const value = String(listOf(prod, "aws_secretsmanager_secret_version")[0].secret_string);
    const field = (key: string) =>
      `jsondecode(${lookup(prod, "aws_secretsmanager_secret_version", "secret_string").slice(2, -1)}).${key}`;
    for (const key of ["host", "port", "dbname", "username", "password"]) {
      expect(value).toContain(`"${key}" = ${field(key)}`);
    }
  });

  it("finds the replica key by its alias in B, and lets B's tasks decrypt A's copies with it", () => {
    expect(Object.values(prod.data!.aws_kms_alias)).toEqual([
      expect.objectContaining({ name: "alias/hello-you-prod-usw2-replicas" }),
    ]);
    const execution = listOf(prod, "aws_iam_role_policy").find((p) =>
      String(p.policy).includes("DecryptSecretsThroughSecretsManagerOnly"),
    )!;
    const decrypt = JSON.parse(String(execution.policy)).Statement.find(
      (st: { Sid: string }) => st.Sid === "DecryptSecretsThroughSecretsManagerOnly",
    );
    expect(decrypt.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_kms_key\./),
      lookup(prod, "aws_kms_alias", "target_key_arn"),
    ]);
  });

  const image = (json: SynthJson): unknown =>
    JSON.parse(String(listOf(json, "aws_ecs_task_definition")[0].container_definitions))[0].image;

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
    expect(image(dev)).toBe(image(stacksOf(undefined, "dev").primary));
    expect(listOf(dev, "aws_appautoscaling_target")[0]).toMatchObject({ min_capacity: 0 });
  });

  it("prod: B's tasks pull the primary's digest from B's own ECR cache of ghcr.io", () => {
    const primaryImage = String(image(prodPrimary));
    const [, path, digest] = /^ghcr\.io\/(.+)@(sha256:[0-9a-f]{64})$/.exec(primaryImage)!;
    const account = lookup(prod, "aws_caller_identity", "account_id");
    const region = lookup(prod, "aws_region", "region");
    const repository = `hello-you-prod-usw2-ghcr/${path}`;
    expect(image(prod)).toBe(`${account}.dkr.ecr.${region}.amazonaws.com/${repository}@${digest}`);
    expect(listOf(prod, "aws_ecr_pull_through_cache_rule")).toEqual([
      expect.objectContaining({
        ecr_repository_prefix: "hello-you-prod-usw2-ghcr",
        upstream_registry_url: "ghcr.io",
        credential_arn: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.image-cache_/),
      }),
    ]);
    const container = JSON.parse(
      String(listOf(prod, "aws_ecs_task_definition")[0].container_definitions),
    )[0];
    expect(container).not.toHaveProperty("repositoryCredentials");
    // The execution role pulls and fills exactly the cached repository, nothing else in ECR.
    const policy = listOf(prod, "aws_iam_role_policy").find(
      (p) => p.name === "pull-read-secrets-write-logs",
    )!;
    const statements = JSON.parse(String(policy.policy)).Statement as {
      Sid: string;
      Action: string | string[];
      Resource: string;
    }[];
    const arn = `arn:${lookup(prod, "aws_partition", "partition")}:ecr:${region}:${account}:repository/${repository}`;
    expect(statements.filter((st) => String(st.Action).includes("ecr:"))).toEqual([
      expect.objectContaining({ Sid: "EcrLogin", Resource: "*" }),
      expect.objectContaining({ Sid: "PullTheImage", Resource: arn }),
      expect.objectContaining({
        Sid: "FillTheImageCache",
        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
        Resource: arn,
      }),
    ]);
    // dev pulls from GHCR: no cache, no ECR permission.
    expect(dev.resource?.aws_ecr_pull_through_cache_rule).toBeUndefined();
  });

  it("checks B's targets every 10 s: a new task is healthy after two passes", () => {
    expect(listOf(prod, "aws_lb_target_group")[0].health_check).toMatchObject({
      interval: 10,
      healthy_threshold: 2,
      unhealthy_threshold: 3,
    });
    const slower = stacksOf((c) => ({
      ...c,
      failover: { ...c.failover, targetHealthCheckIntervalSeconds: 30 },
    })).failover;
    expect(listOf(slower, "aws_lb_target_group")[0].health_check).toMatchObject({ interval: 30 });
  });

  it("runs the standby tasks on FARGATE_SPOT and what promotion adds on FARGATE, without Container Insights", () => {
    const strategy = [
      { capacity_provider: "FARGATE", base: 0, weight: 1000 },
      { capacity_provider: "FARGATE_SPOT", base: 1, weight: 1 },
    ];
    expect(listOf(prod, "aws_ecs_service")[0].capacity_provider_strategy).toEqual(strategy);
    expect(listOf(prod, "aws_ecs_cluster_capacity_providers")[0]).toMatchObject({
      default_capacity_provider_strategy: strategy,
    });
    expect(listOf(prod, "aws_ecs_cluster")[0].setting).toEqual([
      { name: "containerInsights", value: "disabled" },
    ]);
    const onDemand = stacksOf((c) => ({
      ...c,
      failover: { ...c.failover, standbyCapacity: "onDemand", standbyContainerInsights: true },
    })).failover;
    expect(listOf(onDemand, "aws_ecs_service")[0].capacity_provider_strategy).toEqual(
      listOf(prodPrimary, "aws_ecs_service")[0].capacity_provider_strategy,
    );
    expect(listOf(onDemand, "aws_ecs_cluster")[0].setting).toEqual([
      { name: "containerInsights", value: "enabled" },
    ]);
  });

  it("leaves B through a NAT instance until promotion, and pages when it fails its checks", () => {
    expect(listOf(prod, "aws_nat_gateway")).toEqual([]);
    const [instance] = listOf(prod, "aws_instance");
    expect(instance).toMatchObject({ instance_type: "t4g.nano", source_dest_check: false });
    const alarm = listOf(prod, "aws_cloudwatch_metric_alarm").find(
      (a) => a.alarm_name === "hello-you-prod-usw2-nat-instance-status",
    );
    expect(alarm).toMatchObject({
      namespace: "AWS/EC2",
      metric_name: "StatusCheckFailed",
      dimensions: { InstanceId: expect.stringContaining("aws_instance.network_nat-instance") },
      treat_missing_data: "breaching",
      alarm_actions: [expect.stringContaining("aws_sns_topic.")],
    });
    const gateway = stacksOf((c) => ({
      ...c,
      failover: { ...c.failover, standbyEgress: "natGateway" },
    })).failover;
    expect(listOf(gateway, "aws_nat_gateway")).toHaveLength(1);
    expect(listOf(gateway, "aws_instance")).toEqual([]);
    expect(listOf(gateway, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name)).not.toContain(
      "hello-you-prod-usw2-nat-instance-status",
    );
  });

  it("starts B's service once its connection secret has a value, without waiting for the peering", () => {
    const [service] = listOf(prod, "aws_ecs_service");
    expect(service.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_secretsmanager_secret_version\.database-secret_value_\w+$/),
      ]),
    );
    // prod waits for steady services; B's standby tasks need the link stack's peering first.
    expect(listOf(prodPrimary, "aws_ecs_service")[0].wait_for_steady_state).toBe(true);
    expect(service.wait_for_steady_state).toBe(false);
  });

  it("lets B's service reach A's data subnets and its own on 5432", () => {
    const postgres = listOf(prod, "aws_vpc_security_group_egress_rule")
      .filter((r) => r.from_port === 5432)
      .map((r) => r.cidr_ipv4);
    const primaryData = listOf(prodPrimary, "aws_subnet")
      .filter((s) => (s.tags as { tier?: string }).tier === "data")
      .map((s) => s.cidr_block);
    expect(primaryData).toHaveLength(3);
    expect(postgres).toEqual([...primaryData, "10.20.128.0/20", "10.20.144.0/20"]);
  });

  it("reads A's replicated SECRET_KEY in B and its own connection secret's url", () => {
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
  });

  it("starts B's tasks without a fence check: B is the side that sets the fence", () => {
    const [td] = listOf(prod, "aws_ecs_task_definition");
    const names = JSON.parse(String(td.container_definitions)).map((c: { name: string }) => c.name);
    expect(names).toEqual(["hello-you"]);
  });

  it("answers the fence open on B's HTTPS listener, for B's ALB name only", () => {
    const [rule] = listOf(prod, "aws_lb_listener_rule");
    expect(rule).toMatchObject({
      listener_arn: expect.stringMatching(/^\$\{aws_lb_listener\.load-balancer_https_\w+\.arn\}$/),
      priority: 1,
      condition: [
        { path_pattern: { values: [FENCE_PATH] } },
        {
          host_header: { values: [`\${aws_lb.${Object.keys(prod.resource!.aws_lb)[0]}.dns_name}`] },
        },
      ],
      action: [
        {
          type: "fixed-response",
          fixed_response: { content_type: "text/plain", status_code: "200", message_body: "open" },
        },
      ],
    });
  });

  it("keeps the recovery tool's audit trail in B, encrypted with B's key, for a year", () => {
    const audit = listOf(prod, "aws_cloudwatch_log_group").find((g) =>
      String(g.name).startsWith("/dr/"),
    );
    expect(audit).toEqual(
      expect.objectContaining({
        name: "/dr/hello-you-prod-usw2-recovery",
        retention_in_days: 365,
        kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/),
      }),
    );
  });

  it("gives npm run dr an operator role on B's own replica, fence rule, secrets, service and trail", () => {
    const role = listOf(prod, "aws_iam_role").find(
      (r) => r.name === "hello-you-prod-usw2-dr-operator",
    );
    expect(role).toBeDefined();
    const policy = listOf(prod, "aws_iam_role_policy").find((p) => p.name === "npm-run-dr")!;
    const bySid = Object.fromEntries(
      (JSON.parse(String(policy.policy)).Statement as { Sid: string; Resource: unknown }[]).map(
        (st) => [st.Sid, st.Resource],
      ),
    );
    const ref = (type: string, attribute = "arn", idStart = "") => {
      const ids = Object.keys(prod.resource?.[type] ?? {}).filter((id) => id.startsWith(idStart));
      expect(ids).toHaveLength(1);
      return `\${${type}.${ids[0]}.${attribute}}`;
    };
    expect(bySid.FlipTheFenceRuleOnly).toBe(ref("aws_lb_listener_rule", "arn", "fence_"));
    expect(bySid.RepointBsConnectionSecret).toBe(
      ref("aws_secretsmanager_secret", "arn", "database-secret_"),
    );
    expect(bySid.RaiseBsScalingMinimum).toBe(ref("aws_appautoscaling_target"));
    expect(bySid.ScaleAndRestartBsServiceWithoutExecOrNetworkChanges).toBe(ref("aws_ecs_service"));
    expect(bySid.ReadBothConnectionSecrets).toEqual([
      ref("aws_secretsmanager_secret", "arn", "database-secret_"),
      lookup(prod, "aws_secretsmanager_secret_version", "arn"),
    ]);
    expect(bySid.PromoteTheReplicaOnly).toBe(ref("aws_db_instance"));
    expect(bySid.ReadThePrimarysEndpoint).toMatch(
      /^arn:\$\{data\.aws_partition\.[^}]+\}:ssm:us-west-2:\$\{data\.aws_caller_identity\.[^}]+\}:parameter\/hello-you\/prod\/dr\/primary-endpoint$/,
    );
  });

  it("pages B's alarm topic when anyone but the operator role changes the fence rule", () => {
    const [rule] = listOf(prod, "aws_cloudwatch_event_rule");
    expect(rule.name).toBe("hello-you-prod-usw2-fence-changed");
    const pattern = String(rule.event_pattern);
    const fenceRule = Object.keys(prod.resource!.aws_lb_listener_rule)[0];
    expect(pattern).toContain(`\${aws_lb_listener_rule.${fenceRule}.arn}`);
    expect(pattern).toContain(":assumed-role/hello-you-prod-usw2-dr-operator/");
    const [target] = listOf(prod, "aws_cloudwatch_event_target");
    expect(String(target.arn)).toMatch(/^\$\{aws_sns_topic\./);
  });

  it("validates B's certificate with the primary's record: no Route53 record of its own", () => {
    expect(listOf(prod, "aws_acm_certificate_validation")).toHaveLength(1);
    expect(listOf(prod, "aws_route53_record")).toEqual([]);
    expect(listOf(prod, "aws_route53_health_check")).toEqual([]);
  });

  it("alarms on B's replica (its lag is watched from A's writer) and service, and when clients reach B", () => {
    const alarms = listOf(prod, "aws_cloudwatch_metric_alarm");
    const names = alarms.map((a) => a.alarm_name);
    expect(names).toEqual(
      expect.arrayContaining([
        "hello-you-prod-usw2-db-cross-region-replica-cpu",
        "hello-you-prod-usw2-alb-5xx",
        "hello-you-prod-usw2-ecs-cpu",
        "hello-you-prod-usw2-takeover",
      ]),
    );
    expect(alarms.filter((a) => a.metric_name === "ReplicaLag")).toEqual([]);
    expect(alarms.find((a) => a.alarm_name === "hello-you-prod-usw2-takeover")).toMatchObject({
      metric_name: "RequestCount",
      threshold: 30,
      alarm_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.alarm-topic_\w+\.arn\}$/)],
    });
  });

  it("without a zone: the fence on the HTTP listener, and no takeover alarm (nothing fails over by itself)", () => {
    const [rule] = listOf(dev, "aws_lb_listener_rule");
    expect(rule.listener_arn).toMatch(/^\$\{aws_lb_listener\.load-balancer_http_\w+\.arn\}$/);
    expect(listOf(dev, "aws_lb_listener")).toHaveLength(1);
    const names = listOf(dev, "aws_cloudwatch_metric_alarm").map((a) => String(a.alarm_name));
    expect(names.filter((n) => n.endsWith("-takeover"))).toEqual([]);
  });

  it("outputs the failover URL, replica, cluster, service and connection secret", () => {
    expect(
      Object.keys(prod.output ?? {})
        .filter((k) => !k.startsWith("cross-stack"))
        .sort(),
    ).toEqual([
      "alb_dns_name",
      "cluster_name",
      "database_secret_arn",
      "dr_operator_role_arn",
      "failover_url",
      "image_cache_secret_name",
      "replica_arn",
      "replica_identifier",
      "service_name",
    ]);
  });
});
