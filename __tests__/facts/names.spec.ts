import {
  DYNAMODB_TABLE_NAME,
  EC2_INSTANCE_TYPE,
  OCI_IMAGE_WITH_REGISTRY,
  OCI_TAG,
  TAG_VALUE,
  TFC_ORGANIZATION_NAME,
  TFC_PROJECT_NAME,
  isGravitonInstanceType,
  postgresDatabaseProblem,
  postgresRoleProblem,
  rdsIdentifierProblem,
  s3BucketNameProblems,
} from "../../facts";

describe("S3 bucket names", () => {
  it("accepts a plain name", () => {
    expect(s3BucketNameProblems("acme-tf-state.eu")).toEqual([]);
  });

  it.each([
    ["ab", /is 2 characters \(3 to 63\)/],
    ["Acme_State", /only lower-case letters, digits, dots and hyphens/],
    ["-acme", /begin and end with a letter or digit/],
    ["acme..state", /two adjacent dots/],
    ["192.168.10.1", /must not look like an IP address/],
    ["xn--acme", /must not begin with "xn--"/],
    ["sthree-acme", /must not begin with "sthree-"/],
    ["acme-s3alias", /must not end with "-s3alias"/],
  ])("refuses %s", (name, rule) => {
    expect(s3BucketNameProblems(name)).toContainEqual(expect.stringMatching(rule));
  });
});

describe("other service names", () => {
  it("RDS identifiers: a letter first, no double or trailing hyphen", () => {
    expect(rdsIdentifierProblem("hello-you-prod-use1-db")).toBeUndefined();
    expect(rdsIdentifierProblem("1db")).toBe("must begin with a letter");
    expect(rdsIdentifierProblem("a--b")).toBe("must not hold two consecutive hyphens");
    expect(rdsIdentifierProblem("ab-")).toBe("must not end with a hyphen");
  });

  it("DynamoDB table names", () => {
    expect(DYNAMODB_TABLE_NAME.test("terraform-locks_v1.0")).toBe(true);
    expect(DYNAMODB_TABLE_NAME.test("tf")).toBe(false);
    expect(DYNAMODB_TABLE_NAME.test("tf locks")).toBe(false);
  });

  it("HCP Terraform organization and project names", () => {
    expect(TFC_ORGANIZATION_NAME.test("acme_corp-1")).toBe(true);
    expect(TFC_ORGANIZATION_NAME.test("acme corp")).toBe(false);
    expect(TFC_PROJECT_NAME.test("Hello You")).toBe(true);
    expect(TFC_PROJECT_NAME.test(" Hello")).toBe(false);
    expect(TFC_PROJECT_NAME.test("x".repeat(41))).toBe(false);
  });

  it("tag values", () => {
    expect(TAG_VALUE.test("git@github.com:acme/infra.git")).toBe(true);
    expect(TAG_VALUE.test("acme/infra#main")).toBe(false);
    expect(TAG_VALUE.test("x".repeat(257))).toBe(false);
  });

  it("EC2 instance types and their architecture", () => {
    for (const type of ["t4g.nano", "m7i-flex.large", "c7gn.16xlarge", "r7iz.metal-16xl"]) {
      expect(EC2_INSTANCE_TYPE.test(type)).toBe(true);
    }
    for (const type of ["big", "t4g", "t4g.huge", "T3.micro"]) {
      expect(EC2_INSTANCE_TYPE.test(type)).toBe(false);
    }
    expect(isGravitonInstanceType("c8gd.large")).toBe(true);
    expect(isGravitonInstanceType("m7i.large")).toBe(false);
  });

  it("image references", () => {
    expect(OCI_TAG.test("sha-1a2b3c4")).toBe(true);
    expect(OCI_TAG.test(".hidden")).toBe(false);
    expect(OCI_TAG.test("x".repeat(129))).toBe(false);
    expect(OCI_IMAGE_WITH_REGISTRY.test("ghcr.io/diogo-pessoa/hello-you-api")).toBe(true);
    expect(OCI_IMAGE_WITH_REGISTRY.test("localhost:5000/a__b/c")).toBe(true);
    for (const bad of ["ghcr.io/app/", "ghcr.io/App", "ghcr.io/app:1.0", "app"]) {
      expect(OCI_IMAGE_WITH_REGISTRY.test(bad)).toBe(false);
    }
  });
});

describe("PostgreSQL names", () => {
  it("master user: refuses reserved roles, pg_ names and key words", () => {
    expect(postgresRoleProblem("helloyou")).toBeUndefined();
    expect(postgresRoleProblem("Postgres")).toMatch(/reserved by RDS or PostgreSQL/);
    expect(postgresRoleProblem("rdsadmin")).toMatch(/reserved by RDS or PostgreSQL/);
    expect(postgresRoleProblem("public")).toMatch(/reserved by RDS or PostgreSQL/);
    expect(postgresRoleProblem("pg_monitor2")).toMatch(/begins with "pg_"/);
    expect(postgresRoleProblem("SELECT")).toMatch(/reserved SQL key word/);
  });

  it("database: refuses the databases RDS has and key words", () => {
    expect(postgresDatabaseProblem("helloyou")).toBeUndefined();
    expect(postgresDatabaseProblem("template0")).toMatch(/already exists/);
    expect(postgresDatabaseProblem("table")).toMatch(/reserved SQL key word/);
  });
});
