import { type AppConfig, loadConfig } from "../../../config";
import { FENCE_RESPONSES, FENCE_SEARCH_STRING } from "../../../naming/recovery";
import { type DrContext, contextFor } from "../../../dr/context";
import { failbackPlan, formatFailbackPlan } from "../../../dr/failback/failback";
import { waitPromoted } from "../../../dr/failback/failback-commands";
import { curlProbe, regionAProbe } from "../../../dr/promote/probe";
import { configWith } from "../../helpers";

const textOf = (ctx: DrContext) => formatFailbackPlan(ctx, failbackPlan(ctx)).join("\n");
const prod = contextFor(loadConfig("prod"));
const plan = failbackPlan(prod);
const text = textOf(prod);
const lines = text.split("\n");

/** Index of the first printed line containing `part`; fails the spec when there is none. */
function at(part: string): number {
  const index = lines.findIndex((l) => l.includes(part));
  if (index < 0) throw new Error(`the plan has no line with ${part}`);
  return index;
}

/** Index of the printed command that is exactly `command`; fails the spec when there is none. */
function command(exact: string): number {
  const index = lines.indexOf(`   $ ${exact}`);
  if (index < 0) throw new Error(`the plan has no command ${exact}`);
  return index;
}

/** Every dotted path in `text` that starts with a top-level setting, such as failover.promoted. */
function settingPaths(text: string, config: AppConfig): string[] {
  const roots = Object.keys(config).join("|");
  const pattern = new RegExp(`\\b(?:${roots})(?:\\.[A-Za-z][A-Za-z0-9]*)+`, "g");
  return [...new Set(text.match(pattern) ?? [])];
}

