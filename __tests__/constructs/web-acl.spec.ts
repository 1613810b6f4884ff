import { EncryptionKey } from "../../constructs/encryption-key";
import { MANAGED_RULE_GROUPS, WebAcl } from "../../constructs/web-acl";
import { ENVIRONMENTS } from "../../config";
import { configProblems } from "../../config/validate";
import { WAF_RATE_LIMIT } from "../../facts/waf";
import { listOf, synthJson, testStack } from "../helpers";

function build(rateLimitPerIp = 2000) {
  const { stack, naming, aws } = testStack();
  const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
  new WebAcl(stack, "waf", { naming, kmsKey, rateLimitPerIp, logRetentionDays: 365 });
  return synthJson(stack);
}

describe("WebAcl", () => {
  it("runs the AWS managed rule groups (with Log4j protection) and a per-IP rate limit", () => {
    const [acl] = listOf(build(), "aws_wafv2_web_acl");
    expect(acl).toMatchObject({ scope: "REGIONAL", default_action: { allow: {} } });
    const rules = acl.rule as Record<string, unknown>[];
    expect(rules.map((r) => r.name)).toEqual([...MANAGED_RULE_GROUPS, "rate-limit-per-ip"]);
    expect(MANAGED_RULE_GROUPS).toContain("AWSManagedRulesKnownBadInputsRuleSet");
    const anonymous = rules.find((r) => r.name === "AWSManagedRulesAnonymousIpList")!;
    expect(anonymous.statement).toMatchObject({
      managed_rule_group_statement: {
        rule_action_override: [{ name: "HostingProviderIPList", action_to_use: { count: {} } }],
      },
    });
    expect(rules[rules.length - 1]).toMatchObject({
      action: { block: {} },
      statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } },
    });
  });

  it("logs to an encrypted aws-waf-logs- group", () => {
    const json = build();
    expect(listOf(json, "aws_cloudwatch_log_group")[0]).toMatchObject({
      name: "aws-waf-logs-hello-you-test-use1-waf",
      retention_in_days: 365,
      kms_key_id: expect.stringContaining("aws_kms_key"),
    });
    expect(listOf(json, "aws_wafv2_web_acl_logging_configuration")).toHaveLength(1);
  });

  it.each([5, 2_000_000_001])("rejects a rate limit of %i", (limit) => {
    expect(() => build(limit)).toThrow(
      `WebAcl: rateLimitPerIp ${limit} must be a whole number from 10 to 2000000000`,
    );
  });

  it("takes exactly the range config accepts: one fact (facts/waf.ts) for both", () => {
    const waf = (rateLimitPerIp: number) =>
      configProblems(
        { ...structuredClone(ENVIRONMENTS.prod), waf: { enabled: true, rateLimitPerIp } },
        "prod",
      ).problems;
    for (const limit of [WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max]) {
      expect(waf(limit)).toEqual([]);
      expect(() => build(limit)).not.toThrow();
    }
    for (const limit of [WAF_RATE_LIMIT.min - 1, WAF_RATE_LIMIT.max + 1]) {
      expect(waf(limit)).toEqual([expect.stringContaining("waf.rateLimitPerIp")]);
      expect(() => build(limit)).toThrow("WebAcl: rateLimitPerIp");
    }
  });
});
