import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DELIVERY_VARIANTS,
  STACKS_WITHOUT_BUILDABLE_PROVIDERS,
  terraformStacks,
  VARIANTS,
  variantInput,
  variantSlug,
} from "../../harness/variants";
import { buildTestStacks, configWith } from "../helpers";

/** Providers the Terraform layers build (harness/terraform-tools.sh). */
const BUILDABLE = ["aws", "random"];

const ALL = [...VARIANTS, ...DELIVERY_VARIANTS];

describe("verification variants", () => {
  it("have distinct slugs", () => {
    const slugs = ALL.map(variantSlug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it("put delivery through the Terraform layers in at least one variant", () => {
    const delivery = VARIANTS.filter((v) => variantInput(v).delivery?.enabled);
    expect(delivery.map((v) => v.name)).toEqual(["prod with delivery and Terraform Cloud roles"]);
  });

  it("skip only delivery-github, for its provider", () => {
    expect(Object.keys(STACKS_WITHOUT_BUILDABLE_PROVIDERS)).toEqual(["delivery-github"]);
  });

  it("refuse an unknown slug", () => {
    expect(() => terraformStacks("no-such-variant", ["primary"])).toThrow(
      'terraformStacks: no variant "no-such-variant"',
    );
  });

  describe.each(ALL.map((v) => [v.name, v] as const))("%s", (_name, variant) => {
    const { app } = buildTestStacks(configWith(variant.patch, variant.environment));
    app.synth();
    const dir = join(app.outdir, "stacks");
    const stacks = readdirSync(dir);
    const kept = terraformStacks(variantSlug(variant), stacks);

    it("hands the Terraform layers only stacks whose providers they build", () => {
      for (const stack of kept) {
        const json = JSON.parse(readFileSync(join(dir, stack, "cdk.tf.json"), "utf8"));
        const providers = Object.keys(json.terraform.required_providers ?? {});
        expect({ stack, providers: providers.filter((p) => !BUILDABLE.includes(p)) }).toEqual({
          stack,
          providers: [],
        });
      }
    });

    it("declares, and skips, exactly the stacks it synthesizes without a buildable provider", () => {
      const unbuildable = stacks.filter((s) => s in STACKS_WITHOUT_BUILDABLE_PROVIDERS).sort();
      const declared = Object.keys(variant.terraformSkips ?? {}).filter((s) => stacks.includes(s));
      expect(declared.sort()).toEqual(unbuildable);
      expect(stacks.filter((s) => !kept.includes(s)).sort()).toEqual(unbuildable);
    });
  });
});
