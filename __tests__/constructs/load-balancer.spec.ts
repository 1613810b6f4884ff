import { type LoadBalancerProps, TLS_POLICY } from "../../constructs/load-balancer";
import {
  MAINTENANCE_RESPONSE,
  PRODUCTION_RULE_PRIORITY,
  TEST_RULE_PRIORITY,
  TEST_TRAFFIC_HEADER,
} from "../../naming/traffic";
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

  it("without a zone: one HTTP listener, serving through its production rule", () => {
    const { json, lb } = build();
    expect(listOf(json, "aws_lb_listener")).toEqual([
      expect.objectContaining({
        port: 80,
        protocol: "HTTP",
        default_action: [expect.objectContaining({ type: "fixed-response" })],
      }),
    ]);
    expect(lb.protocol).toBe("HTTP");
    expect(listOf(json, "aws_lb_listener_rule")).toEqual([
      expect.objectContaining({
        listener_arn: expect.stringContaining("aws_lb_listener.lb_http"),
        priority: PRODUCTION_RULE_PRIORITY,
        condition: [{ path_pattern: { values: ["/*"] } }],
        action: [{ type: "forward", target_group_arn: expect.stringContaining("lb_tg_") }],
      }),
    ]);
  });

  it("answers what no rule takes with the maintenance page: 503, a body, no header (ALB sets none)", () => {
    const { json } = build({ dns });
    const https = listOf(json, "aws_lb_listener").find((l) => l.port === 443)!;
    expect(https.default_action).toEqual([
      {
        type: "fixed-response",
        fixed_response: {
          status_code: "503",
          content_type: "text/html",
          message_body: expect.stringContaining("Down for maintenance"),
        },
      },
    ]);
    // An ALB fixed response holds at most 1024 characters.
    expect(MAINTENANCE_RESPONSE.messageBody.length).toBeLessThanOrEqual(1024);
    const [rule] = listOf(json, "aws_lb_listener_rule");
    expect(rule.listener_arn).toContain("aws_lb_listener.lb_https");
  });

  it("in maintenance, forwards only the health path: everything else gets the page", () => {
    const [rule] = listOf(build({ maintenance: true }).json, "aws_lb_listener_rule");
    expect(rule.condition).toEqual([{ path_pattern: { values: ["/health"] } }]);
    expect(rule.action).toEqual([expect.objectContaining({ type: "forward" })]);
  });

  it("for blue/green: a second target group, weighted rules ECS owns, a header-routed test rule", () => {
    const { json, lb } = build({ blueGreen: true });
    const groups = listOf(json, "aws_lb_target_group");
    expect(groups.map((g) => g.name).sort()).toEqual([
      "hello-you-test-use1-tg",
      "hello-you-test-use1-tg-b",
    ]);
    expect(groups.find((g) => g.name === "hello-you-test-use1-tg-b")).toMatchObject({
      target_type: "ip",
      port: 5000,
      health_check: { path: "/health" },
    });
    const rules = listOf(json, "aws_lb_listener_rule").sort(
      (a, b) => Number(b.priority) - Number(a.priority),
    );
    const weighted = [
      {
        type: "forward",
        forward: {
          target_group: [
            { arn: expect.stringContaining("lb_tg_"), weight: 100 },
            { arn: expect.stringContaining("lb_tg-alternate_"), weight: 0 },
          ],
        },
      },
    ];
    expect(rules).toEqual([
      expect.objectContaining({
        priority: PRODUCTION_RULE_PRIORITY,
        action: weighted,
        lifecycle: { ignore_changes: ["action"] },
      }),
      expect.objectContaining({
        priority: TEST_RULE_PRIORITY,
        condition: [{ http_header: { http_header_name: TEST_TRAFFIC_HEADER, values: ["*"] } }],
        action: weighted,
        lifecycle: { ignore_changes: ["action"] },
      }),
    ]);
    expect(TEST_RULE_PRIORITY).toBeLessThan(PRODUCTION_RULE_PRIORITY);
    expect(lb.testRule).toBeDefined();
  });

  it("without blue/green, leaves the production rule's action to Terraform", () => {
    const [rule] = listOf(build().json, "aws_lb_listener_rule");
    expect(rule).not.toHaveProperty("lifecycle");
    expect(listOf(build().json, "aws_lb_target_group")).toHaveLength(1);
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
