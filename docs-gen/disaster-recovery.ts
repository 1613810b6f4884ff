/**
 * Renders docs/disaster-recovery.md: the runbook with commands filled in from stack outputs and
 * config, and the RTO/RPO budget of every environment. A spec fails when the file is stale.
 */
import { ENVIRONMENTS } from "../config";
import { validateConfig } from "../config/validate";
import { ASSUMPTIONS, minutes, recoveryBudgets } from "../recovery/model";

const range = ([lo, hi]: readonly [number, number]) =>
  lo === hi ? minutes(lo) : `${minutes(lo)} - ${minutes(hi)}`;

function budgetTables(): string {
  return Object.entries(ENVIRONMENTS)
    .map(([name, input]) => {
      const config = validateConfig(input, name);
      const hc = config.failover.healthCheck;
      const rows = recoveryBudgets(config)
        .map(
          (b) =>
            `| ${b.scenario} | ${b.automatic ? "yes" : "operator"} | ${range(b.rto)} | ${range(b.rpo)} | ${b.steps.join(" ")} |`,
        )
        .join("\n");
      return `### \`${name}\`

Health check every ${hc.intervalSeconds} s, ${hc.failureThreshold} failures to fail over; ${config.failover.standbyTasks} standby task(s); replica-lag alarm at ${config.alarms.replicaLagSeconds} s; ${config.dns ? `DNS name ${config.dns.recordName}.${config.dns.zoneName}` : "no DNS zone"}.

| Scenario | Automatic | RTO | RPO | What happens |
| --- | --- | --- | --- | --- |
${rows}`;
    })
    .join("\n\n");
}

