import { decode, encode, Tag } from "../../../harness/emulator/cbor";

describe("CBOR codec", () => {
  it.each([
    ["small int", 10, "0a"],
    ["uint8", 100, "1864"],
    ["uint16", 1000, "1903e8"],
    ["uint32", 1000000, "1a000f4240"],
    ["negative", -1000, "3903e7"],
    ["float64", 1.1, "fb3ff199999999999a"],
    ["text", "IETF", "6449455446"],
    ["false", false, "f4"],
    ["true", true, "f5"],
    ["null", null, "f6"],
    ["array", [1, [2, 3]], "8201820203"],
    ["map", { a: 1, b: [2, 3] }, "a26161016162820203"],
  ])("encodes and decodes %s as RFC 8949 appendix A does", (_name, value, hex) => {
    expect(encode(value).toString("hex")).toBe(hex);
    expect(decode(Buffer.from(hex, "hex"))).toEqual(value);
  });

  it("decodes what other encoders may send: half and single floats, indefinite lengths, byte strings", () => {
    expect(decode(Buffer.from("f93c00", "hex"))).toBe(1);
    expect(decode(Buffer.from("fa47c35000", "hex"))).toBe(100000);
    expect(decode(Buffer.from("9f018202039f0405ffff", "hex"))).toEqual([1, [2, 3], [4, 5]]);
    expect(decode(Buffer.from("bf61610161629f0203ffff", "hex"))).toEqual({ a: 1, b: [2, 3] });
    expect(decode(Buffer.from("7f657374726561646d696e67ff", "hex"))).toBe("streaming");
    expect(decode(Buffer.from("4401020304", "hex"))).toEqual(new Uint8Array([1, 2, 3, 4]));
  });

  it("reads epoch-time tag 1 as a Date and writes it back as tag 1 with a float", () => {
    expect(decode(Buffer.from("c11a514b67b0", "hex"))).toEqual(new Date(1363896240000));
    const bytes = encode(new Tag(1363896240.5, 1));
    expect(bytes.toString("hex")).toBe("c1fb41d452d9ec200000");
    expect(decode(bytes)).toEqual(new Date(1363896240500));
  });

  it("refuses truncated input and trailing bytes", () => {
    expect(() => decode(Buffer.from("1903", "hex"))).toThrow(/unexpected end/);
    expect(() => decode(Buffer.from("0a0b", "hex"))).toThrow(/after the item/);
  });
});