/** Whether `path` names a setting of the validated config. */
function isSetting(config: AppConfig, path: string): boolean {
  let node: unknown = config;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

describe("dr failback --plan", () => {
  it("orders the steps: fence A, keep A's writer, rebuild it from B, stop B, promote A, lift the fence, adopt A's writer and bring A back, rebuild B", () => {
    expect(plan.map((s) => s.title)).toEqual([
      "Check the starting point",
      "Keep region A's tasks fenced",
      "Keep region A's old writer in a snapshot",
      "Replace region A's writer by a cross-region replica of region B's writer",
      "Maintenance window starts: stop writes in region B",
      "Promote region A's replica",
      "Lift the fence",
      "Adopt region A's writer in Terraform and bring region A's tasks back",
      "Rebuild region B's pilot light from region A",
    ]);
    expect(plan.every((s) => s.commands.length > 0 && s.checks.length > 0)).toBe(true);
    expect(text).toContain("Writes stop from step 5 to step 8");
  });

  it("mentions only settings that exist in the validated config, failover.promoted among them", () => {
    for (const ctx of [prod, contextFor(loadConfig("dev"))]) {
      const paths = settingPaths(textOf(ctx), ctx.config);
      expect(paths).toContain("failover.promoted");
      expect(paths.filter((p) => !isSetting(ctx.config, p))).toEqual([]);
    }
  });

  it("would catch a setting that does not exist, such as the old database.replicaSourceArn", () => {
    const paths = settingPaths("in prod.ts: database.replicaSourceArn: <arn>", prod.config);
    expect(paths).toEqual(["database.replicaSourceArn"]);
    expect(isSetting(prod.config, paths[0])).toBe(false);
  });

  it("keeps A fenced first, and snapshots A's old writer before anything deletes it", () => {
    expect(at("# in config/environments/prod.ts: failover.promoted: true")).toBeLessThan(
      at("DEPLOY_ENV=prod npx cdktf deploy primary"),
    );
    expect(
      at("create-db-snapshot --region us-east-1 --db-instance-identifier hello-you-prod-use1-db "),
    ).toBeLessThan(at("delete-db-instance --region us-east-1"));
  });

  it("deletes A's in-region replica, then A's old writer, then makes the writer's identifier a replica of B's writer", () => {
    const replicaGone = command(
      "aws rds wait db-instance-deleted --region us-east-1 --db-instance-identifier hello-you-prod-use1-db-replica",
    );
    const writerGone = command(
      "aws rds wait db-instance-deleted --region us-east-1 --db-instance-identifier hello-you-prod-use1-db",
    );
    expect(replicaGone).toBeLessThan(
      command(
        "aws rds delete-db-instance --region us-east-1 --db-instance-identifier hello-you-prod-use1-db --skip-final-snapshot",
      ),
    );
    expect(writerGone).toBeLessThan(at("create-db-instance-read-replica"));
    const create = lines[at("create-db-instance-read-replica")];
    expect(create).toContain("--region us-east-1 --db-instance-identifier hello-you-prod-use1-db ");
    expect(create).toContain('--source-db-instance-identifier "$B_ARN"');
    expect(lines[at("B_ARN=")]).toContain(
      "--region us-west-2 --db-instance-identifier hello-you-prod-usw2-db-replica",
    );
    expect(create).toContain("--kms-key-id alias/hello-you-prod-use1-main");
    expect(create).toContain("--db-subnet-group-name hello-you-prod-use1-db");
    expect(create).toContain('--vpc-security-group-ids "$A_DB_SG"');
    expect(lines[at("A_DB_SG=")]).toContain("Values=hello-you-prod-use1-db ");
    // RDS refuses a parameter group on a PostgreSQL cross-region replica's creation.
    expect(create).not.toContain("--db-parameter-group-name");
    expect(at("--db-parameter-group-name hello-you-prod-use1-db-pg16")).toBeGreaterThan(
      at("create-db-instance-read-replica"),
    );
  });

  it("warns not to apply the primary stack while A's writer is a replica, and never does so", () => {
    expect(plan[3].warning).toMatch(/do not deploy or apply the primary stack/);
    expect(plan[3].warning).toMatch(/promote the replica before region B stops writing/);
    const deploys = lines.filter((l) =>
      /cdktf deploy primary|-chdir=cdktf\.out\/stacks\/primary (apply|import)/.test(l),
    );
    expect(deploys.map((l) => lines.indexOf(l))).toEqual([
      at("DEPLOY_ENV=prod npx cdktf deploy primary"),
      at("stacks/primary import"),
      at("stacks/primary apply"),
      // Step 9 lists primary (unchanged by then) because cdktf deploys link only with it.
      at("DEPLOY_ENV=prod npx cdktf deploy primary failover link"),
    ]);
    expect(at("stacks/primary import")).toBeGreaterThan(at("promote-read-replica"));
  });

  it("stops B's writes, and proves A has them all, before promoting A", () => {
    const stopped = at(
      "update-service --region us-west-2 --cluster hello-you-prod-usw2-hello-you --service hello-you-prod-usw2-hello-you --desired-count 0",
    );
    expect(lines[at("register-scalable-target")]).toContain("--min-capacity 0 --max-capacity 0");
    expect(at("register-scalable-target")).toBeLessThan(stopped);
    const slotLag = lines.findIndex(
      (l, i) =>
        i > stopped &&
        l.includes(
          "OldestReplicationSlotLag --dimensions Name=DBInstanceIdentifier,Value=hello-you-prod-usw2-db-replica",
        ),
    );
    expect(slotLag).toBeGreaterThan(stopped);
    expect(slotLag).toBeLessThan(at("promote-read-replica"));
    expect(text).toContain(
      "aws rds promote-read-replica --region us-east-1 --db-instance-identifier hello-you-prod-use1-db --backup-retention-period 14 --preferred-backup-window 03:00-04:00",
    );
  });

  it("waits for a promotion by polling status and source, never by the available waiter", () => {
    const commands = plan.flatMap((s) => s.commands);
    const promotes = commands.flatMap((c, i) => (c.includes("promote-read-replica") ? [i] : []));
    expect(promotes.length).toBeGreaterThan(0);
    for (const i of promotes) {
      // The instance still reads available right after the call: that waiter returns at once.
      expect(commands[i + 1]).not.toContain("wait db-instance-available");
      expect(commands[i + 1]).toBe(waitPromoted("us-east-1", "hello-you-prod-use1-db"));
    }
    expect(commands[promotes[0] + 1]).toContain(
      `--query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text`,
    );
  });

  it("adopts A's writer in Terraform by its synthesized address and applies only a plan that deletes nothing", () => {
    expect(lines[at("A_WRITER=")]).toContain(
      `select(.value.identifier == "hello-you-prod-use1-db") | "aws_db_instance.\\(.key)"' cdktf.out/stacks/primary/cdk.tf.json`,
    );
    const order = [
      "# in config/environments/prod.ts: failover.promoted: false",
      "DEPLOY_ENV=prod npx cdktf synth",
      'stacks/primary state rm "$A_WRITER"',
      'stacks/primary import "$A_WRITER" hello-you-prod-use1-db',
      "stacks/primary plan -input=false -out=failback.tfplan",
      `select(.change.actions | index("delete"))`,
      "stacks/primary apply -input=false failback.tfplan",
    ].map(at);
    expect(order).toEqual([...order].sort((x, y) => x - y));
  });

  it("lifts the fence before A's tasks come back (A's enforcer holds them at zero while fenced), then checks A as the service over verified HTTPS, then Route53's answer", () => {
    const curl = curlProbe(regionAProbe(prod.config, '"$A_ALB"'));
    expect(curl).toContain(
      '--connect-to api.example.com:443:"$A_ALB":443 https://api.example.com/health',
    );
    expect(at("modify-rule")).toBeLessThan(at("stacks/primary apply"));
    expect(at("stacks/primary apply")).toBeLessThan(at(curl));
    expect(text).toContain("Listeners[?Port==`443`]");
    const { statusCode, body } = FENCE_RESPONSES.open;
    expect(text).toContain(
      `FixedResponseConfig={StatusCode=${statusCode},ContentType=text/plain,MessageBody=${body}}`,
    );
    const lift = plan.find((step) => step.title === "Lift the fence")!;
    // Open and fenced share a status: the check must name the body, and the why the word.
    expect(lift.checks[0]).toMatch(new RegExp(`^prints "${statusCode} ${body}"`));
    expect(lift.checks[0]).toContain(`${FENCE_RESPONSES.fenced.body} answers`);
    expect(lift.why).toContain(`does not say "${FENCE_SEARCH_STRING}"`);
    expect(lift.why).toContain("fence enforcer");
    expect(at("dig +short api.example.com")).toBeGreaterThan(at(curl));
    expect(text).not.toMatch(/curl [^\n]*(-k\b|--insecure)/);
  });

  it("rebuilds B by snapshot, delete and deploy, not -replace (prevent_destroy in prod)", () => {
    const order = [
      "modify-rule",
      "modify-db-instance --region us-west-2 --db-instance-identifier hello-you-prod-usw2-db-replica --no-deletion-protection",
      "create-db-snapshot --region us-west-2 --db-instance-identifier hello-you-prod-usw2-db-replica",
      "delete-db-instance --region us-west-2 --db-instance-identifier hello-you-prod-usw2-db-replica --skip-final-snapshot",
      `select(.value.identifier == "hello-you-prod-usw2-db-replica") | "aws_db_instance.\\(.key)"' cdktf.out/stacks/failover/cdk.tf.json`,
      'jq -r --arg a "$B_DB"',
      "DEPLOY_ENV=prod npx cdktf deploy primary failover link",
    ].map(at);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(lines.lastIndexOf("   $ npm run dr -- status --env prod")).toBeGreaterThan(
      order[order.length - 1],
    );
    expect(lines.filter((l) => l.startsWith("   $ ") && l.includes("-replace"))).toEqual([]);
  });

  it("never has the operator print the password", () => {
    const reads = lines.filter((l) => l.includes("get-secret-value"));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((l) => l.endsWith("--query SecretString --output text | jq -r .host"))).toBe(
      true,
    );
  });
});

