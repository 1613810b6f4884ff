import { readFileSync } from "node:fs";
import { join } from "node:path";
import { referenceRows, renderConfigReference } from "../../docs-gen/configuration-reference";

describe("configuration reference", () => {
  it("docs/configuration.md is current (run `npm run docs:config` after changing the schema)", () => {
    const file = readFileSync(join(__dirname, "../../docs/configuration.md"), "utf8");
    expect(file).toBe(renderConfigReference());
  });

  it("describes every setting", () => {
    const undocumented = referenceRows().filter((r) => r.description.trim() === "");
    expect(undocumented.map((r) => r.path)).toEqual([]);
  });

  it("lists nested settings with their defaults", () => {
    const rows = referenceRows();
    expect(rows).toContainEqual(
      expect.objectContaining({ path: "failover.healthCheck.failureThreshold", default: "`3`" }),
    );
    expect(rows).toContainEqual(expect.objectContaining({ path: "project", default: "required" }));
  });
});
