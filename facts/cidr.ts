/**
 * IPv4 CIDR arithmetic and the address ranges that matter for a VPC.
 *
 * Sources: RFC 4632 (CIDR notation), RFC 1918 (private address space), RFC 5735 (special-use
 * IPv4 addresses), and "VPC CIDR blocks" in the Amazon VPC User Guide
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html), which recommends the
 * RFC 1918 ranges and allows public ones.
 */
export interface Cidr {
  /** The address as an unsigned 32-bit number. */
  readonly address: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; undefined when it is not one. */
export function parseCidr(block: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { address: octets.reduce((acc, o) => acc * 256 + o, 0), prefix };
}

function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** First and last address of the block. */
export function cidrRange(block: string): [number, number] {
  const cidr = parseCidr(block);
  if (!cidr) throw new Error(`cidrRange: "${block}" is not an IPv4 CIDR block such as 10.0.0.0/16`);
  const start = cidr.address - (cidr.address % size(cidr.prefix));
  return [start, start + size(cidr.prefix) - 1];
}

export function cidrsOverlap(a: string, b: string): boolean {
  const [a0, a1] = cidrRange(a);
  const [b0, b1] = cidrRange(b);
  return a0 <= b1 && b0 <= a1;
}

/** `inner` lies wholly inside `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const [i0, i1] = cidrRange(inner);
  const [o0, o1] = cidrRange(outer);
  return o0 <= i0 && i1 <= o1;
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * The block with its host bits cleared (10.0.0.0/16 for 10.0.0.1/16). AWS stores the network
 * address, so a block written otherwise shows a change on every plan or is refused.
 */
export function networkAddress(block: string): string {
  const cidr = parseCidr(block);
  if (!cidr) throw new Error(`networkAddress: "${block}" is not an IPv4 CIDR block`);
  return `${formatIp(cidrRange(block)[0])}/${cidr.prefix}`;
}

export function hasHostBits(block: string): boolean {
  return networkAddress(block) !== block;
}

/** RFC 1918 private ranges, the ones AWS recommends for a VPC. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

export function isPrivate(block: string): boolean {
  return PRIVATE_RANGES.some((range) => cidrWithin(block, range));
}

/**
 * Ranges that are not unicast host addresses (RFC 5735): "this network", loopback, link-local
 * (AWS uses 169.254.0.0/16 for the instance metadata and DNS endpoints), multicast and reserved.
 * No VPC can use them.
 */
export const NON_UNICAST_RANGES: Readonly<Record<string, string>> = {
  "0.0.0.0/8": "'this network'",
  "127.0.0.0/8": "loopback",
  "169.254.0.0/16": "link-local (instance metadata and the VPC DNS endpoint)",
  "224.0.0.0/4": "multicast",
  "240.0.0.0/4": "reserved",
};

/** The special range `block` touches, by its description, or undefined. */
export function nonUnicastRange(block: string): string | undefined {
  const hit = Object.entries(NON_UNICAST_RANGES).find(([range]) => cidrsOverlap(block, range));
  return hit ? `${hit[0]} (${hit[1]})` : undefined;
}
