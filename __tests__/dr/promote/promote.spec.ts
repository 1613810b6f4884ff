import { FENCE_RESPONSES } from "../../../naming/recovery";
import { scalableResourceId } from "../../../dr/aws/aws";
import { fenceResponse } from "../../../dr/promote/fence";
import { PROMOTE_STEPS } from "../../../dr/promote/steps";
import { detailOf, harness, outcomes } from "../harness";

/** Steps that only look: every run reports them "checked". */
const CHECKS = ["confirm-primary-down", "check-primary-writer", "report-loss"];
const checked = Object.fromEntries(CHECKS.map((id) => [id, "checked"]));

const ALL_DONE = {
  "confirm-primary-down": "checked",
  "check-primary-writer": "checked",
  "set-fence": "done",
  "report-loss": "checked",
  "promote-replica": "done",
  "make-multi-az": "done",
  "repoint-secret": "done",
  "raise-capacity": "done",
  redeploy: "done",
  "wait-serving": "done",
};

describe("dr promote", () => {
  it("takes region B from pilot light to serving writer", async () => {
    const h = harness();
    const result = await h.run();
    expect(result.ok).toBe(true);
    expect(outcomes(result)).toEqual(ALL_DONE);
    const n = h.ctx.names;
    expect(h.aws.rules[0].fixedResponse).toEqual({
      ...FENCE_RESPONSES.fenced,
      contentType: "text/plain",
    });
    // Multi-AZ is asked for last, once B serves: RDS is adding the standby.
    expect(h.aws.db).toMatchObject({ status: "modifying", source: undefined });
    expect(h.aws.changes).toContain(`promote ${n.replica} 14`);
    expect(h.aws.secretStore.get(n.failoverConnectionSecret)?.value).toBe(
      '{"dbname":"helloyou","engine":"postgres","host":"hello-you-prod-usw2-db-replica.abc.us-west-2.rds.amazonaws.com","password":"p-4ss_w0rd","port":5432,"url":"postgresql://helloyou:p-4ss_w0rd@hello-you-prod-usw2-db-replica.abc.us-west-2.rds.amazonaws.com:5432/helloyou","username":"helloyou"}',
    );
    // prod scales between 2 and 6 with 2 desired; the pilot light ran 1.
    expect(h.aws.scalable.get(scalableResourceId(n.cluster, n.service))).toEqual({
      min: 2,
      max: 6,
    });
    expect(h.aws.svc?.desiredCount).toBe(2);
    expect(h.aws.svc?.deployments).toHaveLength(1);
    expect(h.aws.svc?.deployments[0]).toMatchObject({ status: "PRIMARY", runningCount: 2 });
    expect(h.lines.some((l) => l.includes("waiting for"))).toBe(true);
  });

  it("changes nothing when run again, and says every step is already done", async () => {
    const h = harness();
    await h.run();
    const before = [...h.aws.changes];
    const again = await h.run();
    expect(again.ok).toBe(true);
    expect(h.aws.changes).toEqual(before);
    expect(outcomes(again)).toEqual({
      ...Object.fromEntries(Object.keys(ALL_DONE).map((k) => [k, "already done"])),
      ...checked,
    });
  });

  it.each(PROMOTE_STEPS.map((step, i) => [step.id, i] as const))(
    "step %s is idempotent: run up to it twice, the second run changes nothing",
    async (id, i) => {
      const h = harness();
      const steps = PROMOTE_STEPS.slice(0, i + 1);
      expect((await h.run({}, steps)).ok).toBe(true);
      const before = [...h.aws.changes];
      const again = await h.run({}, steps);
      expect(h.aws.changes).toEqual(before);
      expect(outcomes(again)[id]).toBe(CHECKS.includes(id) ? "checked" : "already done");
    },
  );

  it("resumes after a failure at PutSecretValue: the re-run skips what is done and completes the rest", async () => {
    const h = harness();
    h.aws.failNext.set("putSecretValue", new Error("AccessDeniedException: not allowed"));
    const first = await h.run();
    expect(first.ok).toBe(false);
    expect(outcomes(first)).toEqual({
      ...checked,
      "set-fence": "done",
      "promote-replica": "done",
      "repoint-secret": "failed",
    });
    expect(detailOf(first, "repoint-secret")).toContain("AccessDeniedException");
    const changesBefore = h.aws.changes.length;
    const second = await h.run();
    expect(second.ok).toBe(true);
    expect(outcomes(second)).toEqual({
      ...ALL_DONE,
      "set-fence": "already done",
      "promote-replica": "already done",
    });
    const secondChanges = h.aws.changes.slice(changesBefore);
    expect(secondChanges.some((c) => c.startsWith("modifyRule") || c.startsWith("promote"))).toBe(
      false,
    );
    expect(secondChanges.map((c) => c.split(" ")[0])).toEqual([
      "putSecretValue",
      "registerScalableTarget",
      "updateService",
      "updateService",
      "makeMultiAz",
    ]);
  });

  it("starts B's new tasks before asking for Multi-AZ, which may wait for the promoted writer's first backup", () => {
    const order = PROMOTE_STEPS.map((s) => s.id);
    const at = (id: string) => order.indexOf(id);
    expect(at("promote-replica")).toBeLessThan(at("repoint-secret"));
    expect(at("repoint-secret")).toBeLessThan(at("redeploy"));
    expect(at("wait-serving")).toBeLessThan(at("make-multi-az"));
  });

  it("keeps waiting, without asking twice, when a promotion is already under way", async () => {
    const h = harness();
    if (h.aws.db) h.aws.db.status = "modifying";
    h.aws.promotionPolls = 2;
    const result = await h.run();
    expect(result.ok).toBe(true);
    expect(h.aws.changes.filter((c) => c.startsWith("promote"))).toEqual([]);
  });

  it("dry run: inspects every step, plans, and changes nothing", async () => {
    const h = harness();
    const result = await h.run({ dryRun: true });
    expect(result.ok).toBe(true);
    expect(h.aws.changes).toEqual([]);
    expect(outcomes(result)).toEqual({
      ...Object.fromEntries(Object.keys(ALL_DONE).map((k) => [k, "planned"])),
      ...checked,
    });
    const plan = result.timeline.map((t) => t.detail).join("\n");
    expect(plan).toContain(`promote ${h.ctx.names.replica}`);
    expect(plan).toContain("force a new deployment once");
    expect(h.lines.some((l) => l.startsWith("  would "))).toBe(true);
  });

  it("dry run after a complete run plans nothing", async () => {
    const h = harness();
    await h.run();
    const result = await h.run({ dryRun: true });
    expect(Object.values(outcomes(result)).filter((o) => o === "planned")).toEqual([]);
  });

  it("refuses when region A still answers 2xx, changing nothing", async () => {
    const h = harness();
    h.setPrimaryUp(true);
    const result = await h.run();
    expect(result.ok).toBe(false);
    expect(outcomes(result)).toEqual({ "confirm-primary-down": "refused" });
    expect(result.timeline[0].detail).toContain("region A still serves");
    expect(result.timeline[0].detail).toContain("--force");
    expect(h.aws.changes).toEqual([]);
  });

  it("resumes without --force when region A answers again after an earlier run promoted B", async () => {
    const h = harness();
    h.aws.failNext.set("putSecretValue", new Error("throttled"));
    await h.run();
    h.setPrimaryUp(true);
    const result = await h.run();
    expect(result.ok).toBe(true);
    expect(result.timeline[0].detail).toContain("region B's database is already the writer");
  });

  it("says what the fence answers from the contract (naming/recovery.ts), in plan and result", async () => {
    const { statusCode, body } = FENCE_RESPONSES.fenced;
    const said = `answer ${statusCode} "${body}" on`;
    const h = harness();
    const planned = await h.run({ dryRun: true });
    expect(detailOf(planned, "set-fence")).toContain(said);
    const done = await h.run();
    expect(detailOf(done, "set-fence")).toMatch(new RegExp(`answers ${statusCode} "${body}"$`));
    const again = await h.run();
    expect(detailOf(again, "set-fence")).toMatch(new RegExp(`answers ${statusCode} "${body}"$`));
    expect(h.aws.changes).toContain(`modifyRule arn:rule/fence ${statusCode} ${body}`);
  });

  it("sets the fence over an open rule that has the fenced status (the body decides)", async () => {
    const h = harness();
    h.aws.rules[0] = {
      ...h.aws.rules[0],
      fixedResponse: { ...fenceResponse("open"), statusCode: FENCE_RESPONSES.fenced.statusCode },
    };
    const result = await h.run(
      {},
      PROMOTE_STEPS.filter((step) => step.id === "set-fence"),
    );
    expect(outcomes(result)["set-fence"]).toBe("done");
    expect(h.aws.rules[0].fixedResponse).toEqual(fenceResponse("fenced"));
  });

  it("resumes without --force when region A answers again after an earlier run set the fence but the promotion call failed", async () => {
    const h = harness();
    h.aws.failNext.set("promote", new Error("ThrottlingException: rate exceeded"));
    expect(outcomes(await h.run())["promote-replica"]).toBe("failed");
    expect(h.aws.db).toMatchObject({ status: "available" });
    expect(h.aws.db?.source).toBeDefined();
    h.setPrimaryUp(true);
    const result = await h.run();
    expect(result.ok).toBe(true);
    expect(result.timeline[0].detail).toContain(
      `but the fence already answers ${FENCE_RESPONSES.fenced.statusCode} "${FENCE_RESPONSES.fenced.body}" (an earlier run set it)`,
    );
  });

  it("resumes without --force when region A answers again while the promotion is under way", async () => {
    const h = harness();
    // The first run asks RDS to promote, then times out at the first poll.
    const first = await h.run({ timeoutMs: 1 });
    expect(outcomes(first)["promote-replica"]).toBe("failed");
    expect(h.aws.db).toMatchObject({ status: "modifying" });
    expect(h.aws.db?.source).toBeDefined();
    h.setPrimaryUp(true);
    const result = await h.run();
    expect(result.ok).toBe(true);
    expect(outcomes(result)["confirm-primary-down"]).toBe("checked");
    expect(result.timeline[0].detail).toContain(
      `${h.ctx.names.replica} is modifying, promotion under way): going on`,
    );
    expect(h.aws.changes.filter((c) => c.startsWith("promote"))).toHaveLength(1);
  });

  it("still refuses when region A answers and the replica is busy but the fence is open: busy is not a promotion", async () => {
    const h = harness();
    // Maintenance, not a promotion: RDS says modifying, the replica still has its source.
    if (h.aws.db) h.aws.db.status = "modifying";
    h.aws.promotionPolls = 0;
    h.setPrimaryUp(true);
    const result = await h.run();
    expect(outcomes(result)).toEqual({ "confirm-primary-down": "refused" });
    expect(result.timeline[0].detail).toContain("region A still serves");
    expect(result.timeline[0].detail).toContain(
      `${h.ctx.names.replica} reads modifying while the fence is not set`,
    );
    expect(h.aws.changes).toEqual([]);
  });

  it("promotes anyway with --force when region A answers", async () => {
    const h = harness();
    h.setPrimaryUp(true);
    const result = await h.run({ force: true });
    expect(result.ok).toBe(true);
    expect(result.timeline[0].detail).toContain("--force given");
  });

  it("probes A's ALB as the service over HTTPS with a DNS zone (prod), over HTTP without (dev)", async () => {
    const alb = "a-alb-456.us-east-1.elb.amazonaws.com";
    const prod = harness("prod");
    await prod.run({ dryRun: true });
    expect(prod.probed).toEqual([
      { connectTo: alb, protocol: "https:", serverName: "api.example.com", path: "/health" },
    ]);
    const dev = harness("dev");
    await dev.run({ dryRun: true });
    expect(dev.probed).toEqual([
      { connectTo: alb, protocol: "http:", serverName: alb, path: "/health" },
    ]);
  });

  it("refuses without region A's endpoint parameter unless --force, saying why", async () => {
    const h = harness();
    h.aws.parameters_.clear();
    const refused = await h.run();
    expect(outcomes(refused)).toEqual({ "confirm-primary-down": "refused" });
    expect(refused.timeline[0].detail).toContain(
      `SSM parameter ${h.ctx.names.primaryEndpointParameter} is missing`,
    );
    const forced = await h.run({ force: true });
    expect(forced.ok).toBe(true);
    expect(forced.timeline[0].detail).toMatch(/^not checked: .*--force given$/);
  });

  it("refuses to modify a priority-1 rule that is not the fence", async () => {
    const h = harness();
    h.aws.rules[0] = { ...h.aws.rules[0], pathPatterns: ["/api/*"] };
    const result = await h.run();
    expect(outcomes(result)["set-fence"]).toBe("failed");
    expect(detailOf(result, "set-fence")).toContain("is not the fence");
    expect(h.aws.changes).toEqual([]);
  });

  it("fails with the fix when the load balancer is missing", async () => {
    const h = harness();
    h.aws.hasLoadBalancer = false;
    const result = await h.run();
    expect(detailOf(result, "set-fence")).toBe(
      `fence: load balancer ${h.ctx.names.loadBalancer} not found in us-west-2; the failover stack creates it (naming/recovery.ts): deploy failover`,
    );
  });

  it("times out naming what it waited for and how to go on", async () => {
    const h = harness();
    h.aws.promotionPolls = 0;
    h.aws.database.promote = async () => {};
    const result = await h.run({ timeoutMs: 60_000 });
    expect(outcomes(result)["promote-replica"]).toBe("failed");
    expect(detailOf(result, "promote-replica")).toMatch(
      /^timed out after 60 s waiting for .*re-run/,
    );
  });

  it("never prints the password", async () => {
    const h = harness();
    const result = await h.run();
    const printed = [...h.lines, ...result.timeline.map((t) => t.detail)].join("\n");
    expect(printed).not.toContain("p-4ss_w0rd");
  });
});
