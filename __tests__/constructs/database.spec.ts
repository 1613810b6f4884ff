import { DatabaseInstance, type DatabaseInstanceProps } from "../../constructs/database-instance";
import {
  DatabaseReadReplica,
  type DatabaseReadReplicaProps,
} from "../../constructs/database-read-replica";
import { configWith, listOf, networkFixture, resourcesOf, synthJson } from "../helpers";

function build(patch: Partial<DatabaseInstanceProps> = {}, environment = "prod") {
  const { stack, naming, aws, key, network } = networkFixture();
  const database = new DatabaseInstance(stack, "database", {
    naming,
    settings: configWith(undefined, environment).database,
    kmsKey: key,
    aws,
    vpcId: network.vpcId,
    subnetIds: network.dataSubnetIds,
    availabilityZones: network.availabilityZones,
    ...patch,
  });
  return { stack, database, json: synthJson(stack) };
}

const SOURCE = "arn:aws:rds:us-east-1:123456789012:db:hello-you-prod-use1-db";

function buildReplica(patch: Partial<DatabaseReadReplicaProps> = {}) {
  const { stack, naming, aws, key, network } = networkFixture();
  const database = new DatabaseReadReplica(stack, "replica", {
    naming,
    settings: configWith(undefined, "prod").database,
    kmsKey: key,
    aws,
    vpcId: network.vpcId,
    subnetIds: network.dataSubnetIds,
    sourceArn: SOURCE,
    ...patch,
  });
  return { stack, database, json: synthJson(stack) };
}

const writerOf = (json: ReturnType<typeof synthJson>) =>
  Object.entries(resourcesOf(json, "aws_db_instance")).find(([id]) => id.includes("writer"))![1];
const replicaOf = (json: ReturnType<typeof synthJson>) =>
  Object.entries(resourcesOf(json, "aws_db_instance")).find(([id]) => id.includes("replica"))![1];

describe("DatabaseInstance (writer)", () => {
  it("is a hardened, encrypted, private PostgreSQL on gp3 with storage autoscaling", () => {
    const writer = writerOf(build().json);
    expect(writer).toMatchObject({
      engine: "postgres",
      engine_version: "16",
      storage_type: "gp3",
      allocated_storage: 20,
      max_allocated_storage: 200,
      storage_encrypted: true,
      kms_key_id: expect.stringContaining("aws_kms_key"),
      publicly_accessible: false,
      iam_database_authentication_enabled: true,
      multi_az: true,
      backup_retention_period: 14,
      backup_window: "03:00-04:00",
      maintenance_window: "sun:05:00-sun:06:00",
      performance_insights_enabled: true,
      performance_insights_kms_key_id: expect.stringContaining("aws_kms_key"),
      monitoring_interval: 60,
      monitoring_role_arn: expect.stringContaining("aws_iam_role"),
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      auto_minor_version_upgrade: true,
      copy_tags_to_snapshot: true,
      ca_cert_identifier: "rds-ca-rsa2048-g1",
    });
  });

  it("protects production data: deletion protection, final snapshot, prevent_destroy", () => {
    const writer = writerOf(build().json);
    expect(writer).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "hello-you-test-use1-db-final",
      lifecycle: { prevent_destroy: true },
    });
  });

  it("lets dev be destroyed", () => {
    const writer = writerOf(build({}, "dev").json);
    expect(writer).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(writer.lifecycle).toBeUndefined();
    expect(writer.monitoring_interval).toBe(0);
    expect(listOf(build({}, "dev").json, "aws_iam_role")).toHaveLength(1); // flow logs only
  });

  it("uses a generated URL-safe password that never appears as a literal", () => {
    const { json } = build();
    expect(writerOf(json).password).toMatch(/^\$\{random_password\..+\.result\}$/);
    expect(listOf(json, "random_password")[0]).toMatchObject({
      length: 32,
      special: true,
      override_special: "-_",
    });
  });

  it("forces TLS and logs slow statements, DDL and connections", () => {
    const params = listOf(build().json, "aws_db_parameter_group")[0];
    expect(params.family).toBe("postgres16");
    expect(params.parameter).toEqual(
      expect.arrayContaining([
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: "500" },
        { name: "log_statement", value: "ddl" },
        { name: "log_connections", value: "1" },
      ]),
    );
  });

  it("creates the exported log groups first, encrypted and with retention", () => {
    const { json } = build();
    const groups = listOf(json, "aws_cloudwatch_log_group").filter((g) =>
      String(g.name).startsWith("/aws/rds/"),
    );
    expect(groups.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        "/aws/rds/instance/hello-you-test-use1-db/postgresql",
        "/aws/rds/instance/hello-you-test-use1-db/upgrade",
      ]),
    );
    expect(
      groups.every(
        (g) => g.retention_in_days === 365 && String(g.kms_key_id).includes("aws_kms_key"),
      ),
    ).toBe(true);
    expect(writerOf(json).depends_on).toEqual(
      expect.arrayContaining([expect.stringContaining("aws_cloudwatch_log_group")]),
    );
  });

  it("adds an in-region replica in the second AZ, hardened the same way", () => {
    const replica = replicaOf(build().json);
    expect(replica).toMatchObject({
      replicate_source_db: expect.stringContaining("aws_db_instance.database_writer"),
      // The network's second zone, by name.
      availability_zone: "us-east-1b",
      storage_encrypted: true,
      publicly_accessible: false,
      performance_insights_enabled: true,
      deletion_protection: true,
      backup_retention_period: 14,
      skip_final_snapshot: true,
    });
    expect(replica).not.toHaveProperty("final_snapshot_identifier");
  });

  it("admits 5432 only through explicit rules and has no egress", () => {
    const { stack, database } = build();
    database.allowPostgresFrom("from-app", { securityGroupId: "sg-123" }, "from the app");
    database.allowPostgresFrom("from-peer", { cidr: "10.20.64.0/20" }, "from region B");
    const json = synthJson(stack);
    const sg = listOf(json, "aws_security_group")[0];
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(listOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({
        from_port: 5432,
        to_port: 5432,
        referenced_security_group_id: "sg-123",
      }),
      expect.objectContaining({ from_port: 5432, to_port: 5432, cidr_ipv4: "10.20.64.0/20" }),
    ]);
  });

  it("exposes writer and replica endpoints", () => {
    const { database } = build();
    expect(database.address).toMatch(/TfToken/);
    expect(database.replicaIdentifier).toBeDefined();
    expect(database.masterPassword).toBeDefined();
  });
});

