/**
 * Carves a VPC block into subnets in one deterministic place. The failover stack calls it too,
 * to know region B's app CIDRs without a lookup.
 *
 * Every subnet is four bits longer than the VPC (a /16 gives /20s, 4,091 usable addresses):
 * slots 0-2 public, 4-6 app, 8-10 data, one per AZ; the rest stay free for later tiers.
 */
export interface SubnetLayout {
  readonly public: string[];
  readonly app: string[];
  readonly data: string[];
}

const TIER_OFFSET = { public: 0, app: 4, data: 8 } as const;

export function subnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(vpcCidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  if (!match || octets.some((o) => o > 255)) {
    throw new Error(
      `subnetLayout: vpcCidr "${vpcCidr}" is not an IPv4 CIDR block such as 10.0.0.0/16`,
    );
  }
  const prefix = Number(match[5]);
  if (prefix < 16 || prefix > 22) {
    throw new Error(`subnetLayout: vpcCidr "${vpcCidr}" must be a /16 to /22 block`);
  }
  if (!Number.isInteger(azCount) || azCount < 2 || azCount > 3) {
    throw new Error(`subnetLayout: azCount ${azCount} must be 2 or 3`);
  }
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const subnetPrefix = prefix + 4;
  const size = 2 ** (32 - subnetPrefix);
  const network = base - (base % 2 ** (32 - prefix));
  const block = (slot: number): string => `${toIp(network + slot * size)}/${subnetPrefix}`;
  const tier = (offset: number): string[] =>
    Array.from({ length: azCount }, (_, az) => block(offset + az));
  return {
    public: tier(TIER_OFFSET.public),
    app: tier(TIER_OFFSET.app),
    data: tier(TIER_OFFSET.data),
  };
}

function toIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}
