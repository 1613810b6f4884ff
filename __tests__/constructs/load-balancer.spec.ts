import { type LoadBalancerProps, TLS_POLICY } from "../../constructs/load-balancer";
import { listOf, loadBalancerFixture, policiesOf, synthJson } from "../helpers";

function build(patch: Partial<LoadBalancerProps> = {}) {
  const { stack, loadBalancer } = loadBalancerFixture(patch);
  return { lb: loadBalancer, json: synthJson(stack) };
}
const dns = { zoneName: "example.com", recordName: "api" };

describe("LoadBalancer", () => {
  it("is an internet-facing ALB that drops invalid headers, mitigates desync and logs access", () => {
    const [alb] = listOf(build().json, "aws_lb");
    expect(alb).toMatchObject({
      name: "hello-you-test-use1-alb",
      internal: false,
      load_balancer_type: "application",
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "strictest",
      enable_deletion_protection: true,
      access_logs: {
        enabled: true,
        prefix: "alb",
        bucket: expect.stringContaining("aws_s3_bucket"),
      },
    });
    expect(String(alb.name).length).toBeLessThanOrEqual(32);
  });

  it("targets task IPs on the container port, probing the health path", () => {
    const [tg] = listOf(build().json, "aws_lb_target_group");
    expect(tg).toMatchObject({
      name: "hello-you-test-use1-tg",
      target_type: "ip",
      port: 5000,
      protocol: "HTTP",
      deregistration_delay: "30",
      health_check: {
        path: "/health",
        matcher: "200",
        interval: 30,
        healthy_threshold: 2,
        unhealthy_threshold: 3,
      },
    });
  });

  it("with a zone: HTTPS with a modern policy and a validated certificate; HTTP redirects", () => {
    const { json, lb } = build({ dns });
    const listeners = listOf(json, "aws_lb_listener");
    expect(listeners).toContainEqual(
      expect.objectContaining({
        port: 443,
        protocol: "HTTPS",
        ssl_policy: TLS_POLICY,
        certificate_arn: expect.stringContaining("aws_acm_certificate_validation"),
      }),
    );
    expect(listeners).toContainEqual(
      expect.objectContaining({
        port: 80,
        default_action: [
          expect.objectContaining({
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" },
          }),
        ],
      }),
    );
    expect(listOf(json, "aws_acm_certificate")[0]).toMatchObject({
      domain_name: "api.example.com",
      validation_method: "DNS",
    });
    const records = listOf(json, "aws_route53_record");
    expect(records).toContainEqual(expect.objectContaining({ allow_overwrite: true, ttl: 60 }));
    expect(records).toContainEqual(expect.objectContaining({ name: "api.example.com", type: "A" }));
    expect(lb.url).toBe("https://api.example.com");
    expect(lb.protocol).toBe("HTTPS");
  });

  it("in region B: no validation record (the primary's validates) and no simple alias", () => {
    const { json } = build({ dns, createValidationRecords: false, createAliasRecord: false });
    expect(listOf(json, "aws_route53_record")).toEqual([]);
    expect(listOf(json, "aws_acm_certificate_validation")).toHaveLength(1);
  });

  it("looks the zone up only when it writes a record into it (region B plans without Route53)", () => {
    const none = build({ dns, createValidationRecords: false, createAliasRecord: false });
    expect(none.json.data?.aws_route53_zone).toBeUndefined();
    expect(none.lb.zoneId).toBeUndefined();
    expect(none.lb.fqdn).toBe("api.example.com");
    for (const patch of [{ createValidationRecords: false }, { createAliasRecord: false }]) {
      const { json, lb } = build({ dns, ...patch });
      expect(Object.values(json.data?.aws_route53_zone ?? {})).toEqual([
        expect.objectContaining({ name: "example.com", private_zone: false }),
      ]);
      expect(lb.zoneId).toEqual(expect.any(String));
    }
  });

  it("without a zone: one HTTP listener that forwards", () => {
    const { json, lb } = build();
    expect(listOf(json, "aws_lb_listener")).toEqual([
      expect.objectContaining({
        port: 80,
        protocol: "HTTP",
        default_action: [expect.objectContaining({ type: "forward" })],
      }),
    ]);
    expect(lb.protocol).toBe("HTTP");
  });

  it("opens only 80 and 443 to the internet", () => {
    const ingress = listOf(build().json, "aws_vpc_security_group_ingress_rule");
    expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      [443, 443, "0.0.0.0/0"],
      [80, 80, "0.0.0.0/0"],
    ]);
  });

  it("keeps access logs in a private, versioned, TLS-only bucket that expires them", () => {
    const { json } = build();
    expect(listOf(json, "aws_s3_bucket_public_access_block")[0]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(listOf(json, "aws_s3_bucket")[0]).toMatchObject({
      bucket_prefix: "hello-you-test-use1-alb-logs-",
      force_destroy: false,
    });
    expect(listOf(json, "aws_s3_bucket_lifecycle_configuration")[0].rule).toEqual([
      expect.objectContaining({
        status: "Enabled",
        expiration: [{ days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
      }),
    ]);
    const [policy] = policiesOf(json, "aws_s3_bucket_policy");
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: "Allow",
        Action: "s3:PutObject",
        Principal: { AWS: expect.stringContaining("data.aws_elb_service_account") },
        Resource: expect.stringMatching(/\/alb\/AWSLogs\/\$\{data\.aws_caller_identity\..+\}\/\*$/),
      }),
    );
  });

  it("attaches a web ACL when given", () => {
    const { json } = build({
      webAclArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1",
    });
    expect(listOf(json, "aws_wafv2_web_acl_association")).toHaveLength(1);
  });

  it.each([
    [{ containerPort: 0 }, "LoadBalancer: containerPort 0 must be from 1 to 65535"],
    [
      { healthCheckIntervalSeconds: 2 },
      "LoadBalancer: healthCheckIntervalSeconds 2 must be from 5 to 300",
    ],
    [{ healthCheckPath: "health" }, 'LoadBalancer: healthCheckPath "health" must start with /'],
    [
      { publicSubnetIds: ["subnet-1"] },
      "LoadBalancer: publicSubnetIds has 1 subnet(s); an ALB needs two AZs",
    ],
  ])("rejects %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });
});
