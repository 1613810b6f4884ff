import { configWarnings } from "../../stacks/warnings";
import { configWith } from "../helpers";

describe("synth warnings", () => {
  it("dev: no HTTPS, mutable tag, nobody subscribed; region B without DNS failover and without standby", () => {
    const dev = configWith();
    expect(configWarnings(dev, "primary")).toEqual([
      expect.stringMatching(/^no DNS zone .*plain HTTP/),
      expect.stringMatching(/^service.imageTag is "latest"/),
      expect.stringMatching(/^alarms.emails is empty/),
    ]);
    expect(configWarnings(dev, "failover")).toEqual([
      expect.stringMatching(/DNS failover is off/),
      expect.stringMatching(/^failover.standbyTasks is 0/),
    ]);
  });

  it("prod with an immutable tag raises nothing", () => {
    const prod = configWith(
      (c) => ({ ...c, service: { ...c.service, imageTag: "v1.4.2" } }),
      "prod",
    );
    expect(configWarnings(prod, "primary")).toEqual([]);
    expect(configWarnings(prod, "failover")).toEqual([]);
  });

  it("warns while a major version upgrade is allowed, naming the target and the way back", () => {
    const upgrading = configWith(
      (c) => ({
        ...c,
        service: { ...c.service, imageTag: "v1.4.2" },
        database: { ...c.database, engineVersion: "17", allowMajorVersionUpgrade: true },
      }),
      "prod",
    );
    expect(configWarnings(upgrading, "primary")).toEqual([
      expect.stringMatching(
        /^database.allowMajorVersionUpgrade is true: .*apply at once.*engineVersion 17.*back to false.*docs\/upgrades.md/,
      ),
    ]);
  });

  it("warns when there is no second region", () => {
    const alone = configWith(
      (c) => ({ ...c, failover: { ...c.failover, enabled: false } }),
      "prod",
    );
    expect(configWarnings(alone, "primary")).toContainEqual(
      expect.stringMatching(/^failover.enabled is false/),
    );
  });
});
