/**
 * Commercial AWS regions (partition `aws`) and the availability-zone letters an account can use
 * in each, so that a region or zone that does not exist is refused at synth time instead of
 * failing a plan or, worse, landing two subnets in one zone.
 *
 * Sources: "AWS Regions" table in the AWS General Reference
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html) and
 * "Availability Zones" in the same guide
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html),
 * checked against `aws ec2 describe-availability-zones --all-availability-zones` output.
 * Zone letters map to different physical zones in each account; the set of letters is what
 * matters here. Local Zones and Wavelength Zones are left out: this app never places subnets
 * there. A region AWS opens later is refused until it is added here.
 */
export interface RegionFacts {
  /** Where the region is, for messages. */
  readonly location: string;
  /** Zone letters every account in the region can use, in order. */
  readonly zones: string;
  /**
   * Each account sees only this many of `zones`, and which ones depends on the account, so a
   * zone list must be pinned (us-west-1: two of a, b and c).
   */
  readonly zonesPerAccount?: number;
  /** Disabled until an administrator enables the region for the account. */
  readonly optIn?: boolean;
}

export const REGIONS: Readonly<Record<string, RegionFacts>> = {
  "us-east-1": { location: "US East (N. Virginia)", zones: "abcdef" },
  "us-east-2": { location: "US East (Ohio)", zones: "abc" },
  "us-west-1": { location: "US West (N. California)", zones: "abc", zonesPerAccount: 2 },
  "us-west-2": { location: "US West (Oregon)", zones: "abcd" },
  "af-south-1": { location: "Africa (Cape Town)", zones: "abc", optIn: true },
  "ap-east-1": { location: "Asia Pacific (Hong Kong)", zones: "abc", optIn: true },
  "ap-east-2": { location: "Asia Pacific (Taipei)", zones: "abc", optIn: true },
  "ap-south-1": { location: "Asia Pacific (Mumbai)", zones: "abc" },
  "ap-south-2": { location: "Asia Pacific (Hyderabad)", zones: "abc", optIn: true },
  "ap-southeast-1": { location: "Asia Pacific (Singapore)", zones: "abc" },
  "ap-southeast-2": { location: "Asia Pacific (Sydney)", zones: "abc" },
  "ap-southeast-3": { location: "Asia Pacific (Jakarta)", zones: "abc", optIn: true },
  "ap-southeast-4": { location: "Asia Pacific (Melbourne)", zones: "abc", optIn: true },
  "ap-southeast-5": { location: "Asia Pacific (Malaysia)", zones: "abc", optIn: true },
  "ap-southeast-6": { location: "Asia Pacific (New Zealand)", zones: "abc", optIn: true },
  "ap-southeast-7": { location: "Asia Pacific (Thailand)", zones: "abc", optIn: true },
  // ap-northeast-1b exists only in accounts created before 2013 and takes no new subnets.
  "ap-northeast-1": { location: "Asia Pacific (Tokyo)", zones: "acd" },
  "ap-northeast-2": { location: "Asia Pacific (Seoul)", zones: "abcd" },
  "ap-northeast-3": { location: "Asia Pacific (Osaka)", zones: "abc" },
  "ca-central-1": { location: "Canada (Central)", zones: "abd" },
  "ca-west-1": { location: "Canada West (Calgary)", zones: "abc", optIn: true },
  "eu-central-1": { location: "Europe (Frankfurt)", zones: "abc" },
  "eu-central-2": { location: "Europe (Zurich)", zones: "abc", optIn: true },
  "eu-west-1": { location: "Europe (Ireland)", zones: "abc" },
  "eu-west-2": { location: "Europe (London)", zones: "abc" },
  "eu-west-3": { location: "Europe (Paris)", zones: "abc" },
  "eu-south-1": { location: "Europe (Milan)", zones: "abc", optIn: true },
  "eu-south-2": { location: "Europe (Spain)", zones: "abc", optIn: true },
  "eu-north-1": { location: "Europe (Stockholm)", zones: "abc" },
  "il-central-1": { location: "Israel (Tel Aviv)", zones: "abc", optIn: true },
  "me-south-1": { location: "Middle East (Bahrain)", zones: "abc", optIn: true },
  "me-central-1": { location: "Middle East (UAE)", zones: "abc", optIn: true },
  "mx-central-1": { location: "Mexico (Central)", zones: "abc", optIn: true },
  "sa-east-1": { location: "South America (Sao Paulo)", zones: "abc" },
};

