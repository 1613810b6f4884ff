import { loadConfig } from "../../../config";
import { contextFor } from "../../../scripts/dr/context";
import { failbackPlan, formatFailbackPlan } from "../../../scripts/dr/failback";

describe("dr failback --plan", () => {
  const ctx = contextFor(loadConfig("prod"));
  const plan = failbackPlan(ctx);
  const text = formatFailbackPlan(ctx, plan).join("\n");

  it("orders the steps: rebuild A as a replica, stop B, promote A, repoint, lift the fence, rebuild B", () => {
    expect(plan.map((s) => s.title)).toEqual([
      "Check the starting point",
      "Set region A's old writer aside",
      "Rebuild region A's writer as a cross-region replica of region B's",
      "Maintenance window starts: stop writes in region B",
      "Promote region A's replica",
      "Repoint region A's connection secret at its writer and restart region A's tasks",
      "Lift the fence",
      "Rebuild the pilot light in region B from region A",
    ]);
    expect(plan.every((s) => s.commands.length > 0 && s.checks.length > 0)).toBe(true);
  });

  it("uses the environment's real names and regions", () => {
    expect(text).toContain(
      "aws rds promote-read-replica --region us-east-1 --db-instance-identifier hello-you-prod-use1-db --backup-retention-period 14",
    );
    expect(text).toContain(
      "aws ecs update-service --region us-west-2 --cluster hello-you-prod-usw2-hello-you --service hello-you-prod-usw2-hello-you --desired-count 0",
    );
    expect(text).toContain("--names hello-you-prod-usw2-alb");
    expect(text).toContain("DEPLOY_ENV=prod npx cdktf deploy primary");
    expect(text).toContain("# in config/environments/prod.ts: failover.promoted: false");
  });

  it("lifts the fence with the open answer on the HTTPS listener when there is a DNS zone", () => {
    expect(text).toContain("Listeners[?Port==`443`]");
    expect(text).toContain(
      "FixedResponseConfig={StatusCode=200,ContentType=text/plain,MessageBody=open}",
    );
    const dev = contextFor(loadConfig("dev"));
    expect(formatFailbackPlan(dev, failbackPlan(dev)).join("\n")).toContain(
      "Listeners[?Port==`80`]",
    );
  });

  it("never has the operator print the password", () => {
    const reads = text.split("\n").filter((l) => l.includes("get-secret-value"));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((l) => l.endsWith("| jq '{host, port}'"))).toBe(true);
  });
});
