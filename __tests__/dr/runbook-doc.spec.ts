import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderDisasterRecovery } from "../../dr/runbook-doc";

describe("disaster-recovery runbook", () => {
  it("docs/disaster-recovery.md is current (run `npm run docs:dr`)", () => {
    expect(readFileSync(join(__dirname, "../../docs/disaster-recovery.md"), "utf8")).toBe(
      renderDisasterRecovery(),
    );
  });
});
