import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { buildContext } from "../../constructs/common";
import { EncryptionKey } from "../../constructs/encryption-key";
import { ConstructError, provideStackContext } from "../../constructs/stack-context";
import {
  buildTestStacks,
  configWith,
  listOf,
  loadBalancerFixture,
  synthJson,
  testStack,
} from "../helpers";

describe("stack context, found from the scope", () => {
  it("gives a construct its stack's naming and AWS context when its props name none", () => {
    const { stack } = testStack("us-west-2");
    new EncryptionKey(stack, "key", {});
    const [alias] = listOf(synthJson(stack), "aws_kms_alias");
    expect(alias.name).toBe("alias/hello-you-test-usw2-main");
  });

  it("is what the project's stacks provide: both regions build without threading it", () => {
    const { primary, failover } = buildTestStacks(configWith());
    expect(listOf(synthJson(primary), "aws_kms_alias")[0].name).toMatch(/-use1-main$/);
    expect(listOf(synthJson(failover!), "aws_kms_alias")[0].name).toMatch(/-usw2-main$/);
  });

  it("refuses a provider in another region without that region's naming, naming the construct", () => {
    const { stack } = testStack("us-east-1");
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    expect(() => new EncryptionKey(stack, "key-b", { provider: west })).toThrow(
      "provider is in us-west-2, the stack's names are for us-east-1; pass naming (and aws) for us-west-2 with it (construct test/key-b)",
    );
  });

  it("says how to fix a construct built outside any of the project's stacks", () => {
    const bare = new TerraformStack(Testing.app(), "bare");
    const inner = new Construct(bare, "inner");
    expect(() => buildContext(inner, {}).naming).toThrow(
      /^no stack context: build this construct inside one of the project's stacks, or pass naming and aws in its props \(construct bare\/inner\)$/,
    );
  });

  it("is provided per stack: the nearest stack's wins", () => {
    const { stack, naming, aws } = testStack("us-east-1");
    const other = naming.forRegion("eu-west-1");
    const nested = new Construct(stack, "nested");
    provideStackContext(nested, { naming: other, aws });
    expect(buildContext(new Construct(nested, "leaf"), {}).naming.region).toBe("eu-west-1");
  });
});

describe("construct errors", () => {
  it("carry the construct's path, so a reader knows which of several was wrong", () => {
    const error = new ConstructError(new Construct(Testing.app(), "region-b"), "bad value");
    expect(error.message).toBe("bad value (construct region-b)");
    expect(() => loadBalancerFixture({ containerPort: 70000 })).toThrow(
      "LoadBalancer: containerPort 70000 must be from 1 to 65535 (construct test/lb)",
    );
  });
});
