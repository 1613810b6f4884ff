import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const CONSTRUCTS = join(__dirname, "../../constructs");

describe("constructs/", () => {
  it("imports nothing from config/, dr/, harness/, docs-gen/, stacks/ or scripts/: props are in construct terms", () => {
    const imports = readdirSync(CONSTRUCTS)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((file) =>
        [...readFileSync(join(CONSTRUCTS, file), "utf8").matchAll(/from "([^"]+)"/g)].map(
          ([, spec]) => `${file}: ${spec}`,
        ),
      );
    expect(imports.some((line) => line.endsWith(": ../facts"))).toBe(true);
    expect(
      imports.filter((line) =>
        /: \.\.\/(config|dr|harness|docs-gen|stacks|scripts)(\/|$)/.test(line),
      ),
    ).toEqual([]);
  });
});
