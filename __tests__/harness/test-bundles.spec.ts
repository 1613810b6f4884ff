import { Lazy } from "cdktf";

describe("the test build of cdktf (harness/test-bundles.cjs)", () => {
  it("is what specs load: one file from .gen/", () => {
    expect(require.resolve("cdktf")).toMatch(/\.gen[\\/]test-cdktf-[0-9a-f]{16}\.js$/);
    expect(require.resolve("zod")).toMatch(/\.gen[\\/]test-zod-[0-9a-f]{16}\.js$/);
  });

  it("still records where a token was created, frame by frame", () => {
    const token = Lazy.anyValue({ produce: () => 1 });
    // The frames format themselves when an error message joins them, as cdktf's do.
    const stack = token.creationStack.join("\n  at ");
    expect(token.creationStack.length).toBeGreaterThan(1);
    expect(stack).toMatch(/test-bundles\.spec\.ts:\d+:\d+/);
  });
});
