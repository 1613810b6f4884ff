import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { NameCatalogue } from "../../naming/catalogue";
import { recoveryNames } from "../../naming/recovery";

const ROOT = join(__dirname, "..", "..");

/** Every TypeScript source under `dir`, relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/**
 * Derivations of the catalogue's names: a Naming call with the kind and suffix of an entry, or
 * the raw name parts. Anywhere but naming/catalogue.ts, each is a second derivation that can
 * drift from the first.
 */
const CATALOGUED = [
  /\.name\(\s*"(rdsInstance|dbSubnetGroup|dbParameterGroup|ecsCluster|ecsService|taskFamily|alb|targetGroup)"/,
  /\.name\(\s*"secret",\s*"database"/,
  /\.name\(\s*"generic",\s*"vpc"/,
  /\.name\(\s*"logGroup",\s*"recovery"/,
  /\.name\(\s*"securityGroup",\s*"db/,
  /\.name\(\s*"iamRole",\s*`?\$?\{?\w*-?monitoring/,
  /\.kmsAlias\(\s*"main"/,
  /\.bucketPrefix\(\s*"alb-logs"/,
  /dr\/primary-endpoint/,
  /\.name\(\s*"iamRole",\s*"dr-operator"/,
  /\.name\(\s*"ecrRepositoryPrefix"/,
  /ecr-pullthroughcache\/\$\{/,
];

describe("the name catalogue (naming/catalogue.ts)", () => {
  const a = NameCatalogue.of("hello-you", "prod", "us-east-1");
  const b = a.forRegion("us-west-2");

  it("derives each shared name once, per region", () => {
    expect(a.databaseInstance("db")).toBe("hello-you-prod-use1-db");
    expect(b.databaseInstance("db-replica")).toBe("hello-you-prod-usw2-db-replica");
    expect(a.databaseParameterGroup("db", "16")).toBe("hello-you-prod-use1-db-pg16");
    expect(a.keyAlias).toBe("alias/hello-you-prod-use1-main");
    expect(b.loadBalancer).toBe("hello-you-prod-usw2-alb");
    expect(b.auditLogGroup).toBe("/dr/hello-you-prod-usw2-recovery");
    expect(b.primaryEndpointParameter).toBe("/hello-you/prod/dr/primary-endpoint");
    expect(b.drOperatorRole).toBe("hello-you-prod-usw2-dr-operator");
    expect(b.imageCachePrefix).toBe("hello-you-prod-usw2-ghcr");
    expect(b.imageCacheSecret).toBe("ecr-pullthroughcache/hello-you-prod-usw2-ghcr");
  });

  it("is what the recovery tool reads", () => {
    const names = recoveryNames({
      project: "hello-you",
      environment: "prod",
      primaryRegion: "us-east-1",
      failoverRegion: "us-west-2",
      serviceName: "hello-you",
    });
    expect(names).toMatchObject({
      primaryDatabase: a.databaseInstance("db"),
      replica: b.databaseInstance("db-replica"),
      cluster: b.ecsCluster("hello-you"),
      targetGroup: b.targetGroup,
    });
  });

  it("is the only place that derives them: constructs, stacks, config and dr read it", () => {
    const files = ["constructs", "stacks", "config", "dr", "naming"]
      .flatMap(sources)
      .filter((file) => file !== join("naming", "catalogue.ts"));
    expect(files.length).toBeGreaterThan(50);
    const derivations = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), "utf8");
      return CATALOGUED.filter((pattern) => pattern.test(text)).map(
        (pattern) => `${relative(".", file)}: ${pattern.source}`,
      );
    });
    expect(derivations).toEqual([]);
  });

  it("leaves config and dr no Naming of their own: they name through the catalogue", () => {
    const direct = ["config", "dr"]
      .flatMap(sources)
      .filter((file) =>
        /new Naming\(|\bnaming\.(name|full|kmsAlias|bucketPrefix)\(/.test(
          readFileSync(join(ROOT, file), "utf8"),
        ),
      );
    expect(direct).toEqual([]);
  });
});
