import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_RULES, RULES, WARNING_RULES } from "../../config/rules";
import { referenceRows } from "../../docs-gen/configuration-reference";

/** What docs/configuration.md shows of a rule's doc text (markdown kept as written). */
const reference = readFileSync(join(__dirname, "../../docs/configuration.md"), "utf8");
const rulesSection = reference.slice(
  reference.indexOf("## Rules across settings"),
  reference.indexOf("## Environment variables"),
);

describe("cross-field rules as data (config/rules.ts)", () => {
  it("gives every rule an id of its own, doc text and the settings it reads", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const incomplete = RULES.filter((r) => r.doc.trim() === "" || r.paths.length === 0);
    expect(incomplete.map((r) => r.id)).toEqual([]);
  });

  it("names only settings that exist, and mentions one of them in the doc text", () => {
    const settings = new Set(referenceRows().map((r) => r.path));
    const unknown = RULES.flatMap((r) => r.paths.filter((p) => !settings.has(p)));
    expect(unknown).toEqual([]);
    const silent = RULES.filter((r) => !r.paths.some((p) => r.doc.includes(`\`${p}`)));
    expect(silent.map((r) => r.id)).toEqual([]);
  });

  it("lists every rule, errors and warnings, in the rules section of docs/configuration.md", () => {
    const missing = RULES.filter((r) => !rulesSection.includes(`- ${r.doc}\n`));
    expect(missing.map((r) => r.id)).toEqual([]);
    expect(ERROR_RULES.length).toBeGreaterThan(0);
    expect(WARNING_RULES.length).toBeGreaterThan(0);
  });
});
