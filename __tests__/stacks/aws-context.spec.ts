import { buildTestStacks, configWith, listOf, synthJson } from "../helpers";

describe("AWS context", () => {
  const { primary, failover, link, delivery } = buildTestStacks(
    configWith(
      (c) => ({
        ...c,
        delivery: { ...c.delivery, enabled: true, appRepository: "acme/hello-you" },
      }),
      "prod",
    ),
  );

  it("is looked up once per provider and only by stacks that build in AWS", () => {
    const count = (json: ReturnType<typeof synthJson>, type: string) =>
      Object.keys(json.data?.[type] ?? {}).length;
    const p = synthJson(primary);
    const f = synthJson(failover!);
    const l = synthJson(link!);
    for (const type of ["aws_caller_identity", "aws_partition", "aws_region"]) {
      expect(count(p, type)).toBe(1);
      expect(count(f, type)).toBe(1);
      // Only us-east-1's, for the Route53 alarm's key: nothing else in the link stack needs one.
      expect(Object.values(l.data?.[type] ?? {})).toEqual([
        expect.objectContaining({ provider: "aws.route53_metrics" }),
      ]);
    }
    // delivery names its roles' targets by derived ARN: its account and partition, once.
    const d = synthJson(delivery!);
    expect(count(d, "aws_caller_identity")).toBe(1);
    expect(count(d, "aws_partition")).toBe(1);
  });

  it("gives the service's log driver the stack's region, from the same lookup as the key", () => {
    for (const stack of [primary, failover!]) {
      const json = synthJson(stack);
      const [regionLookup] = Object.keys(json.data?.aws_region ?? {}).filter((id) =>
        id.startsWith("key_"),
      );
      const [task] = listOf(json, "aws_ecs_task_definition");
      const [container] = JSON.parse(task.container_definitions as string);
      expect(container.logConfiguration.options["awslogs-region"]).toBe(
        `\${data.aws_region.${regionLookup}.region}`,
      );
    }
  });
});
