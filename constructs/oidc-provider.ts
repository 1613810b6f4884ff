import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { ConstructError } from "./stack-context";

export interface OidcProviderProps extends Pick<CommonProps, "provider"> {
  /** Issuer host without scheme, such as `token.actions.githubusercontent.com`. */
  readonly host: string;
  /** Audiences (`aud`) the provider accepts. */
  readonly audiences: string[];
  /**
   * `create` the provider, or look up the `existing` one: IAM allows one provider per URL and
   * account, so a second environment in the same account must not create it again.
   * @default "create"
   */
  readonly mode?: "create" | "existing";
}

const HOST = /^([a-z0-9-]+\.)+[a-z]{2,}$/;

/**
 * An IAM OIDC identity provider that roles trust for web-identity federation. No thumbprint:
 * AWS verifies these issuers' certificates itself, and a pinned thumbprint breaks on rotation.
 */
export class OidcProvider extends Construct {
  readonly arn: string;
  /** The issuer host, the prefix of its condition keys (`<host>:sub`, `<host>:aud`). */
  readonly host: string;
  /** Present when `mode` is `create`. */
  readonly provider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: OidcProviderProps) {
    super(scope, id);
    if (!HOST.test(props.host)) {
      throw new ConstructError(
        this,
        `OidcProvider: host "${props.host}" must be a bare host name such as token.actions.githubusercontent.com (no https://, no path)`,
      );
    }
    if (props.audiences.length === 0) {
      throw new ConstructError(
        this,
        "OidcProvider: audiences is empty; list the aud values tokens carry",
      );
    }
    this.host = props.host;
    const url = `https://${props.host}`;
    if ((props.mode ?? "create") === "create") {
      this.provider = new IamOpenidConnectProvider(this, "provider", {
        provider: props.provider,
        url,
        clientIdList: props.audiences,
      });
      this.arn = this.provider.arn;
    } else {
      this.arn = new DataAwsIamOpenidConnectProvider(this, "existing", {
        provider: props.provider,
        url,
      }).arn;
    }
  }
}
