import { TerraformOutput } from "cdktf";
import { OidcProvider, type OidcProviderProps } from "../../constructs/oidc-provider";
import { synthJson, testStack } from "../helpers";

function build(patch: Partial<OidcProviderProps> = {}) {
  const { stack } = testStack();
  const provider = new OidcProvider(stack, "oidc", {
    host: "token.actions.githubusercontent.com",
    audiences: ["sts.amazonaws.com"],
    ...patch,
  });
  // Through an output, the ARN reads as the Terraform expression it becomes.
  new TerraformOutput(stack, "arn", { value: provider.arn });
  const json = synthJson(stack);
  return { provider, arn: String(json.output?.arn.value), json };
}

describe("OidcProvider", () => {
  it("creates the provider for the issuer's HTTPS URL and audiences, with no pinned thumbprint", () => {
    const { provider, arn, json } = build();
    expect(JSON.stringify(json)).toHaveResourceWithProperties(
      { tfResourceType: "aws_iam_openid_connect_provider" },
      {
        url: "https://token.actions.githubusercontent.com",
        client_id_list: ["sts.amazonaws.com"],
      },
    );
    expect(Object.values(json.resource!.aws_iam_openid_connect_provider)[0]).not.toHaveProperty(
      "thumbprint_list",
    );
    expect(arn).toMatch(/^\$\{aws_iam_openid_connect_provider\.oidc_provider_\w+\.arn\}$/);
    expect(provider.host).toBe("token.actions.githubusercontent.com");
  });

  it("looks the provider up by URL instead when another stack owns it", () => {
    const { arn, json } = build({ mode: "existing", host: "app.terraform.io" });
    expect(json.resource?.aws_iam_openid_connect_provider).toBeUndefined();
    expect(Object.values(json.data!.aws_iam_openid_connect_provider)).toEqual([
      expect.objectContaining({ url: "https://app.terraform.io" }),
    ]);
    expect(arn).toMatch(/^\$\{data\.aws_iam_openid_connect_provider\.oidc_existing_\w+\.arn\}$/);
  });

  it("rejects a URL where a host belongs, and no audience", () => {
    expect(() => build({ host: "https://app.terraform.io" })).toThrow(
      'OidcProvider: host "https://app.terraform.io" must be a bare host name',
    );
    expect(() => build({ audiences: [] })).toThrow("OidcProvider: audiences is empty");
  });
});
