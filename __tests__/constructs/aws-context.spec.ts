import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { addressPath } from "../../constructs/addresses";
import { AwsContextLookup } from "../../constructs/aws-context";
import { synthJson } from "../helpers";

function stack() {
  const s = new TerraformStack(Testing.app(), "test");
  new AwsProvider(s, "aws", { region: "eu-west-1" });
  return s;
}

describe("AwsContextLookup", () => {
  it("looks up account, partition and region once, with the given provider", () => {
    const s = stack();
    const west = new AwsProvider(s, "west", { region: "us-west-2", alias: "west" });
    const aws = new AwsContextLookup(s, "context", { provider: west });
    const json = synthJson(s);
    for (const type of ["aws_caller_identity", "aws_partition", "aws_region"]) {
      const lookups = Object.values(json.data?.[type] ?? {});
      expect(lookups).toHaveLength(1);
      expect(lookups[0].provider).toBe("aws.west");
    }
    expect(aws.accountId).toMatch(/^\$\{TfToken/);
    expect(aws.region).toMatch(/^\$\{TfToken/);
  });

  it("addresses its lookups as if they sat under a former path", () => {
    const s = stack();
    const kept = new AwsContextLookup(s, "aws-context", { formerPath: ["key"] });
    const plain = new AwsContextLookup(s, "other");
    const path = (c: AwsContextLookup) =>
      c.node.children.map((child) => addressPath([c, child]).join("/"));
    expect(path(kept)).toEqual(["key/account", "key/partition", "key/region"]);
    expect(path(plain)).toEqual(["other/account", "other/partition", "other/region"]);
  });
});
