import type { EnvironmentInput } from "../../config/schema";
import { productionPaths, serviceNames } from "../../naming/traffic";
import { configWith, listOf, type SynthJson, synthApp } from "../helpers";

function stacksOf(patch?: (c: EnvironmentInput) => EnvironmentInput, environment = "prod") {
  const { primary, failover } = synthApp(configWith(patch, environment));
  return { primary, failover: failover! };
}
const promote = (c: EnvironmentInput) => ({ ...c, failover: { ...c.failover!, promoted: true } });
const serviceOf = (json: SynthJson) => listOf(json, "aws_ecs_service")[0];
const productionRuleOf = (json: SynthJson) =>
  listOf(json, "aws_lb_listener_rule").find((r) => r.priority === 50000)!;

describe("rollouts in the stacks", () => {
  const prod = stacksOf();
  const dev = stacksOf(undefined, "dev");

  it("prod rolls out blue/green in region A, rolling back on the service's 5xx and latency alarms", () => {
    const service = serviceOf(prod.primary);
    expect(service.deployment_configuration).toEqual({
      strategy: "BLUE_GREEN",
      bake_time_in_minutes: "15",
    });
    const alarmNames = listOf(prod.primary, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name);
    expect(service.alarms).toEqual({
      alarm_names: ["hello-you-prod-use1-alb-5xx", "hello-you-prod-use1-p99-latency"],
      enable: true,
      rollback: true,
    });
    // Deployment alarms are named, not referenced: each must be one the stack creates.
    for (const name of (service.alarms as { alarm_names: string[] }).alarm_names) {
      expect(alarmNames).toContain(name);
    }
    expect(alarmNames).toContain("hello-you-prod-use1-unhealthy-hosts-alternate");
  });

  it("region B's pilot light rolls; once promoted it rolls out blue/green like region A", () => {
    expect(serviceOf(prod.failover)).not.toHaveProperty("deployment_configuration");
    expect(listOf(prod.failover, "aws_lb_target_group")).toHaveLength(1);
    const promoted = stacksOf(promote).failover;
    expect(serviceOf(promoted).deployment_configuration).toMatchObject({ strategy: "BLUE_GREEN" });
    expect(listOf(promoted, "aws_lb_target_group")).toHaveLength(2);
  });

  it("names cluster, service, family and ALB as the release and maintenance tools derive them", () => {
    const config = configWith(undefined, "prod");
    for (const [json, region] of [
      [prod.primary, "us-east-1"],
      [prod.failover, "us-west-2"],
    ] as const) {
      const names = serviceNames(config, region);
      expect(listOf(json, "aws_ecs_cluster")[0].name).toBe(names.cluster);
      expect(serviceOf(json).name).toBe(names.service);
      expect(listOf(json, "aws_ecs_task_definition")[0].family).toBe(names.family);
      expect(listOf(json, "aws_lb")[0].name).toBe(names.loadBalancer);
    }
  });

  it("dev rolls (the default)", () => {
    expect(serviceOf(dev.primary)).not.toHaveProperty("deployment_configuration");
    expect(serviceOf(dev.primary)).not.toHaveProperty("alarms");
  });

  it("maintenance.enabled narrows both regions' production rules to the health path", () => {
    for (const json of [prod.primary, prod.failover]) {
      expect(productionRuleOf(json).condition).toEqual([
        { path_pattern: { values: productionPaths(false, "/health") } },
      ]);
    }
    const on = stacksOf((c) => ({ ...c, maintenance: { enabled: true } }));
    for (const json of [on.primary, on.failover]) {
      expect(productionRuleOf(json).condition).toEqual([{ path_pattern: { values: ["/health"] } }]);
    }
  });

  it("keeps the fence first on region B's listener, before the test and production rules", () => {
    const priorities = listOf(stacksOf(promote).failover, "aws_lb_listener_rule")
      .map((r) => Number(r.priority))
      .sort((a, b) => a - b);
    expect(priorities).toEqual([1, 49000, 50000]);
  });
});