describe("DatabaseReadReplica (cross-region replica)", () => {
  it("replicates from the source ARN with the local key and its own subnet group, without credentials", () => {
    const { json, database } = buildReplica();
    const [replica] = listOf(json, "aws_db_instance");
    expect(replica).toMatchObject({
      identifier: "hello-you-test-use1-db-replica",
      replicate_source_db: SOURCE,
      kms_key_id: expect.stringContaining("aws_kms_key"),
      db_subnet_group_name: expect.stringContaining("aws_db_subnet_group"),
      storage_encrypted: true,
      backup_retention_period: 14,
      deletion_protection: true,
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      skip_final_snapshot: true,
    });
    expect(replica).not.toHaveProperty("password");
    expect(replica).not.toHaveProperty("username");
    expect(listOf(json, "random_password")).toEqual([]);
    expect("masterPassword" in database).toBe(false);
    expect(listOf(json, "aws_security_group").map((g) => g.name)).toContain(
      "hello-you-test-use1-db-replica",
    );
  });

  it("runs the source's class unless given its own", () => {
    const classOf = (json: ReturnType<typeof synthJson>) =>
      listOf(json, "aws_db_instance")[0].instance_class;
    expect(classOf(buildReplica().json)).toBe(configWith(undefined, "prod").database.instanceClass);
    expect(classOf(buildReplica({ instanceClass: "db.r7g.large" }).json)).toBe("db.r7g.large");
  });

  it("once promoted, describes a standalone writer so Terraform stops treating it as a replica", () => {
    const [db] = listOf(buildReplica({ promoted: true }).json, "aws_db_instance");
    expect(db).not.toHaveProperty("replicate_source_db");
    expect(db).toMatchObject({
      engine: "postgres",
      engine_version: "16",
      multi_az: true,
      // Multi-AZ at once, not in the next maintenance window.
      apply_immediately: true,
      kms_key_id: expect.stringContaining("aws_kms_key"),
      skip_final_snapshot: false,
    });
    const [replica] = listOf(buildReplica({}).json, "aws_db_instance");
    expect(replica).not.toHaveProperty("apply_immediately");
  });

  it("rejects a source that is not an RDS instance ARN", () => {
    expect(() => buildReplica({ sourceArn: "hello-you-db" })).toThrow(
      'DatabaseReadReplica: sourceArn "hello-you-db" is not an RDS instance ARN',
    );
  });

  it("takes only an instance class RDS offers for the engine version", () => {
    expect(() => buildReplica({ instanceClass: "db.t2.micro" })).toThrow(
      'DatabaseReadReplica: instanceClass "db.t2.micro" is a previous-generation class',
    );
  });
});

