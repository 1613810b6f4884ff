import { Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { addressPath, keepAddresses } from "../../constructs/addresses";
import { buildTestStacks, configWith, synthJson } from "../helpers";

describe("keepAddresses", () => {
  it("replaces the innermost marked group's path with its former path", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const outer = new Construct(stack, "outer");
    const group = new Construct(outer, "group");
    const part = new Construct(group, "part");
    const leaf = new Construct(part, "leaf");
    expect(addressPath([outer, group, part, leaf])).toEqual(["outer", "group", "part", "leaf"]);
    keepAddresses(group);
    expect(addressPath([outer, group, part, leaf])).toEqual(["part", "leaf"]);
    keepAddresses(part, ["old"]);
    expect(addressPath([outer, group, part, leaf])).toEqual(["old", "leaf"]);
  });

  it("keeps the serving parts at the addresses they had as direct children of the stack", () => {
    const { primary, failover } = buildTestStacks(configWith(undefined, "prod"));
    for (const stack of [primary, failover!]) {
      const json = synthJson(stack);
      // Addresses of deployments made before RegionalService existed.
      expect(Object.keys(json.resource?.aws_lb ?? {})).toEqual(["load-balancer_alb_15AADC07"]);
      expect(Object.keys(json.resource?.aws_ecs_service ?? {})).toEqual(["service_E7C408F2"]);
      expect(Object.keys(json.resource?.aws_sns_topic ?? {})).toContain("alarm-topic_D89A1C02");
      expect(Object.keys(json.resource?.aws_wafv2_web_acl ?? {})).toEqual(["waf_acl_332C8FC4"]);
    }
    expect(primary.serving.node.path).toBe("primary/serving");
  });

  it("keeps the stack's account, partition and region lookups where the key used to make them", () => {
    const { primary, failover } = buildTestStacks(configWith(undefined, "prod"));
    for (const stack of [primary, failover!]) {
      const data = synthJson(stack).data ?? {};
      expect(Object.keys(data.aws_caller_identity ?? {})).toContain("key_account_1E5562BB");
      expect(Object.keys(data.aws_region ?? {})).toContain("key_region_EEBCF7BE");
    }
  });

  it("keeps DNS failover's us-east-1 key, topic and lookups at the addresses the failover stack gave them", () => {
    const { link } = buildTestStacks(configWith(undefined, "prod"));
    const json = synthJson(link!);
    expect(link!.dnsFailover!.alarmTopic.node.path).toBe(
      "link/dns-failover/us-east-1/route53-alarm-topic",
    );
    expect(Object.keys(json.resource?.aws_kms_key ?? {})).toContain("route53-metrics-key_750D08C8");
    expect(Object.keys(json.resource?.aws_sns_topic ?? {})).toContain(
      "route53-alarm-topic_D35AB394",
    );
    expect(Object.keys(json.data?.aws_caller_identity ?? {})).toContain(
      "route53-metrics-key_account_E01E29C5",
    );
  });
});
