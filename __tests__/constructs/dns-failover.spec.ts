import { DnsFailover, type DnsFailoverProps } from "../../constructs/dns-failover";
import { listOf, synthJson, testStack } from "../helpers";

describe("DnsFailover", () => {
  function build(patch: Partial<DnsFailoverProps> = {}) {
    const { stack, naming } = testStack("us-west-2");
    new DnsFailover(stack, "dns", {
      naming,
      zoneId: "Z123",
      fqdn: "api.example.com",
      primary: { dnsName: "a.elb.amazonaws.com", zoneId: "ZA" },
      secondary: { dnsName: "b.elb.amazonaws.com", zoneId: "ZB" },
      fence: { dnsName: "b.elb.amazonaws.com", path: "/fence", searchString: "fenced" },
      healthCheckPath: "/health",
      intervalSeconds: 10,
      failureThreshold: 3,
      alarmEmails: ["ops@example.com"],
      providerTags: { project: "hello-you", stack: "failover" },
      ...patch,
    });
    return synthJson(stack);
  }
  /** Health checks by the suffix of their Name tag. */
  const checksOf = (json: ReturnType<typeof synthJson>) =>
    Object.fromEntries(
      listOf(json, "aws_route53_health_check").map((c) => [
        (c.tags as { Name: string }).Name.replace("hello-you-test-usw2-", ""),
        c,
      ]),
    );
  /** `${aws_route53_health_check.<id>.id}` of the check whose construct id is `part`. */
  const checkRef = (json: ReturnType<typeof synthJson>, part: string) => {
    const ids = Object.keys(json.resource?.aws_route53_health_check ?? {});
    return `\${aws_route53_health_check.${ids.find((id) => id.startsWith(`dns_${part}_`))}.id}`;
  };

  it("checks the primary ALB over HTTPS on the health path every 10 s, threshold 3", () => {
    expect(checksOf(build())["primary-health"]).toMatchObject({
      type: "HTTPS",
      fqdn: "a.elb.amazonaws.com",
      port: 443,
      resource_path: "/health",
      request_interval: 10,
      failure_threshold: 3,
      measure_latency: true,
    });
  });

  it("checks the fence at its path on the fence's ALB name, healthy unless it says fenced", () => {
    const fence = checksOf(build({ intervalSeconds: 30, failureThreshold: 2 })).fence;
    expect(fence).toMatchObject({
      // Inverted string match: an unreachable or broken region B reads as "not fenced", so only
      // a deliberate promotion takes a healthy A out of DNS.
      type: "HTTPS_STR_MATCH",
      search_string: "fenced",
      invert_healthcheck: true,
      fqdn: "b.elb.amazonaws.com",
      port: 443,
      resource_path: "/fence",
      request_interval: 30,
      failure_threshold: 2,
    });
    expect(fence).not.toHaveProperty("measure_latency");
  });

  it("gates the primary on both checks: a CALCULATED check needing 2 of [primary, fence]", () => {
    const json = build();
    expect(checksOf(json)["primary-gate"]).toMatchObject({
      type: "CALCULATED",
      child_healthchecks: [checkRef(json, "primary-check"), checkRef(json, "fence-check")],
      child_health_threshold: 2,
    });
  });

  it("creates PRIMARY (with the gate) and SECONDARY (no check, no target health) alias records", () => {
    const json = build();
    const records = listOf(json, "aws_route53_record");
    expect(records).toEqual([
      expect.objectContaining({
        name: "api.example.com",
        set_identifier: "primary",
        failover_routing_policy: { type: "PRIMARY" },
        health_check_id: checkRef(json, "primary-gate"),
        alias: { name: "a.elb.amazonaws.com", zone_id: "ZA", evaluate_target_health: true },
      }),
      expect.objectContaining({
        set_identifier: "secondary",
        failover_routing_policy: { type: "SECONDARY" },
        // Route53 answers PRIMARY whenever SECONDARY is unhealthy: a B blip must not send clients
        // back to a fenced A.
        alias: { name: "b.elb.amazonaws.com", zone_id: "ZB", evaluate_target_health: false },
      }),
    ]);
    expect(records[1]).not.toHaveProperty("health_check_id");
  });

  it("alarms in us-east-1, where Route53 publishes health-check metrics, on A's own check", () => {
    const json = build();
    expect(listOf(json, "aws_cloudwatch_metric_alarm")).toHaveLength(1);
    expect(listOf(json, "aws_cloudwatch_metric_alarm")[0]).toMatchObject({
      provider: "aws.route53_metrics",
      namespace: "AWS/Route53",
      metric_name: "HealthCheckStatus",
      dimensions: { HealthCheckId: checkRef(json, "primary-check") },
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      alarm_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.[\w-]+\.arn\}$/)],
    });
  });

  it("brings its us-east-1 provider (tagged like the stack's), key and topic", () => {
    const json = build();
    const metrics = json.provider?.aws?.find((p) => p.alias === "route53_metrics");
    expect(metrics).toMatchObject({
      region: "us-east-1",
      default_tags: [{ tags: { project: "hello-you", stack: "failover" } }],
    });
    const [key] = listOf(json, "aws_kms_key");
    expect(key.provider).toBe("aws.route53_metrics");
    const [topic] = listOf(json, "aws_sns_topic");
    expect(topic).toMatchObject({
      provider: "aws.route53_metrics",
      name: "hello-you-test-use1-dns-failover",
      kms_master_key_id: expect.stringContaining("aws_kms_key."),
    });
    expect(listOf(json, "aws_sns_topic_subscription")[0]).toMatchObject({
      endpoint: "ops@example.com",
    });
    // The key policy names us-east-1's lookups, not the stack's region.
    const region = Object.entries(json.data?.aws_region ?? {}).find(
      ([, d]) => d.provider === "aws.route53_metrics",
    )!;
    expect(key.policy).toContain(`data.aws_region.${region[0]}.region`);
  });

  it.each([
    [{ intervalSeconds: 20 }, "DnsFailover: intervalSeconds 20 must be 10 or 30"],
    [
      { failureThreshold: 11 },
      "DnsFailover: failureThreshold 11 must be a whole number from 1 to 10",
    ],
  ])("rejects %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });
});
