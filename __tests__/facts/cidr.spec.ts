import {
  cidrsOverlap,
  cidrWithin,
  hasHostBits,
  isPrivate,
  networkAddress,
  nonUnicastRange,
  parseCidr,
} from "../../facts";

describe("CIDR facts", () => {
  it("parses IPv4 blocks and refuses anything else", () => {
    expect(parseCidr("10.1.0.0/16")).toEqual({ address: 10 * 2 ** 24 + 2 ** 16, prefix: 16 });
    expect(parseCidr("10.300.0.0/16")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("10.0.0.0")).toBeUndefined();
  });

  it("finds host bits and the network address", () => {
    expect(hasHostBits("10.30.0.0/16")).toBe(false);
    expect(hasHostBits("10.30.0.1/16")).toBe(true);
    expect(networkAddress("10.30.200.7/17")).toBe("10.30.128.0/17");
  });

  it("tells overlapping and nested blocks apart", () => {
    expect(cidrsOverlap("10.0.0.0/16", "10.0.128.0/17")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
    expect(cidrWithin("10.0.128.0/17", "10.0.0.0/16")).toBe(true);
    expect(cidrWithin("10.0.0.0/15", "10.0.0.0/16")).toBe(false);
  });

  it("knows the RFC 1918 ranges", () => {
    expect(isPrivate("172.31.0.0/16")).toBe(true);
    expect(isPrivate("172.32.0.0/16")).toBe(false);
    expect(isPrivate("100.64.0.0/16")).toBe(false);
  });

  it("names the special ranges no VPC can use", () => {
    expect(nonUnicastRange("10.0.0.0/16")).toBeUndefined();
    expect(nonUnicastRange("127.0.0.0/16")).toBe("127.0.0.0/8 (loopback)");
    expect(nonUnicastRange("224.1.0.0/16")).toBe("224.0.0.0/4 (multicast)");
  });
});
