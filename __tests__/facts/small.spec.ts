import {
  FARGATE_SPOT_ARCHITECTURES,
  dnsNameProblems,
  fargateMemoryOptions,
  isLogRetention,
} from "../../facts";

describe("Fargate sizes", () => {
  it("lists the memory options of each CPU size and none for others", () => {
    expect(fargateMemoryOptions(256)).toEqual([512, 1024, 2048]);
    expect(fargateMemoryOptions(8192)).toContain(61440);
    expect(fargateMemoryOptions(8192)).not.toContain(18432);
    expect(fargateMemoryOptions(300)).toBeUndefined();
  });

  it("runs both architectures on FARGATE_SPOT", () => {
    expect(FARGATE_SPOT_ARCHITECTURES).toEqual(["X86_64", "ARM64"]);
  });
});

describe("CloudWatch Logs retention", () => {
  it("accepts the listed values only", () => {
    expect(isLogRetention(14)).toBe(true);
    expect(isLogRetention(10)).toBe(false);
  });
});

describe("DNS names", () => {
  it("accepts host names and lists every rule a bad one breaks", () => {
    expect(dnsNameProblems("api.example.com")).toEqual([]);
    expect(dnsNameProblems("API.example.com.")).toEqual([
      "must be written without the final dot",
      "must be lower case",
    ]);
    expect(dnsNameProblems(`${"a".repeat(64)}.com`)).toEqual(["has a label over 63 characters"]);
    expect(dnsNameProblems("a_b.example.com")[0]).toMatch(/has label "a_b"/);
  });
});
