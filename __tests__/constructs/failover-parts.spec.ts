import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BackupReplication } from "../../constructs/backup-replication";
import { DnsFailover, type DnsFailoverProps } from "../../constructs/dns-failover";
import { EncryptionKey } from "../../constructs/encryption-key";
import { VpcPeering } from "../../constructs/vpc-peering";
import { listOf, synthJson, testStack } from "../helpers";

describe("VpcPeering", () => {
  function build(accepterTables = ["rtb-a-data"]) {
    const { stack, naming } = testStack("us-west-2");
    const peer = new AwsProvider(stack, "a", { region: "us-east-1", alias: "primary" });
    new VpcPeering(stack, "peering", {
      naming,
      peerProvider: peer,
      requester: {
        vpcId: "vpc-b",
        routeTableIds: ["rtb-b-app-0", "rtb-b-app-1"],
        destinationCidrs: ["10.10.128.0/20", "10.10.144.0/20"],
      },
      accepter: {
        region: "us-east-1",
        vpcId: "vpc-a",
        routeTableIds: accepterTables,
        destinationCidrs: ["10.20.64.0/20", "10.20.80.0/20"],
      },
    });
    return synthJson(stack);
  }

  it("is requested in B and accepted in A with A's provider", () => {
    const json = build();
    expect(listOf(json, "aws_vpc_peering_connection")[0]).toMatchObject({
      vpc_id: "vpc-b",
      peer_vpc_id: "vpc-a",
      peer_region: "us-east-1",
      auto_accept: false,
    });
    expect(listOf(json, "aws_vpc_peering_connection_accepter")[0]).toMatchObject({
      auto_accept: true,
      provider: "aws.primary",
    });
  });

  it("resolves private DNS names across the peering, each side set from its own region", () => {
    const options = listOf(build(), "aws_vpc_peering_connection_options");
    expect(options).toContainEqual(
      expect.objectContaining({ requester: { allow_remote_vpc_dns_resolution: true } }),
    );
    expect(options).toContainEqual(
      expect.objectContaining({
        accepter: { allow_remote_vpc_dns_resolution: true },
        provider: "aws.primary",
      }),
    );
  });

  it("routes B's app subnets to A's data subnets and back, nothing wider", () => {
    const routes = listOf(build(), "aws_route").map((r) => [
      r.route_table_id,
      r.destination_cidr_block,
      r.provider ?? "B",
    ]);
    expect(routes).toEqual(
      [
        ["rtb-b-app-0", "10.10.128.0/20", "B"],
        ["rtb-b-app-0", "10.10.144.0/20", "B"],
        ["rtb-b-app-1", "10.10.128.0/20", "B"],
        ["rtb-b-app-1", "10.10.144.0/20", "B"],
        ["rtb-a-data", "10.20.64.0/20", "aws.primary"],
        ["rtb-a-data", "10.20.80.0/20", "aws.primary"],
      ].sort(),
    );
  });

  it("refuses a side without routes", () => {
    expect(() => build([])).toThrow(
      "VpcPeering: accepter needs routeTableIds and destinationCidrs",
    );
  });
});

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

describe("BackupReplication", () => {
  function build(retentionDays: number) {
    const { stack, naming } = testStack("us-west-2");
    const kmsKey = new EncryptionKey(stack, "key", { naming });
    new BackupReplication(stack, "backups", {
      naming,
      kmsKey,
      sourceArn: "arn:aws:rds:us-east-1:123456789012:db:a",
      retentionDays,
    });
    return synthJson(stack);
  }

  it("copies the source's automated backups here, encrypted with the local key", () => {
    expect(listOf(build(7), "aws_db_instance_automated_backups_replication")[0]).toMatchObject({
      source_db_instance_arn: "arn:aws:rds:us-east-1:123456789012:db:a",
      kms_key_id: expect.stringContaining("aws_kms_key"),
      retention_period: 7,
    });
  });

  it("rejects retention outside 1-35 days", () => {
    expect(() => build(36)).toThrow(
      "BackupReplication: retentionDays 36 must be a whole number from 1 to 35",
    );
  });
});
