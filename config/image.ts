/**
 * Which image a synth deploys: `service.imageTag` or `service.imageDigest` from the environment
 * file, overridden by IMAGE_TAG or IMAGE_DIGEST from the delivery path. Checked when stacks are
 * synthesized (`loadSettings`), not when config is loaded: `npm run dr` never deploys an image,
 * so a production file without one must not stop a promotion.
 */
import { OCI_SHA256_DIGEST, OCI_TAG } from "../facts/names";
import type { Env } from "./env";
import { IMAGE_DIGEST_RULE, IMAGE_TAG_RULE, type AppConfig, type EnvironmentInput } from "./schema";

/**
 * Tags the app's workflow pushes from release tags (`vX.Y.Z`, pre-releases too). A release tag is
 * never pushed again, unlike `latest` or a branch tag.
 */
export const RELEASE_TAG = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

const HOW_TO_SUPPLY =
  "pass IMAGE_DIGEST=sha256:<digest> (the digest the app's build pushed; `docker buildx imagetools inspect <image>:<tag>` prints it) or IMAGE_TAG=vX.Y.Z (a release tag of the app)";

/** IMAGE_TAG's and IMAGE_DIGEST's own problems: blank, malformed, or both given. */
export function imageOverrideProblems(env: Env): string[] {
  const problems: string[] = [];
  const variables = [
    ["IMAGE_TAG", OCI_TAG, IMAGE_TAG_RULE, "v1.4.2"],
    ["IMAGE_DIGEST", OCI_SHA256_DIGEST, IMAGE_DIGEST_RULE, "sha256:<digest>"],
  ] as const;
  for (const [name, pattern, rule, example] of variables) {
    const raw = env[name];
    if (raw === undefined) continue;
    const value = raw.trim();
    if (!value) {
      problems.push(
        `${name}: is set but empty (${JSON.stringify(raw)}); give the image to deploy, such as ${example}, or unset it to deploy the environment file's service.imageTag or service.imageDigest`,
      );
    } else if (!pattern.test(value)) {
      problems.push(`${name}: "${value}" ${rule}`);
    }
  }
  if (env.IMAGE_TAG?.trim() && env.IMAGE_DIGEST?.trim()) {
    problems.push(
      "IMAGE_TAG and IMAGE_DIGEST: both are set; pass one (a digest pins the image, a tag names it)",
    );
  }
  return problems;
}

/** The environment file with IMAGE_TAG or IMAGE_DIGEST in place of its own image reference. */
export function withImageOverrides(input: EnvironmentInput, env: Env): EnvironmentInput {
  const tag = env.IMAGE_TAG?.trim();
  const digest = env.IMAGE_DIGEST?.trim();
  if (!tag && !digest) return input;
  const service = {
    ...input.service,
    imageTag: tag || undefined,
    imageDigest: digest || undefined,
  };
  return { ...input, service };
}

/** What stops a synth from deploying this config's image: none, both, or a moving one. */
export function imageProblems(service: AppConfig["service"]): string[] {
  const { imageTag, imageDigest, image } = service;
  if (imageTag !== undefined && imageDigest !== undefined) {
    return [
      `service.imageTag and service.imageDigest: both are set ("${imageTag}", "${imageDigest}"); keep one`,
    ];
  }
  if (imageTag === undefined && imageDigest === undefined) {
    return [`service.imageTag: no image to deploy from ${image}; ${HOW_TO_SUPPLY}`];
  }
  if (service.immutableImage && imageTag !== undefined && !RELEASE_TAG.test(imageTag)) {
    return [
      `service.imageTag: "${imageTag}" can move, and service.immutableImage is true (this environment deploys only what was released); ${HOW_TO_SUPPLY}`,
    ];
  }
  return [];
}
