import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const FACTS = join(__dirname, "../../facts");

describe("facts/", () => {
  it("imports nothing from the project but itself, so constructs and config can both use it", () => {
    const imports = readdirSync(FACTS)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((file) =>
        [...readFileSync(join(FACTS, file), "utf8").matchAll(/from "([^"]+)"/g)].map(
          ([, spec]) => `${file}: ${spec}`,
        ),
      );
    expect(imports.length).toBeGreaterThan(0);
    // Node built-ins are not the project (naming.ts hashes long names).
    expect(imports.filter((line) => !/: (\.\/[a-z-]+|node:[a-z]+)$/.test(line))).toEqual([]);
  });

  it("names a source for every fact file", () => {
    const unsourced = readdirSync(FACTS)
      .filter((f) => f.endsWith(".ts") && f !== "index.ts")
      .filter(
        (file) => !/(Source|https:\/\/|RFC \d+)/.test(readFileSync(join(FACTS, file), "utf8")),
      );
    expect(unsourced).toEqual([]);
  });
});
