import { subnetLayout } from "../../constructs/subnet-layout";

describe("subnetLayout", () => {
  it("carves /20 tiers from a /16, one subnet per AZ, in fixed slots", () => {
    expect(subnetLayout("10.10.0.0/16", 3)).toEqual({
      public: ["10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"],
      app: ["10.10.64.0/20", "10.10.80.0/20", "10.10.96.0/20"],
      data: ["10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"],
    });
  });

  it("keeps slots stable when the AZ count changes", () => {
    const two = subnetLayout("10.10.0.0/16", 2);
    const three = subnetLayout("10.10.0.0/16", 3);
    expect(three.app.slice(0, 2)).toEqual(two.app);
    expect(three.data.slice(0, 2)).toEqual(two.data);
  });

  it("works for the smallest allowed block and normalises host bits", () => {
    expect(subnetLayout("10.1.4.0/22", 2).data).toEqual(["10.1.6.0/26", "10.1.6.64/26"]);
    expect(subnetLayout("10.10.5.0/16", 2).public[0]).toBe("10.10.0.0/20");
  });

  it.each([
    ["10.0.0.0", 2, /is not an IPv4 CIDR block/],
    ["10.0.300.0/16", 2, /is not an IPv4 CIDR block/],
    ["10.0.0.0/24", 2, /must be a \/16 to \/22 block/],
    ["10.0.0.0/16", 4, /azCount 4 must be 2 or 3/],
  ])("rejects %s with %s AZs", (cidr, azs, message) => {
    expect(() => subnetLayout(cidr, azs)).toThrow(message);
  });
});
