import { readSynth } from "../../stacks/synthesized";
import { estimate, type StackJson, unpricedTypes } from "../../cost/estimate";
import { HOURS_PER_MONTH, PRICES } from "../../cost/prices";
import { FREE, RULES, tasksByProvider } from "../../cost/resources";
import { DEFAULT_USAGE } from "../../cost/usage";
import { DELIVERY_VARIANTS, VARIANTS } from "../../harness/variants";
import { buildTestStacks, configWith } from "../helpers";

const ALL = [...VARIANTS, ...DELIVERY_VARIANTS];

/** A variant's stacks, synthesized to disk as `cdktf synth` writes them. */
function stacksOf(variant: (typeof ALL)[number]): StackJson[] {
  const { app } = buildTestStacks(configWith(variant.patch, variant.environment));
  app.synth();
  return readSynth(app.outdir);
}

const H = HOURS_PER_MONTH;
const usw2 = (p: { usd: Record<string, number> }) => p.usd["us-west-2"];
/** A one-resource stack in us-west-2. */
const stack = (type: string, resource: Record<string, unknown>, name = "failover"): StackJson => ({
  name,
  json: { provider: { aws: [{ region: "us-west-2" }] }, resource: { [type]: { r: resource } } },
});

describe("cost estimate", () => {
  describe.each(ALL.map((v) => [v.name, v] as const))("%s", (_name, variant) => {
    const result = estimate(stacksOf(variant));

    it("prices every resource type the stacks use, or says why it is free", () => {
      expect(result.unpricedTypes).toEqual([]);
      expect(result.problems).toEqual([]);
    });
  });

  it("keeps prod's pilot light at or under 25% of the primary", () => {
    const prod = estimate(stacksOf(VARIANTS.find((v) => v.name === "prod")!));
    expect(prod.standbyRatio).not.toBeNull();
    expect(prod.standbyRatio!).toBeLessThanOrEqual(0.25);
    expect(prod.standbyUsd).toBeCloseTo(
      prod.stacks
        .filter((s) => s.stack === "failover" || s.stack === "link")
        .reduce((sum, s) => sum + s.monthlyUsd, 0),
      2,
    );
  });

  it("reports a resource type with neither a rule nor a reason", () => {
    expect(unpricedTypes(["aws_vpc", "aws_neptune_cluster", "aws_vpc"])).toEqual([
      "aws_neptune_cluster",
    ]);
    const result = estimate([stack("aws_neptune_cluster", {})]);
    expect(result.unpricedTypes).toEqual(["aws_neptune_cluster"]);
  });

  it("no type is both priced and free, and every reason says something", () => {
    expect(Object.keys(RULES).filter((t) => t in FREE)).toEqual([]);
    for (const reason of Object.values(FREE)) expect(reason.length).toBeGreaterThan(10);
  });

  it("reports a setting or region the table cannot price, naming the resource", () => {
    const result = estimate([
      stack("aws_db_instance", { instance_class: "db.x2g.16xlarge", allocated_storage: 20 }),
      {
        name: "primary",
        json: {
          provider: { aws: [{ region: "eu-central-1" }] },
          resource: { aws_kms_key: { k: {} } },
        },
      },
    ]);
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^failover: aws_db_instance\.r: RDS instance class db\.x2g\.16xlarge has no price/,
      ),
      expect.stringMatching(/^primary: aws_kms_key\.k: region eu-central-1 has no prices/),
    ]);
  });

  it("bills Multi-AZ twice and a cross-region replica's log shipping where it leaves", () => {
    const multi = estimate([
      stack("aws_db_instance", {
        instance_class: "db.t4g.small",
        allocated_storage: 50,
        multi_az: true,
      }),
    ]);
    expect(multi.stacks[0].monthlyUsd).toBeCloseTo(2 * H * 0.032 + 2 * 50 * 0.115, 2);
    const replica = estimate([
      stack("aws_db_instance", {
        instance_class: "db.t4g.small",
        replicate_source_db: "arn:aws:rds:us-east-1:123456789012:db:w",
      }),
    ]);
    const shipping = replica.stacks[0].lines.find((l) => l.item.startsWith("write-ahead log"));
    expect(shipping).toMatchObject({
      region: "us-east-1",
      quantity: DEFAULT_USAGE.replicationGbPerMonth,
      unitUsd: 0.02,
    });
  });

  it("splits tasks over capacity providers as ECS does: the base first, then by weight", () => {
    const strategy = [
      { capacity_provider: "FARGATE", base: 2, weight: 1 },
      { capacity_provider: "FARGATE_SPOT", weight: 3 },
    ];
    expect(tasksByProvider(1, strategy)).toEqual({ FARGATE: 1, FARGATE_SPOT: 0 });
    expect(tasksByProvider(6, strategy)).toEqual({ FARGATE: 3, FARGATE_SPOT: 3 });
    expect(tasksByProvider(2, [])).toEqual({ FARGATE: 2 });
  });

  it("prices Fargate Spot tasks at the Spot rate", () => {
    const result = estimate([
      {
        name: "failover",
        json: {
          provider: { aws: [{ region: "us-west-2" }] },
          resource: {
            aws_ecs_task_definition: { t: { cpu: "512", memory: "1024" } },
            aws_ecs_service: {
              s: {
                desired_count: 1,
                task_definition: "${aws_ecs_task_definition.t.arn}",
                capacity_provider_strategy: [{ capacity_provider: "FARGATE_SPOT", weight: 1 }],
              },
            },
          },
        },
      },
    ]);
    expect(result.stacks[0].monthlyUsd).toBeCloseTo(
      H * (0.5 * usw2(PRICES.fargateSpotVcpuHour) + 1 * usw2(PRICES.fargateSpotGbHour)),
      2,
    );
  });

  it("adds each optional feature of a Route53 health check", () => {
    const fence = estimate([
      stack("aws_route53_health_check", { type: "HTTPS_STR_MATCH", request_interval: 10 }, "link"),
    ]);
    // basic + HTTPS + string matching + fast interval
    expect(fence.stacks[0].monthlyUsd).toBeCloseTo(0.5 + 3 * 1, 2);
    const gate = estimate([stack("aws_route53_health_check", { type: "CALCULATED" }, "link")]);
    expect(gate.stacks[0].monthlyUsd).toBeCloseTo(0.5, 2);
  });

  it("counts every metric of a metric-math alarm", () => {
    const result = estimate([
      stack("aws_cloudwatch_metric_alarm", {
        metric_query: [
          { id: "e" },
          { id: "a", metric: { period: 60 } },
          { id: "b", metric: { period: 60 } },
        ],
      }),
    ]);
    expect(result.stacks[0].monthlyUsd).toBeCloseTo(0.2, 2);
  });
});