/**
 * Partitions other than `aws`: real regions, but this app cannot run there (its Route53
 * health-check alarms live in the `aws` partition's us-east-1, and it assumes `aws` service
 * principals). Named so that the message says why instead of "unknown".
 * Source: "AWS partitions" (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 */
const OTHER_PARTITIONS: readonly [RegExp, string][] = [
  [/^us-gov-/, "AWS GovCloud (US)"],
  [/^cn-/, "AWS China"],
  [/^us-iso[a-z]*-/, "an AWS isolated partition"],
  [/^eusc-/, "the AWS European Sovereign Cloud"],
];

/** The facts for `region`, or undefined when it is not a commercial region. */
export function regionFacts(region: string): RegionFacts | undefined {
  return Object.hasOwn(REGIONS, region) ? REGIONS[region] : undefined;
}

/** Why `region` is refused, or undefined when it is a known commercial region. */
export function regionProblem(region: string): string | undefined {
  if (regionFacts(region)) return undefined;
  const partition = OTHER_PARTITIONS.find(([pattern]) => pattern.test(region));
  if (partition) {
    return `"${region}" is in ${partition[1]}, which this app does not support; use a commercial region such as us-east-1`;
  }
  const area = region.replace(/-\d+$/, "-");
  const near = Object.keys(REGIONS).filter((r) => r.startsWith(area));
  return near.length
    ? `"${region}" is not an AWS region; ${area}* has ${near.join(", ")}`
    : `"${region}" is not an AWS region; use a region code such as us-east-1 or eu-west-1 (facts/regions.ts lists them all)`;
}

/** Full zone names of `region` (us-east-1a, ...); empty when the region is unknown. */
export function zoneNames(region: string): string[] {
  return [...(regionFacts(region)?.zones ?? "")].map((letter) => `${region}${letter}`);
}

/** How many zones one account can use in `region` (0 when unknown). */
export function usableZoneCount(region: string): number {
  const facts = regionFacts(region);
  return facts ? (facts.zonesPerAccount ?? facts.zones.length) : 0;
}

/** A problem with a zone choice, and the setting it belongs to. */
export interface ZoneProblem {
  readonly field: "region" | "azCount" | "availabilityZones";
  readonly message: string;
}

/**
 * Zones for `count` subnets: `pinned` when given, otherwise the first `count` zones of the
 * region. Never wraps around: with too few zones it returns problems, not a repeated zone.
 */
export function resolveZones(
  region: string,
  count: number,
  pinned?: readonly string[],
): { zones: string[]; problems: ZoneProblem[] } {
  const problems: ZoneProblem[] = [];
  const regionIssue = regionProblem(region);
  if (regionIssue) return { zones: [], problems: [{ field: "region", message: regionIssue }] };
  const known = zoneNames(region);
  const usable = usableZoneCount(region);
  if (count > usable) {
    problems.push({
      field: "azCount",
      message: `is ${count}, but ${region} offers an account ${usable} availability zones; lower azCount to ${usable} or choose another region`,
    });
  }
  if (!pinned) {
    if (regionFacts(region)?.zonesPerAccount !== undefined) {
      problems.push({
        field: "availabilityZones",
        message: `must be set in ${region}: each account sees ${usable} of ${known.join(", ")}, different ones per account; list yours (aws ec2 describe-availability-zones --region ${region})`,
      });
    }
    return { zones: problems.length ? [] : known.slice(0, count), problems };
  }
  if (pinned.length !== count) {
    problems.push({
      field: "availabilityZones",
      message: `lists ${pinned.length} zones but azCount is ${count}; list exactly one per AZ`,
    });
  }
  const foreign = pinned.filter(
    (zone) => !zone.startsWith(region) || zone.length !== region.length + 1,
  );
  if (foreign.length) {
    problems.push({
      field: "availabilityZones",
      message: `${foreign.join(", ")} ${foreign.length > 1 ? "are" : "is"} not a zone of ${region}; use ${known.join(", ")}`,
    });
  }
  const missing = pinned.filter((zone) => !foreign.includes(zone) && !known.includes(zone));
  if (missing.length) {
    problems.push({
      field: "availabilityZones",
      message: `${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in ${region}; its zones are ${known.join(", ")}`,
    });
  }
  if (new Set(pinned).size !== pinned.length) {
    problems.push({
      field: "availabilityZones",
      message: `lists a zone twice (${pinned.join(", ")}); each subnet tier needs distinct zones`,
    });
  }
  return { zones: problems.length ? [] : [...pinned], problems };
}
