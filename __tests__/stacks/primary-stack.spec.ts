import type { EnvironmentInput } from "../../config/schema";
import { buildTestStacks, configWith, listOf, synthJson } from "../helpers";

function primaryOf(patch?: (c: EnvironmentInput) => EnvironmentInput, environment = "dev") {
  return synthJson(buildTestStacks(configWith(patch, environment)).primary);
}
const count = (json: ReturnType<typeof synthJson>, type: string) => listOf(json, type).length;
const containersOf = (json: ReturnType<typeof synthJson>) =>
  JSON.parse(String(listOf(json, "aws_ecs_task_definition")[0].container_definitions)) as Record<
    string,
    unknown
  >[];

describe("primary stack", () => {
  const prod = primaryOf(undefined, "prod");
  const dev = primaryOf();

  it("composes every capability in prod", () => {
    for (const type of [
      "aws_vpc",
      "aws_kms_key",
      "aws_db_instance",
      "aws_secretsmanager_secret",
      "aws_lb",
      "aws_wafv2_web_acl",
      "aws_ecs_service",
      "aws_appautoscaling_target",
      "aws_sns_topic",
      "aws_cloudwatch_dashboard",
      "aws_acm_certificate",
    ]) {
      expect([type, count(prod, type)]).toEqual([type, expect.any(Number)]);
      expect(count(prod, type)).toBeGreaterThan(0);
    }
    expect(count(prod, "aws_nat_gateway")).toBe(3);
    expect(count(prod, "aws_db_instance")).toBe(2);
  });

  it("leaves out what dev's config turns off: WAF, HTTPS, extra NATs, endpoints, bastion", () => {
    expect(count(dev, "aws_wafv2_web_acl")).toBe(0);
    expect(count(dev, "aws_acm_certificate")).toBe(0);
    expect(count(dev, "aws_nat_gateway")).toBe(1);
    expect(count(dev, "aws_vpc_endpoint")).toBe(1);
    expect(count(dev, "aws_instance")).toBe(0);
  });

  it("adds the bastion, admitted to the database, when enabled", () => {
    const json = primaryOf((c) => ({ ...c, bastion: { enabled: true } }));
    expect(count(json, "aws_instance")).toBe(1);
    const dbRules = listOf(json, "aws_vpc_security_group_ingress_rule").filter(
      (r) => r.from_port === 5432,
    );
    expect(dbRules.map((r) => r.description).sort()).toEqual([
      "PostgreSQL from the bastion",
      "PostgreSQL from the service",
    ]);
  });

  it("admits region B's app subnets into the data tier's ACL when failover is on", () => {
    const acl = listOf(dev, "aws_network_acl")[0] as {
      ingress: { cidr_block: string; from_port: number }[];
    };
    const postgresSources = acl.ingress
      .filter((r) => r.from_port === 5432)
      .map((r) => r.cidr_block);
    expect(postgresSources).toEqual(expect.arrayContaining(["10.40.64.0/20", "10.40.80.0/20"]));
    const alone = primaryOf((c) => ({ ...c, failover: { ...c.failover, enabled: false } }));
    const aloneAcl = listOf(alone, "aws_network_acl")[0] as { ingress: { cidr_block: string }[] };
    expect(aloneAcl.ingress.map((r) => r.cidr_block)).not.toContain("10.40.64.0/20");
  });

  it("replicates SECRET_KEY and its connection secret to region B only when failover is on", () => {
    const secret = (json: ReturnType<typeof synthJson>, suffix: string) =>
      listOf(json, "aws_secretsmanager_secret").find((s) => String(s.name).endsWith(suffix))!;
    // Encrypted there with the replica key this stack keeps in B, through a B provider.
    const [key] = Object.entries(dev.resource!.aws_kms_key).filter(
      ([, k]) => k.provider === "aws.failover_region",
    );
    const inB = [{ region: "us-west-2", kms_key_id: `\${aws_kms_key.${key[0]}.arn}` }];
    expect(secret(dev, "secret-key").replica).toEqual(inB);
    expect(secret(dev, "-database").replica).toEqual(inB);
    expect(listOf(dev, "aws_kms_alias")).toContainEqual(
      expect.objectContaining({
        name: "alias/hello-you-dev-usw2-replicas",
        provider: "aws.failover_region",
      }),
    );
    // Configuring it calls nothing in B: with B down, a plan with -refresh=false still runs.
    expect(dev.provider!.aws).toContainEqual(
      expect.objectContaining({
        alias: "failover_region",
        region: "us-west-2",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
      }),
    );
    const alone = primaryOf((c) => ({ ...c, failover: { ...c.failover, enabled: false } }));
    expect(secret(alone, "secret-key").replica).toEqual([]);
    expect(secret(alone, "-database").replica).toEqual([]);
    expect(alone.provider!.aws).toHaveLength(1);
  });

  it("runs a fence enforcer on this region's own service when failover is on, and none otherwise", () => {
    const [fn] = listOf(prod, "aws_lambda_function");
    const variables = (fn.environment as { variables: Record<string, string> }).variables;
    const [service] = Object.keys(prod.resource!.aws_ecs_service);
    const [target] = Object.keys(prod.resource!.aws_appautoscaling_target);
    expect(variables).toMatchObject({
      FENCE_LOCATION_PARAMETER: "/hello-you/prod/dr/fence-location",
      FENCE_PROTOCOL: "https:",
      FENCE_SERVER_NAME: "api.example.com",
      SERVICE_NAME: `\${aws_ecs_service.${service}.name}`,
    });
    const [policy] = listOf(prod, "aws_iam_role_policy").filter((p) =>
      String(p.name).startsWith("hold-service-at-zero"),
    );
    expect(policy.policy).toContain(`\${aws_appautoscaling_target.${target}.arn}`);
    // Without a DNS zone the fence is read over HTTP, like the rest of dev.
    expect(listOf(dev, "aws_lambda_function")[0]).toMatchObject({
      environment: { variables: { FENCE_PROTOCOL: "http:" } },
    });
    const alone = primaryOf((c) => ({ ...c, failover: { ...c.failover, enabled: false } }));
    expect(count(alone, "aws_lambda_function")).toBe(0);
    expect(count(alone, "aws_cloudwatch_event_rule")).toBe(0);
  });

  it("leaves the DNS record to the link stack when failover is on, and makes it itself otherwise", () => {
    const alias = (json: ReturnType<typeof synthJson>) =>
      listOf(json, "aws_route53_record").filter((r) => r.type === "A");
    expect(alias(prod)).toEqual([]);
    const alone = primaryOf((c) => ({ ...c, failover: { ...c.failover, enabled: false } }), "prod");
    expect(alias(alone)).toEqual([expect.objectContaining({ name: "api.example.com" })]);
  });

  it("starts the service only after the database URL and SECRET_KEY have values", () => {
    const [service] = listOf(dev, "aws_ecs_service");
    expect(service.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_secretsmanager_secret_version\.database-secret_value_\w+$/),
        expect.stringMatching(/^aws_secretsmanager_secret_version\.secrets_secret-key-value_\w+$/),
      ]),
    );
  });

  it("makes a prod apply wait for a steady service; dev returns at once", () => {
    const [prodService] = listOf(prod, "aws_ecs_service");
    const [devService] = listOf(dev, "aws_ecs_service");
    expect(prodService.wait_for_steady_state).toBe(true);
    expect(prodService.lifecycle).toHaveProperty("postcondition");
    expect(devService.wait_for_steady_state).toBe(false);
    expect(devService.lifecycle).not.toHaveProperty("postcondition");
  });

  it("wires the service to the database secret's url key and to SECRET_KEY", () => {
    const container = containersOf(dev).find((c) => c.name === "hello-you");
    expect(container?.secrets).toEqual([
      {
        name: "DATABASE_URL",
        valueFrom: expect.stringMatching(
          /^\$\{aws_secretsmanager_secret\.database-secret_.+\.arn\}:url::$/,
        ),
      },
      {
        name: "SECRET_KEY",
        valueFrom: expect.stringMatching(
          /^\$\{aws_secretsmanager_secret\.secrets_secret-key_.+\.arn\}$/,
        ),
      },
    ]);
  });

  it("starts the app only after its task read region B's fence: HTTPS with a zone, HTTP without", () => {
    const environment = (json: ReturnType<typeof synthJson>) =>
      Object.fromEntries(
        (containersOf(json)[0].environment as { name: string; value: string }[]).map((e) => [
          e.name,
          e.value,
        ]),
      );
    for (const json of [dev, prod]) {
      const [check, app] = containersOf(json);
      expect(check).toMatchObject({ name: "fence-check", essential: false, image: app.image });
      expect(app.dependsOn).toEqual([{ containerName: "fence-check", condition: "SUCCESS" }]);
    }
    expect(environment(prod)).toMatchObject({
      FENCE_PROTOCOL: "https:",
      FENCE_SERVER_NAME: "api.example.com",
      FENCE_LOCATION_PARAMETER: "/hello-you/prod/dr/fence-location",
    });
    expect(environment(dev)).toMatchObject({ FENCE_PROTOCOL: "http:" });
    expect(environment(dev).FENCE_SERVER_NAME).toBeUndefined();
  });

  it("starts tasks without asking when there is no failover region", () => {
    const alone = primaryOf((c) => ({ ...c, failover: { ...c.failover, enabled: false } }));
    expect(containersOf(alone).map((c) => c.name)).toEqual(["hello-you"]);
  });

  it("outputs the URL, ALB, cluster, service, database endpoints, log group and topic", () => {
    expect(
      Object.keys(prod.output ?? {})
        .filter((k) => !k.startsWith("cross-stack"))
        .sort(),
    ).toEqual([
      "alarm_topic_arn",
      "alb_dns_name",
      "cluster_name",
      "database_address",
      "database_arn",
      "database_port",
      "database_replica_address",
      "log_group",
      "service_name",
      "url",
    ]);
  });

  it("alarms on writer and replica, all notifying the topic", () => {
    const alarms = listOf(prod, "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => a.alarm_name)).toEqual(
      expect.arrayContaining([
        "hello-you-prod-use1-db-replica-replica-lag",
        "hello-you-prod-use1-db-writer-cpu",
      ]),
    );
    expect(
      alarms.every((a) => String((a.alarm_actions as string[])[0]).includes("aws_sns_topic")),
    ).toBe(true);
  });
});