export function renderDisasterRecovery(): string {
  const a = ASSUMPTIONS;
  // The runbook's literal values are prod's; other environments substitute their own.
  const prod = validateConfig(ENVIRONMENTS.prod, "prod");
  return `# Disaster recovery

<!-- Generated from recovery/model.ts and config/environments by \`npm run docs:dr\`; a spec fails when it is stale. -->

Region A (stack \`primary\`) serves. Region B (stack \`failover\`) is a pilot light: the same service at
\`failover.standbyTasks\` tasks, a cross-region read replica of A's database, copies of A's automated
backups, and a VPC peering through which B's tasks write to A's database while it is up.

## What fails over by itself, and what an operator does

- **By itself (with a DNS zone):** Route53 probes A's ALB over HTTPS on the health path. After
  \`failureThreshold\` failed probes it answers the API's name with B's ALB (SECONDARY). An alarm in
  us-east-1 (where Route53 publishes health-check metrics) tells the on-call. \`/health\` queries the
  database, so losing A's database also fails A's check.
- **By an operator:** promoting the replica (irreversible), repointing the connection secrets,
  raising B's capacity, and reconciling Terraform. These are deliberate: promoting on a transient
  blip would split the data in two.

## Runbook

Run from the repository with the environment's state reachable (Terraform Cloud or S3), after
\`npx cdktf synth\`. Values shown are \`prod\`'s (region B, backup retention, scaling bounds). Set:

\`\`\`sh
export DEPLOY_ENV=prod                         # the environment
B=${prod.failover.network.region}                                    # failover.network.region
out() { terraform -chdir=cdktf.out/stacks/failover output -raw "$1"; }
\`\`\`

1. **Confirm** the primary is down, not the probe:
   \`\`\`sh
   aws route53 get-health-check-status --health-check-id "$(out health_check_id)"
   curl -sS -o /dev/null -w '%{http_code}\\n' "http://$(terraform -chdir=cdktf.out/stacks/primary output -raw alb_dns_name)/health"
   \`\`\`
2. **Promote** the cross-region replica (only when A's database is lost; skip while it is up):
   \`\`\`sh
   aws rds promote-read-replica --region "$B" --db-instance-identifier "$(out replica_identifier)" --backup-retention-period ${prod.database.backupRetentionDays}
   aws rds wait db-instance-available --region "$B" --db-instance-identifier "$(out replica_identifier)"
   \`\`\`
3. **Repoint** region B's connection secret at the promoted instance (same user and password: the
   replica inherited them):
   \`\`\`sh
   host=$(aws rds describe-db-instances --region "$B" --db-instance-identifier "$(out replica_identifier)" --query 'DBInstances[0].Endpoint.Address' --output text)
   aws secretsmanager get-secret-value --region "$B" --secret-id "$(out database_secret_arn)" --query SecretString --output text \\
     | jq --arg h "$host" '.host=$h | .url=(.url | sub("@[^:/]+:"; "@" + $h + ":"))' \\
     | aws secretsmanager put-secret-value --region "$B" --secret-id "$(out database_secret_arn)" --secret-string file:///dev/stdin
   \`\`\`
4. **Raise** B's capacity to the primary's minimum, then **redeploy** so tasks read the new secret:
   \`\`\`sh
   aws application-autoscaling register-scalable-target --region "$B" --service-namespace ecs \\
     --scalable-dimension ecs:service:DesiredCount --resource-id "service/$(out cluster_name)/$(out service_name)" \\
     --min-capacity ${prod.scaling.minCapacity} --max-capacity ${prod.scaling.maxCapacity}
   aws ecs update-service --region "$B" --cluster "$(out cluster_name)" --service "$(out service_name)" --force-new-deployment
   aws ecs wait services-stable --region "$B" --cluster "$(out cluster_name)" --services "$(out service_name)"
   \`\`\`
5. **Verify**: \`curl -fsS "$(out failover_url)/health"\` answers \`{"status":"healthy"}\`.
6. **Reconcile Terraform.** After promotion Terraform still believes the instance is a replica
   (terraform-provider-aws issue 4419), and a plain \`cdktf deploy failover\` would revert the secret
   and the capacity. Set \`failover.promoted: true\` in the environment's config and deploy
   \`failover\` only: the instance is described as a standalone writer, the backup copies from A
   are dropped, B's connection secret points at B's instance and B scales between the primary's
   bounds. With all of region A down the plan cannot refresh the region-A resources this stack
   owns (peering acceptance, routes, the database rule); wait for A's APIs, or target the region-B
   resources (\`cdktf deploy failover -- -target=...\` is not offered by cdktf: run \`terraform
   -chdir=cdktf.out/stacks/failover apply -refresh=false\` after a synth).

## Failing back

1. With region A healthy again, make A's new database a cross-region replica of the promoted
   instance in B (\`aws rds create-db-instance-read-replica\` with B's instance ARN as source and A's
   key), and let it catch up (watch \`ReplicaLag\`).
2. In a maintenance window: stop writes (scale B's service to 0), promote A's replica, point A's
   connection secret at it, and redeploy \`primary\`; Route53 returns traffic to A when its check
   passes.
3. Rebuild the pilot light: \`cdktf destroy failover\` removes the promoted instance (take a final
   snapshot first; deletion protection must be lifted in prod), then \`cdktf deploy failover\`
   creates a fresh replica of A.

## Budgets

Computed from each environment's settings (\`failover.healthCheck\`, \`failover.standbyTasks\`,
\`alarms.replicaLagSeconds\`, \`database.multiAz\`, \`dns\`) and these assumptions:
Route53 propagation ${a.route53Propagation} s; alias TTL ${a.aliasTtl} s; task start ${range(a.taskStart)};
operator reaction ${range(a.operatorReaction)}; replica promotion ${range(a.promotion)}; typical replication lag
${a.replicationLagTypical} s.

${budgetTables()}

RPO when region A is lost is the replica's lag at that moment: seconds normally, bounded by the lag
alarm. Replicas also copy bad writes and dropped tables; for those, restore to a point in time in B
from the replicated automated backups (\`aws rds restore-db-instance-to-point-in-time\` with
\`--source-db-instance-automated-backups-arn\`).
`;
}
