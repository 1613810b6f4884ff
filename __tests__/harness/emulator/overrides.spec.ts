import { endpointsFor, overrideFor } from "../../../harness/emulator/overrides";
import { ENDPOINT_SERVICES } from "../../../harness/emulator/services";

const providers = {
  aws: { source: "harness.hello-you.invalid/hashicorp/aws", version: "6.48.0-dev.1" },
  random: { source: "harness.hello-you.invalid/hashicorp/random", version: "3.9.1-dev.1" },
};
const options = { stack: "failover", stateDir: "/scratch/state", proxyPort: 4321, providers };

describe("emulator overrides", () => {
  const stack = {
    terraform: {
      required_providers: {
        aws: { source: "aws", version: "6.25.0" },
        github: { source: "integrations/github", version: "6.0.0" },
      },
    },
    provider: { aws: [{ region: "us-west-2" }, { alias: "primary", region: "us-east-1" }] },
    data: {
      terraform_remote_state: {
        "cross-stack-reference-input-primary": {
          backend: "local",
          config: { path: "/x/p.tfstate" },
        },
      },
    },
  };
  const override = overrideFor(stack, options) as {
    provider: { aws: Record<string, unknown>[] };
    terraform: {
      backend: { local: { path: string } };
      required_providers: Record<string, { source: string; version: string }>;
    };
    data: { terraform_remote_state: Record<string, { config: { path: string } }> };
  };

  it("points every provider block, aliases included, at its own region through the proxy", () => {
    const [main, primary] = override.provider.aws;
    expect(main.alias).toBeUndefined();
    expect(primary.alias).toBe("primary");
    expect(main.http_proxy).toBe("http://127.0.0.1:4321");
    expect((main.endpoints as Record<string, string>[])[0].ec2).toBe(
      "http://us-west-2.aws.emulator",
    );
    expect((primary.endpoints as Record<string, string>[])[0].rds).toBe(
      "http://us-east-1.aws.emulator",
    );
  });

  it("sends global services to their own zone, so they can be taken down on their own", () => {
    expect(endpointsFor("eu-west-1").route53).toBe("http://route53.aws.emulator");
    expect(endpointsFor("eu-west-1").iam).toBe("http://iam.aws.emulator");
    expect(endpointsFor("eu-west-1").sts).toBe("http://eu-west-1.aws.emulator");
  });

  it("sets an endpoint for every service package the provider is built with", () => {
    expect(Object.keys(endpointsFor("us-east-1")).sort()).toEqual([...ENDPOINT_SERVICES].sort());
    expect(ENDPOINT_SERVICES).not.toContain("meta");
  });

  it("keeps state and cross-stack reads in the scratch folder", () => {
    expect(override.terraform.backend.local.path).toBe("/scratch/state/failover.tfstate");
    expect(
      override.data.terraform_remote_state["cross-stack-reference-input-primary"].config.path,
    ).toBe("/scratch/state/primary.tfstate");
  });

  it("points aws at the harness's own build, never at the registry's hashicorp/aws it pins", () => {
    expect(override.terraform.required_providers).toEqual({ aws: providers.aws });
    expect(override.terraform.required_providers.aws.source).not.toMatch(
      /^(registry\.terraform\.io\/)?hashicorp\//,
    );
  });

  it("refuses remote state it cannot redirect rather than reading a real backend", () => {
    const remote = {
      data: { terraform_remote_state: { other: { backend: "s3", config: { bucket: "b" } } } },
    };
    expect(() => overrideFor(remote, options)).toThrow(/cannot redirect/);
  });
});
