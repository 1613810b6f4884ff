import { ImageCache } from "../../constructs/image-cache";
import { listOf, synthJson, testStack } from "../helpers";

const UPSTREAM = "ghcr.io/diogo-pessoa/hello-you-api/hello-you-api";

describe("ImageCache", () => {
  const { stack, aws } = testStack("us-west-2");
  const cache = new ImageCache(stack, "image-cache", {
    upstreamImage: UPSTREAM,
    recoveryWindowDays: 7,
  });
  const json = synthJson(stack);

  it("caches ghcr.io under a derived prefix, with the secret ECR requires by name", () => {
    expect(listOf(json, "aws_ecr_pull_through_cache_rule")).toEqual([
      expect.objectContaining({
        ecr_repository_prefix: "hello-you-test-usw2-ghcr",
        upstream_registry_url: "ghcr.io",
        credential_arn: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.image-cache_/),
      }),
    ]);
    expect(listOf(json, "aws_secretsmanager_secret")).toEqual([
      expect.objectContaining({
        name: "ecr-pullthroughcache/hello-you-test-usw2-ghcr",
        recovery_window_in_days: 7,
        kms_key_id: "alias/aws/secretsmanager",
      }),
    ]);
  });

  it("writes the credentials from ephemeral variables through a write-only argument, before the rule", () => {
    const [id, version] = Object.entries(json.resource?.aws_secretsmanager_secret_version ?? {})[0];
    expect(version).toMatchObject({
      secret_string_wo:
        '${jsonencode({"username" = var.image_cache_username, "accessToken" = var.image_cache_token})}',
      secret_string_wo_version: "${var.image_cache_credentials_version}",
    });
    expect(version).not.toHaveProperty("secret_string");
    for (const name of ["image_cache_username", "image_cache_token"]) {
      expect((json as { variable?: Record<string, unknown> }).variable?.[name]).toMatchObject({
        ephemeral: true,
        sensitive: true,
        nullable: false,
      });
    }
    const [rule] = Object.values(json.resource?.aws_ecr_pull_through_cache_rule ?? {});
    expect(rule.depends_on).toEqual([`aws_secretsmanager_secret_version.${id}`]);
    expect(JSON.stringify(json)).not.toMatch(/ghp_/);
  });

  it("names the image and repository through this region's registry", () => {
    const repository = `hello-you-test-usw2-ghcr/diogo-pessoa/hello-you-api/hello-you-api`;
    expect(cache.image).toBe(`${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com/${repository}`);
    expect(cache.repositoryArn).toBe(
      `arn:${aws.partition}:ecr:${aws.region}:${aws.accountId}:repository/${repository}`,
    );
  });

  it.each([
    ["another registry", "docker.io/library/nginx"],
    ["a tag", `${UPSTREAM}:latest`],
    ["a digest", `${UPSTREAM}@sha256:abc`],
    ["the registry alone", "ghcr.io/"],
  ])("refuses %s, naming the setting that avoids the cache", (_what, upstreamImage) => {
    const { stack: other } = testStack("us-west-2");
    expect(
      () => new ImageCache(other, "image-cache", { upstreamImage, recoveryWindowDays: 0 }),
    ).toThrow(/is not a ghcr\.io image without tag or digest .* failover\.imageSource: upstream/);
  });
});
