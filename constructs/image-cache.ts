import { EcrPullThroughCacheRule } from "@cdktf/provider-aws/lib/ecr-pull-through-cache-rule";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { buildContext, type CommonProps } from "./common";
import { NameCatalogue } from "../naming/catalogue";
import { ConstructError } from "./stack-context";
import { type WriteOnlyCredentials, writeOnlyCredentials } from "./write-only-credentials";

/** The one upstream this cache serves: the app's image lives on GitHub Container Registry. */
export const GHCR = "ghcr.io";

export interface ImageCacheProps extends CommonProps {
  /** The image as the app's workflow pushes it, without tag or digest: `ghcr.io/<owner>/<path>`. */
  readonly upstreamImage: string;
  /** Days Secrets Manager keeps the credentials secret after a destroy (0: at once). */
  readonly recoveryWindowDays: number;
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
}

/**
 * An ECR pull-through cache of ghcr.io in this construct's region, so that a task started here
 * pulls from this region's ECR: not from GHCR, and not from any other region. ECR fills a cached
 * repository on the first pull of a tag or digest and serves later pulls from it, GHCR down
 * included (docs/disaster-recovery.md: the standby task's pull is that first pull).
 *
 * ECR reaches ghcr.io only with credentials, kept in a Secrets Manager secret whose name must
 * start with `ecr-pullthroughcache/`, and reads them when the rule is created: the secret's value
 * comes from the ephemeral variables `image_cache_username` and `image_cache_token` through a
 * write-only argument, so no token is ever in the synthesized JSON, the plan or the state, and
 * the rule is created only after the value is there.
 */
export class ImageCache extends Construct {
  readonly rule: EcrPullThroughCacheRule;
  readonly secret: SecretsmanagerSecret;
  /** The credentials' value, written from the ephemeral variables. */
  readonly secretValue: SecretsmanagerSecretVersion;
  readonly credentials: WriteOnlyCredentials;
  /** The image through the cache, without tag or digest: what the task definition pulls. */
  readonly image: string;
  /** The cached repository of `upstreamImage`: what the execution role may pull and import. */
  readonly repositoryArn: string;

  constructor(scope: Construct, id: string, props: ImageCacheProps) {
    super(scope, id);
    const { naming, provider } = buildContext(this, props);
    const prefix = `${GHCR}/`;
    const path = props.upstreamImage.startsWith(prefix)
      ? props.upstreamImage.slice(prefix.length)
      : "";
    if (!path || /[@:]/.test(path)) {
      throw new ConstructError(
        this,
        `ImageCache: upstreamImage "${props.upstreamImage}" is not a ${GHCR} image without tag or digest (such as ghcr.io/owner/app); the cache serves ${GHCR} only, so set failover.imageSource: upstream for an image elsewhere`,
      );
    }
    const names = new NameCatalogue(naming);
    this.secret = new SecretsmanagerSecret(this, "credentials", {
      provider,
      name: names.imageCacheSecret,
      description: `GitHub user and token (read:packages) ECR uses to fill its cache of ${GHCR}; written from the ephemeral variables image_cache_username and image_cache_token`,
      // AWS's own key, named rather than implied, not the stack's: ECR reads the secret as its
      // pull-through cache service-linked role, whose AWS-managed policy grants no kms:Decrypt,
      // and a key policy cannot name that role before ECR creates it with the first rule.
      kmsKeyId: "alias/aws/secretsmanager",
      recoveryWindowInDays: props.recoveryWindowDays,
    });
    this.credentials = writeOnlyCredentials(
      this,
      {
        username: "image_cache_username",
        token: "image_cache_token",
        version: "image_cache_credentials_version",
      },
      `region B's ECR cache of ${GHCR}, which ECR reads when the rule is created`,
    );
    this.secretValue = new SecretsmanagerSecretVersion(this, "credentials-value", {
      provider,
      secretId: this.secret.id,
      secretStringWo: Fn.jsonencode({
        username: this.credentials.username.stringValue,
        accessToken: this.credentials.token.stringValue,
      }),
      secretStringWoVersion: this.credentials.version.numberValue,
    });
    this.rule = new EcrPullThroughCacheRule(this, "rule", {
      provider,
      ecrRepositoryPrefix: names.imageCachePrefix,
      upstreamRegistryUrl: GHCR,
      credentialArn: this.secret.arn,
      // ECR reads the credentials when it creates the rule.
      dependsOn: [this.secretValue],
    });
    const { aws } = buildContext(this, props);
    const repository = `${names.imageCachePrefix}/${path}`;
    // ECR's registry host in the aws and aws-us-gov partitions (China's ends .amazonaws.com.cn).
    this.image = `${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com/${repository}`;
    this.repositoryArn = `arn:${aws.partition}:ecr:${aws.region}:${aws.accountId}:repository/${repository}`;
  }
}
