import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { awsTypesUsed, BUILT_SERVICES, unservedTypes } from "../../harness/emulator/services";
import { terraformStacks, VARIANTS, variantSlug } from "../../harness/variants";
import { buildTestStacks, configWith } from "../helpers";

// The AWS provider that validates, plans and deploys our stacks is built with only the service
// packages in harness/terraform/aws-services.json; a type they do not serve would fail there.

describe.each(VARIANTS.map((v) => [v.name, v] as const))(
  "provider build covers every AWS type: %s",
  (_name, variant) => {
    const { app } = buildTestStacks(configWith(variant.patch, variant.environment));
    app.synth();
    const dir = join(app.outdir, "stacks");
    // The stacks the Terraform layers load: delivery-github has GitHub resources only.
    it.each(terraformStacks(variantSlug(variant), readdirSync(dir)))("stack %s", (stack) => {
      const json = JSON.parse(readFileSync(join(dir, stack, "cdk.tf.json"), "utf8"));
      expect(awsTypesUsed(json).length).toBeGreaterThan(0);
      expect(unservedTypes(json)).toEqual([]);
    });
  },
);

describe("service map", () => {
  it("reports a type that no built package serves", () => {
    const json = { resource: { aws_sqs_queue: {}, aws_vpc: {} }, data: { aws_region: {} } };
    expect(unservedTypes(json)).toEqual(["aws_sqs_queue"]);
  });

  it("ignores non-AWS providers' types", () => {
    expect(
      awsTypesUsed({ resource: { random_password: {} }, data: { terraform_remote_state: {} } }),
    ).toEqual([]);
  });

  it("builds S3 Control, which S3 bucket tagging needs at apply", () => {
    expect(BUILT_SERVICES).toContain("s3control");
  });
});
