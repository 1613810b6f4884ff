import { compareStacks, differingPaths, isAllowed } from "../../harness/compare-synth";

const before = {
  resource: {
    aws_lb: { "load-balancer_alb_1": { name: "a" } },
    aws_kms_key: { key_key_2: { x: 1 } },
  },
  data: { aws_region: { key_region_3: {} } },
  output: { url: { value: "u" } },
};

describe("compare-synth", () => {
  it("lists addresses that stay, and fails a resource address that disappears without a move", () => {
    const after = {
      resource: {
        aws_lb: { "load-balancer_alb_1": { name: "a" } },
        aws_kms_key: { key_key_9: { x: 1 } },
      },
    };
    const c = compareStacks(before, after);
    expect(c.resources.stayed).toEqual(["aws_lb.load-balancer_alb_1"]);
    expect(c.destroyed).toEqual(["aws_kms_key.key_key_2"]);
    expect(c.resources.appeared).toEqual(["aws_kms_key.key_key_9"]);
    expect(c.data.disappeared).toEqual(["aws_region.key_region_3"]);
    expect(c.outputs.disappeared).toEqual(["url"]);
  });

  it("accepts a disappeared address that a moved block takes to an existing address", () => {
    const after = {
      ...before,
      resource: { ...before.resource, aws_kms_key: { key_key_9: { x: 1 } } },
      moved: [{ from: "aws_kms_key.key_key_2", to: "aws_kms_key.key_key_9" }],
    };
    const c = compareStacks(before, after);
    expect(c.destroyed).toEqual([]);
    expect(c.moved).toEqual([{ from: "aws_kms_key.key_key_2", to: "aws_kms_key.key_key_9" }]);
  });

  it("does not count a move to an address that does not exist", () => {
    const after = {
      ...before,
      resource: { aws_lb: before.resource.aws_lb },
      moved: [{ from: "aws_kms_key.key_key_2", to: "aws_kms_key.nowhere" }],
    };
    expect(compareStacks(before, after).destroyed).toEqual(["aws_kms_key.key_key_2"]);
  });

  it("in strict mode reports every changed JSON path the allow list does not declare", () => {
    const after = structuredClone(before) as typeof before & { resource: { aws_lb: object } };
    after.resource.aws_lb["load-balancer_alb_1"] = { name: "b" };
    (after.data.aws_region.key_region_3 as Record<string, unknown>)["//"] = { path: "x" };
    const strict = compareStacks(before, after, { strict: true });
    expect(strict.undeclared.sort()).toEqual([
      "data.aws_region.key_region_3.//",
      "resource.aws_lb.load-balancer_alb_1.name",
    ]);
    const allowed = compareStacks(before, after, {
      strict: true,
      allow: [{ path: "data.*.*.//.**", why: "metadata only" }],
    });
    expect(allowed.undeclared).toEqual(["resource.aws_lb.load-balancer_alb_1.name"]);
    expect(compareStacks(before, structuredClone(before), { strict: true }).undeclared).toEqual([]);
  });

  it("matches allow patterns segment by segment", () => {
    expect(isAllowed(["a", "b", "c"], [{ path: "a.*.c", why: "w" }])).toBe(true);
    expect(isAllowed(["a", "b"], [{ path: "a.*.c", why: "w" }])).toBe(false);
    expect(isAllowed(["a", "b", "c", "d"], [{ path: "a.**", why: "w" }])).toBe(true);
    expect(differingPaths({ a: [1, 2] }, { a: [1, 3] })).toEqual([["a", "1"]]);
  });
});
