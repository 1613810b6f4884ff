/**
 * Which terraform-provider-aws service package serves each resource and data-source type we use
 * (harness/terraform/aws-services.json). The provider is built with only these packages, so a
 * type missing here would fail at validate time as "unsupported resource type".
 */
import services from "../terraform/aws-services.json";

const byType = new Map<string, string>();
for (const [service, types] of Object.entries(services.services)) {
  for (const type of types) byType.set(type, service);
}

/** Service packages the provider is built with. */
export const BUILT_SERVICES: readonly string[] = [
  ...new Set([...Object.keys(services.services), ...Object.keys(services.alsoBuilt)]),
].sort();

/** Endpoint keys of the provider block: every built package but `meta`, which calls no API. */
export const ENDPOINT_SERVICES: readonly string[] = BUILT_SERVICES.filter((s) => s !== "meta");

/** `aws_*` resource types and `data.aws_*` data-source types a synthesized stack uses. */
export function awsTypesUsed(json: {
  resource?: Record<string, unknown>;
  data?: Record<string, unknown>;
}): string[] {
  const resources = Object.keys(json.resource ?? {});
  const data = Object.keys(json.data ?? {}).map((t) => `data.${t}`);
  return [...resources, ...data].filter((t) => /^(data\.)?aws_/.test(t)).sort();
}

/** The AWS types of a stack that no built service package serves. */
export function unservedTypes(json: Parameters<typeof awsTypesUsed>[0]): string[] {
  return awsTypesUsed(json).filter((t) => !byType.has(t));
}
