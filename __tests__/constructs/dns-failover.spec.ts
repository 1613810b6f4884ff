import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DnsFailover, type DnsFailoverProps } from "../../constructs/dns-failover";
import { listOf, synthJson, testStack } from "../helpers";

describe("DnsFailover", () => {
  function build(patch: Partial<DnsFailoverProps> = {}) {
    const { stack, naming } = testStack("us-west-2");
    const metrics = new AwsProvider(stack, "use1", {
      region: "us-east-1",
      alias: "route53_metrics",
    });
    new DnsFailover(stack, "dns", {
      naming,
      zoneId: "Z123",
      fqdn: "api.example.com",
      primary: { dnsName: "a.elb.amazonaws.com", zoneId: "ZA" },
      secondary: { dnsName: "b.elb.amazonaws.com", zoneId: "ZB" },
      healthCheckPath: "/health",
      intervalSeconds: 10,
      failureThreshold: 3,
      metricsProvider: metrics,
      alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:dns",
      ...patch,
    });
    return synthJson(stack);
  }

  it("checks the primary ALB over HTTPS on the health path every 10 s, threshold 3", () => {
    expect(listOf(build(), "aws_route53_health_check")[0]).toMatchObject({
      type: "HTTPS",
      fqdn: "a.elb.amazonaws.com",
      port: 443,
      resource_path: "/health",
      request_interval: 10,
      failure_threshold: 3,
    });
  });

  it("creates PRIMARY (with the check) and SECONDARY alias records", () => {
    const records = listOf(build(), "aws_route53_record");
    expect(records).toEqual([
      expect.objectContaining({
        name: "api.example.com",
        set_identifier: "primary",
        failover_routing_policy: { type: "PRIMARY" },
        health_check_id: expect.stringContaining("aws_route53_health_check"),
        alias: { name: "a.elb.amazonaws.com", zone_id: "ZA", evaluate_target_health: true },
      }),
      expect.objectContaining({
        set_identifier: "secondary",
        failover_routing_policy: { type: "SECONDARY" },
        alias: { name: "b.elb.amazonaws.com", zone_id: "ZB", evaluate_target_health: true },
      }),
    ]);
    expect(records[1]).not.toHaveProperty("health_check_id");
  });

  it("alarms in us-east-1, where Route53 publishes health-check metrics", () => {
    expect(listOf(build(), "aws_cloudwatch_metric_alarm")[0]).toMatchObject({
      provider: "aws.route53_metrics",
      namespace: "AWS/Route53",
      metric_name: "HealthCheckStatus",
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      alarm_actions: ["arn:aws:sns:us-east-1:123456789012:dns"],
    });
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
