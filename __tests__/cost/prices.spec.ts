import {
  EC2_INSTANCE_HOUR,
  PRICED_REGIONS,
  PRICES,
  PRICES_AS_OF,
  type Price,
  RDS_INSTANCE_HOUR,
} from "../../cost/prices";

const all: [string, Price][] = [
  ...Object.entries(PRICES),
  ...Object.entries(RDS_INSTANCE_HOUR),
  ...Object.entries(EC2_INSTANCE_HOUR),
];

describe("price table", () => {
  it.each(all)(
    "%s has a unit, a positive figure per region, an AWS source page and a date",
    (_k, p) => {
      expect(p.unit).toMatch(/\w/);
      for (const region of PRICED_REGIONS) expect(p.usd[region]).toBeGreaterThan(0);
      expect(Object.keys(p.usd).sort()).toEqual([...PRICED_REGIONS].sort());
      expect(p.source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9/-]+\/$/);
      expect(p.asOf).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(Number.isNaN(Date.parse(p.asOf))).toBe(false);
    },
  );

  it("dates the table as a whole", () => {
    expect(all.every(([, p]) => p.asOf <= PRICES_AS_OF)).toBe(true);
  });

  it("prices Multi-AZ-ready RDS classes for every class the environments use", () => {
    expect(Object.keys(RDS_INSTANCE_HOUR)).toEqual(
      expect.arrayContaining(["db.t4g.micro", "db.t4g.small"]),
    );
  });
});