describe("dr failback --plan in dev (no DNS zone, single-AZ, unprotected, no monitoring)", () => {
  const dev = contextFor(loadConfig("dev"));
  const devText = textOf(dev);
  const create =
    devText.split("\n").find((l) => l.includes("create-db-instance-read-replica")) ?? "";

  it("pins the single-AZ writer's zone and mirrors its unprotected, unmonitored settings", () => {
    expect(create).toContain("--no-multi-az --availability-zone us-east-1a");
    expect(create).toContain("--monitoring-interval 0 ");
    expect(create).toContain("--no-deletion-protection");
    expect(devText).not.toContain("A_MONITORING_ROLE");
    expect(devText).not.toContain(
      "modify-db-instance --region us-east-1 --db-instance-identifier hello-you-dev-use1-db --no-deletion-protection",
    );
  });

  it("checks A over plain HTTP on the fence's port 80 listener, with no DNS to dig", () => {
    expect(devText).toContain(curlProbe(regionAProbe(dev.config, '"$A_ALB"')));
    expect(devText).toContain('http://"$A_ALB"/health');
    expect(devText).toContain("Listeners[?Port==`80`]");
    expect(devText).not.toContain("dig ");
  });
});

describe("dr failback --plan without an in-region replica", () => {
  const ctx = contextFor(
    configWith((c) => ({ ...c, database: { ...c.database, readReplica: false } }), "prod"),
  );

  it("has nothing to delete or wait for but the writer", () => {
    expect(textOf(ctx)).not.toContain("hello-you-prod-use1-db-replica");
    expect(textOf(ctx)).toContain(
      "delete-db-instance --region us-east-1 --db-instance-identifier hello-you-prod-use1-db --skip-final-snapshot",
    );
  });
});
