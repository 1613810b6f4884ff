import { withImage } from "../../release/aws";

describe("withImage: the revision a release registers", () => {
  const old = "ghcr.io/o/app@sha256:" + "a".repeat(64);
  const next = "ghcr.io/o/app@sha256:" + "b".repeat(64);

  it("moves the app container and the fence check that runs the same image", () => {
    const out = withImage(
      [
        { name: "fence-check", image: old },
        { name: "api", image: old },
        { name: "sidecar", image: "public.ecr.aws/other/agent:1" },
      ],
      "api",
      next,
    );
    expect(out.map((c) => [c.name, c.image])).toEqual([
      ["fence-check", next],
      ["api", next],
      ["sidecar", "public.ecr.aws/other/agent:1"],
    ]);
  });

  it("leaves containers alone when the app container is not there", () => {
    const out = withImage([{ name: "fence-check", image: old }], "api", next);
    expect(out).toEqual([{ name: "fence-check", image: old }]);
  });
});
