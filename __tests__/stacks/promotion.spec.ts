import { configWith, listOf, synthApp } from "../helpers";

/** prod after `npm run dr -- promote`, once `failover.promoted: true` is applied. */
const { primary, failover } = synthApp(
  configWith((c) => ({ ...c, failover: { ...c.failover, promoted: true } }), "prod"),
);
const b = failover!;
const alarmNames = (json: typeof b) =>
  listOf(json, "aws_cloudwatch_metric_alarm").map((a) => String(a.alarm_name));

describe("after promotion (failover.promoted)", () => {
  it("fences region A out of DNS: the fence answers fenced", () => {
    expect(listOf(b, "aws_lb_listener_rule")[0].action).toEqual([
      {
        type: "fixed-response",
        fixed_response: { content_type: "text/plain", status_code: "200", message_body: "fenced" },
      },
    ]);
  });

  it("guards the plan against a promotion the repository does not know of, until it does", () => {
    const before = synthApp(configWith(undefined, "prod")).failover!;
    expect(Object.keys(before.data?.aws_db_instance ?? {})).toHaveLength(1);
    expect(b.data?.aws_db_instance).toBeUndefined();
    expect(b.data?.aws_db_instances).toBeUndefined();
  });

  it("never has Terraform promote the replica: dr does, and a stale state must not repeat it", () => {
    const before = synthApp(configWith(undefined, "prod")).failover!;
    for (const json of [before, b]) {
      expect(listOf(json, "aws_db_instance")[0].lifecycle).toEqual({
        // prod's deletion protection stays.
        prevent_destroy: true,
        ignore_changes: ["replicate_source_db"],
      });
    }
  });

  it("runs region A's service at zero tasks: the autoscaler's bounds are 0 to 0", () => {
    expect(listOf(primary, "aws_ecs_service")[0]).toMatchObject({ desired_count: 0 });
    // desired_count is ignored after creation; a maximum of 0 is what stops running tasks.
    expect(listOf(primary, "aws_appautoscaling_target")[0]).toMatchObject({
      min_capacity: 0,
      max_capacity: 0,
    });
  });

  it("makes B's instance a writer and points B's connection secret at it", () => {
    const [db] = listOf(b, "aws_db_instance");
    expect(db).not.toHaveProperty("replicate_source_db");
    expect(db).toMatchObject({
      engine: "postgres",
      engine_version: "16",
      multi_az: true,
      deletion_protection: true,
    });
    // A's backup copies stay: stopping their replication would wait on region A.
    expect(listOf(b, "aws_db_instance_automated_backups_replication")).toHaveLength(1);
    const id = Object.keys(b.resource!.aws_db_instance)[0];
    const secret = String(listOf(b, "aws_secretsmanager_secret_version")[0].secret_string);
    expect(secret).toContain(`"host" = aws_db_instance.${id}.address`);
    expect(secret).toContain(`"port" = aws_db_instance.${id}.port`);
    expect(secret).toContain(
      `@\${aws_db_instance.${id}.address}:\${aws_db_instance.${id}.port}/\${jsondecode(`,
    );
    expect(secret).not.toMatch(/\.host\b/);
  });

  it("scales B like A and waits for its service to be steady", () => {
    expect(listOf(b, "aws_appautoscaling_target")[0]).toMatchObject({
      min_capacity: 2,
      max_capacity: 6,
    });
    expect(listOf(b, "aws_ecs_service")[0].wait_for_steady_state).toBe(true);
  });

  it("alarms on B's writer, with no replica or takeover alarm, and on A without its slot alarms", () => {
    const names = alarmNames(b);
    expect(names).toContain("hello-you-prod-usw2-db-writer-cpu");
    expect(names.filter((n) => /replica-lag|takeover/.test(n))).toEqual([]);
    const a = alarmNames(primary);
    expect(a).toContain("hello-you-prod-use1-db-writer-cpu");
    expect(a.filter((n) => /-(rpo|transaction-logs)$/.test(n))).toEqual([]);
  });
});