describe("Database major version upgrade", () => {
  const upgrading = (engineVersion: "16" | "17", allowMajorVersionUpgrade: boolean) => ({
    ...configWith(undefined, "prod").database,
    engineVersion,
    allowMajorVersionUpgrade,
  });

  it("is refused by default: RDS rejects a new major without the flag, and nothing applies out of the window", () => {
    const { json } = build();
    for (const db of listOf(json, "aws_db_instance")) {
      expect(db).not.toHaveProperty("allow_major_version_upgrade");
      expect(db).not.toHaveProperty("apply_immediately");
    }
  });

  it("when allowed, upgrades the writer at once; the replica follows its writer", () => {
    const { json } = build({ settings: upgrading("17", true) });
    expect(writerOf(json)).toMatchObject({
      engine_version: "17",
      allow_major_version_upgrade: true,
      apply_immediately: true,
    });
    const replica = replicaOf(json);
    // RDS upgrades in-region replicas with the writer; Terraform updates the replica (its new
    // parameter group) only after the writer, because the replica references it.
    expect(replica).not.toHaveProperty("engine_version");
    expect(replica).not.toHaveProperty("allow_major_version_upgrade");
    expect(replica.replicate_source_db).toContain("aws_db_instance.database_writer");
  });

  it("gives each major its own parameter group, created before the old one is destroyed", () => {
    const groups = (["16", "17"] as const).map(
      (v) => listOf(build({ settings: upgrading(v, true) }).json, "aws_db_parameter_group")[0],
    );
    expect(groups.map((g) => [g.name, g.family])).toEqual([
      ["hello-you-test-use1-db-pg16", "postgres16"],
      ["hello-you-test-use1-db-pg17", "postgres17"],
    ]);
    for (const group of groups) expect(group.lifecycle).toEqual({ create_before_destroy: true });
    const { json } = build({ settings: upgrading("17", true) });
    for (const db of listOf(json, "aws_db_instance")) {
      expect(db.parameter_group_name).toMatch(
        /^\$\{aws_db_parameter_group\.database_params\w*\.name\}$/,
      );
    }
  });

  it("lets a promoted replica, now a writer, take the upgrade too", () => {
    const [db] = listOf(
      buildReplica({ settings: upgrading("17", true), promoted: true }).json,
      "aws_db_instance",
    );
    expect(db).toMatchObject({ engine_version: "17", allow_major_version_upgrade: true });
  });
});

describe("Database validation", () => {
  it("needs two subnets, writer and replica alike", () => {
    expect(() => build({ subnetIds: ["subnet-1"] })).toThrow(
      "DatabaseInstance: subnetIds has 1 subnet(s); RDS needs subnets in at least two AZs",
    );
    expect(() => buildReplica({ subnetIds: ["subnet-1"] })).toThrow(
      "DatabaseReadReplica: subnetIds has 1 subnet(s)",
    );
  });

  it("rejects a storage ceiling below the allocation", () => {
    const config = {
      ...configWith(undefined, "prod").database,
      allocatedStorage: 100,
      maxAllocatedStorage: 50,
    };
    expect(() => build({ settings: config })).toThrow(
      "DatabaseInstance: settings.maxAllocatedStorage 50 must be at least 110, 10 % above allocatedStorage 100",
    );
  });

  it("takes only instance classes RDS offers for the engine version (facts/rds.ts)", () => {
    const withClass = (instanceClass: string) => ({
      ...configWith(undefined, "prod").database,
      instanceClass,
    });
    expect(() => build({ settings: withClass("db.r8g.large") })).not.toThrow();
    expect(() => build({ settings: withClass("db.t2.micro") })).toThrow(
      'DatabaseInstance: settings.instanceClass "db.t2.micro" is a previous-generation class RDS does not offer for PostgreSQL 16',
    );
    const config = {
      ...configWith(undefined, "prod").database,
      replicaInstanceClass: "db.r7g.nano",
    };
    expect(() => build({ settings: config })).toThrow(
      'DatabaseInstance: settings.replicaInstanceClass "db.r7g.nano": db.r7g comes in large',
    );
  });
});
