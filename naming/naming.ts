/**
 * Every resource name is derived here, from project, environment and region, so that names are
 * predictable in the console and always within the limit AWS sets for their kind. Here rather
 * than in config/ because constructs and validation both derive names. Source of the limits:
 * ./names.ts, each with its AWS documentation.
 */
import { createHash } from "node:crypto";
import { NAME_LIMITS, type NameKind } from "../facts/names";

const DIRECTIONS: Record<string, string> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/** us-east-1 -> use1, ap-southeast-2 -> apse2, us-gov-west-1 -> usgw1. */
export function regionShortCode(region: string): string {
  const parts = region.split("-");
  const number = parts.pop() ?? "";
  const direction = parts.pop() ?? "";
  const prefix = parts.map((p, i) => (i === 0 ? p : p[0])).join("");
  return `${prefix}${DIRECTIONS[direction] ?? direction[0]}${number}`;
}

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 6);
}

/**
 * Derives names as `<project>-<environment>-<region code>-<suffix>`. A name over its kind's
 * limit is cut and ends with a hash of the full name, so it stays unique and stable.
 */
export class Naming {
  /** `<project>-<environment>-<region code>`, the start of every name. */
  readonly prefix: string;

  constructor(
    readonly project: string,
    readonly environment: string,
    readonly region: string,
  ) {
    this.prefix = `${project}-${environment}-${regionShortCode(region)}`;
  }

  /** The same project and environment in another region. */
  forRegion(region: string): Naming {
    return new Naming(this.project, this.environment, region);
  }

  /** The untruncated name; validation uses it to report names that would not fit. */
  full(suffix?: string): string {
    return suffix ? `${this.prefix}-${suffix}` : this.prefix;
  }

  /** A name for `kind`, within its limit. */
  name(kind: NameKind, suffix?: string): string {
    return fit(this.full(suffix), NAME_LIMITS[kind]);
  }

  /** A `bucket_prefix`: lower case, ending with a hyphen before Terraform's suffix. */
  bucketPrefix(suffix: string): string {
    return `${fit(this.full(suffix), NAME_LIMITS.bucketPrefix - 1)}-`;
  }

  /** A KMS alias name (`alias/...`). */
  kmsAlias(suffix: string): string {
    return `alias/${fit(this.full(suffix), NAME_LIMITS.kmsAlias - "alias/".length)}`;
  }
}

/** Cuts `name` to `limit` characters, replacing the tail with a hash of the whole name. */
export function fit(name: string, limit: number): string {
  if (name.length <= limit) return name;
  const hash = shortHash(name);
  const head = name.slice(0, limit - hash.length - 1).replace(/-+$/, "");
  return `${head}-${hash}`;
}
