/**
 * The failback plan names what the stacks build: each name and each argument of the replica it
 * creates in region A is compared with the synthesized primary and failover stacks, so that a
 * change in a construct fails here rather than in a failback.
 */
import { contextFor } from "../../../dr/context";
import { failbackPlan, formatFailbackPlan } from "../../../dr/failback/failback";
import { regionANames } from "../../../dr/failback/failback-names";
import { type SynthJson, buildTestStacks, configWith, resourcesOf, synthJson } from "../../helpers";

/** The value after `--flag` in a command line, or true for a bare flag, or undefined. */
function flag(line: string, name: string): string | true | undefined {
  const words = line.split(" ");
  const i = words.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = words[i + 1];
  return next === undefined || next.startsWith("--") ? true : next;
}

/** The id of the one resource of `type` whose `field` is `value`; fails on none or several. */
function idOf(json: SynthJson, type: string, field: string, value: unknown): string {
  const ids = Object.entries(resourcesOf(json, type))
    .filter(([, r]) => r[field] === value)
    .map(([id]) => id);
  expect([type, value, ids.length]).toEqual([type, value, 1]);
  return ids[0];
}

/** A Terraform reference to `attribute` of that resource, as the synthesized JSON writes it. */
const ref = (json: SynthJson, type: string, name: string, attribute: string) =>
  `\${${type}.${idOf(json, type, "name", name)}.${attribute}}`;

describe.each(["prod", "dev"])("failback names in %s match the synthesized stacks", (env) => {
  const config = configWith(undefined, env);
  const ctx = contextFor(config);
  const stacks = buildTestStacks(config);
  const primary = synthJson(stacks.primary);
  const failover = synthJson(stacks.failover!);
  const a = regionANames(ctx);
  const lines = formatFailbackPlan(ctx, failbackPlan(ctx)).join("\n").split("\n");
  const create = lines.find((l) => l.includes("create-db-instance-read-replica")) ?? "";
  const writer = resourcesOf(primary, "aws_db_instance")[
    idOf(primary, "aws_db_instance", "identifier", a.writer)
  ];

  it("names the writer, and the groups, key and role the stack gives it", () => {
    expect(a.writer).toBe(ctx.names.primaryDatabase);
    expect(writer.db_subnet_group_name).toBe(
      ref(primary, "aws_db_subnet_group", a.subnetGroup, "name"),
    );
    expect(writer.parameter_group_name).toBe(
      ref(primary, "aws_db_parameter_group", a.parameterGroup, "name"),
    );
    expect(writer.vpc_security_group_ids).toEqual([
      ref(primary, "aws_security_group", a.securityGroup, "id"),
    ]);
    const alias = resourcesOf(primary, "aws_kms_alias")[
      idOf(primary, "aws_kms_alias", "name", a.kmsAlias)
    ];
    const key = String(alias.target_key_id).replace(/\.key_id\}$/, ".arn}");
    expect(writer.kms_key_id).toBe(key);
    expect(writer.performance_insights_kms_key_id).toBe(key);
    expect(writer.monitoring_role_arn).toBe(
      a.monitoringRole ? ref(primary, "aws_iam_role", a.monitoringRole, "arn") : undefined,
    );
  });

  it("names the in-region replica, A's service and A's connection secret", () => {
    if (a.replica) idOf(primary, "aws_db_instance", "identifier", a.replica);
    idOf(primary, "aws_ecs_cluster", "name", a.cluster);
    idOf(primary, "aws_ecs_service", "name", a.service);
    idOf(primary, "aws_secretsmanager_secret", "name", a.connectionSecret);
  });

  it("finds one aws_db_instance per identifier, so the plan's jq lookups give one address each", () => {
    idOf(failover, "aws_db_instance", "identifier", ctx.names.replica);
    for (const id of [a.writer, ctx.names.replica]) {
      expect(lines.some((l) => l.includes(`select(.value.identifier == "${id}")`))).toBe(true);
    }
  });

  it("creates A's new writer with the writer's own settings", () => {
    expect(flag(create, "db-instance-identifier")).toBe(a.writer);
    expect(flag(create, "db-instance-class")).toBe(writer.instance_class);
    expect(flag(create, "storage-type")).toBe(writer.storage_type);
    expect(Number(flag(create, "max-allocated-storage"))).toBe(writer.max_allocated_storage);
    expect(flag(create, "ca-certificate-identifier")).toBe(writer.ca_cert_identifier);
    expect(Number(flag(create, "performance-insights-retention-period"))).toBe(
      writer.performance_insights_retention_period,
    );
    expect(Number(flag(create, "monitoring-interval"))).toBe(writer.monitoring_interval);
    expect(flag(create, "availability-zone")).toBe(writer.availability_zone);
    expect(flag(create, "kms-key-id")).toBe(a.kmsAlias);
    expect(flag(create, "performance-insights-kms-key-id")).toBe(a.kmsAlias);
    expect(flag(create, "db-subnet-group-name")).toBe(a.subnetGroup);
    const exports = create.split("--enable-cloudwatch-logs-exports ")[1]?.split(" --")[0];
    expect(exports?.split(" ")).toEqual(writer.enabled_cloudwatch_logs_exports);
    const switches: [unknown, string][] = [
      [writer.multi_az, "multi-az"],
      [writer.deletion_protection, "deletion-protection"],
      [writer.publicly_accessible, "publicly-accessible"],
      [writer.iam_database_authentication_enabled, "enable-iam-database-authentication"],
      [writer.copy_tags_to_snapshot, "copy-tags-to-snapshot"],
      [writer.auto_minor_version_upgrade, "auto-minor-version-upgrade"],
      [writer.performance_insights_enabled, "enable-performance-insights"],
    ];
    for (const [on, name] of switches) {
      const [given, opposite] = on ? [name, `no-${name}`] : [`no-${name}`, name];
      expect([given, flag(create, given), flag(create, opposite)]).toEqual([
        given,
        true,
        undefined,
      ]);
    }
  });

  it("promotes it with the writer's backup settings", () => {
    const promote = lines.find((l) => l.includes("promote-read-replica")) ?? "";
    expect(Number(flag(promote, "backup-retention-period"))).toBe(writer.backup_retention_period);
    expect(flag(promote, "preferred-backup-window")).toBe(writer.backup_window);
  });
});
