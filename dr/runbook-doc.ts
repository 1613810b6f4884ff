/**
 * Renders docs/disaster-recovery.md: the runbook (the `npm run dr` commands, with the raw AWS CLI
 * steps as an appendix) and the RTO/RPO budget of every environment. A spec fails when the file
 * is stale.
 */
import { ENVIRONMENTS } from "../config";
import { validateConfig } from "../config/validate";
import {
  FENCE_PATH,
  FENCE_RESPONSES,
  FENCE_SEARCH_STRING,
  recoveryNames,
} from "../naming/recovery";
import { ASSUMPTIONS, REHEARSAL, median, minutes, recoveryBudgets } from "./budgets";
import { outageAssumptions, outageTable } from "./outage-doc";
import { credentialsSection, standbySection } from "./standby-doc";
import { remainingWindows } from "./fence-windows";
import { MAINTENANCE_OVERRUN_MINUTES } from "./promote/steps-writer";
import { REGION_A_TIMEOUT_MS } from "./aws/region-a";
import { automaticPromotionSection } from "./auto/doc";

const range = ([lo, hi]: readonly [number, number]) =>
  lo === hi ? minutes(lo) : `${minutes(lo)} - ${minutes(hi)}`;

/** The windows that remain, with prod's numbers. */
function windowsSection(config: ReturnType<typeof validateConfig>): string {
  return remainingWindows(config)
    .map(
      (w, i) => `${i + 1}. **${w.title}.** Open ${w.length}.
${w.sequence.map((step) => `   - ${step}`).join("\n")}

   Closed by: ${w.closedBy}`,
    )
    .join("\n\n");
}

function budgetTables(): string {
  return Object.entries(ENVIRONMENTS)
    .map(([name, input]) => {
      const config = validateConfig(input, name);
      const hc = config.failover.healthCheck;
      const budgets = recoveryBudgets(config);
      const regionLoss = budgets.find((b) => b.id === "region")!;
      const rows = budgets
        .map(
          (b) =>
            `| ${b.scenario} | ${b.automatic ? "yes" : "operator"} | ${range(b.rto)} | ${range(b.rpo)} | ${b.steps.join(" ")} |`,
        )
        .join("\n");
      return `### \`${name}\`

Health check every ${hc.intervalSeconds} s, ${hc.failureThreshold} failures to fail over; ${config.failover.standbyTasks} standby task(s); recovery-point alarm at ${config.alarms.rpoSeconds} s; ${config.dns ? `DNS name ${config.dns.recordName}.${config.dns.zoneName}` : "no DNS zone"}.

| Scenario | Automatic | RTO | RPO | What happens |
| --- | --- | --- | --- | --- |
${rows}

Losing region A (${regionLoss.automatic ? "the automatic promotion" : "a person decides"}): median ${minutes(median(regionLoss.rto))} from the outage, phase by phase below.

${outageTable(name, config, REHEARSAL)}`;
    })
    .join("\n\n");
}

export function renderDisasterRecovery(): string {
  const a = ASSUMPTIONS;
  // The runbook's literal values are prod's; other environments substitute their own.
  const prod = validateConfig(ENVIRONMENTS.prod, "prod");
  const n = recoveryNames({
    project: prod.project,
    environment: prod.environment,
    primaryRegion: prod.network.region,
    failoverRegion: prod.failover.network.region,
    serviceName: prod.service.name,
  });
  const B = prod.failover.network.region;
  const fqdn = prod.dns ? `${prod.dns.recordName}.${prod.dns.zoneName}` : "<service name>";
  return `# Disaster recovery

<!-- Generated from dr/budgets.ts and config/environments by \`npm run docs:dr\`; a spec fails when it is stale. -->

Region A (stack \`primary\`) serves. Region B (stack \`failover\`) is a pilot light: the same service at
\`failover.standbyTasks\` tasks, a cross-region read replica of A's database, copies of A's automated
backups, and copies (Secrets Manager replicas) of A's secrets. The \`link\` stack ties them: a VPC
peering through which B's tasks write to A's database while it is up, A's database rules for B,
and, with a DNS zone, the Route53 failover records and health checks.

## Recovery needs region B only

- The \`failover\` stack has no provider in region A and reads nothing from A: A's writer is known by
  its derived ARN, A's connection by B's replica of A's secret. It plans and applies with region A
  and Route53's API unreachable, checked in CI by \`npm run plan:emulated -- prod --unreachable
  ${prod.network.region} --unreachable route53 --stacks failover\`. Its state must not live in region A: Terraform
  Cloud, local, or an S3 bucket outside A (\`TF_STATE_BUCKET_FAILOVER\`, \`TF_STATE_REGION_FAILOVER\`;
  synth refuses S3 state for it in region A).
- \`npm run dr\` calls region B's APIs, and one more: \`dr promote\` asks region A's RDS API whether A's
  writer is still there (read-only \`DescribeDBInstances\`, one attempt, ${REGION_A_TIMEOUT_MS / 1000} s); no answer counts as
  "A's API is down" and the promotion goes on. The \`link\` stack, which needs both regions and
  Route53, is never applied during recovery.
- IAM's control plane is in us-east-1 too. \`dr promote\` makes no IAM call. The \`failover\` stack
  does manage IAM roles, and a normal plan refreshes them; where region A is us-east-1 and IAM's
  API is down with it, apply without a refresh (runbook step 3). The rehearsal does exactly that,
  with region A, Route53 and IAM all down. Sign in for \`dr\` with credentials that do not need
  region A or us-east-1 either: [Credentials when region A is gone](#credentials-when-region-a-is-gone).

${standbySection(prod)}

## Fencing

Three fences, each without the others' weaknesses:

- **DNS, from region B.** Route53 answers with A (PRIMARY) only while a CALCULATED check passes: A's
  own HTTPS check AND the fence check, which reads \`https://<B's ALB>${FENCE_PATH}\`. A listener rule
  on B's ALB answers it (\`${FENCE_RESPONSES.open.statusCode} ${FENCE_RESPONSES.open.body}\`; \`${FENCE_RESPONSES.fenced.statusCode} ${FENCE_RESPONSES.fenced.body}\` once fenced), and the check is an inverted string
  match for "${FENCE_SEARCH_STRING}": healthy unless B positively says so, so an unreachable B or a broken rule never
  takes a healthy A out of DNS. Route53's checkers evaluate this without its control plane, so
  \`dr promote\`, whose first change is to flip that rule (an ELB call in B), takes A out of DNS even
  when A comes back healthy. B's SECONDARY record evaluates no health: Route53 answers PRIMARY
  "regardless of the health of the primary" whenever SECONDARY is unhealthy, so a B that blipped
  after promotion would otherwise send clients back to A.
- **Region A, on its own.** A function in region A (the fence enforcer, every minute) reads the same
  rule and, while it answers \`${FENCE_RESPONSES.fenced.statusCode} ${FENCE_RESPONSES.fenced.body}\`, sets A's service to scaling bounds 0..0 and desired count 0,
  with region A's APIs only. Anything else, B unreachable included, changes nothing: A keeps
  serving, since an unreachable standby must never take the serving region down. It never scales
  A up, so one reading of "fenced" keeps A at zero until failback.
- **Terraform.** With \`failover.promoted: true\`, the \`primary\` stack bounds A's service to 0..0 too,
  so an apply does not raise it. Terraform never reopens the fence: the rule's answer is \`npm run
  dr\`'s (promote sets it, the failback plan lifts it), and a plan of \`failover\` fails while B's
  database is a writer and \`failover.promoted\` is false; the deploy workflow plans \`failover\`
  before it applies anything.

Before promotion nothing is fenced and no window exists: B's standby tasks write to A's writer. Why
this design, and what it costs next to Route53 Application Recovery Controller:
docs/adr/0002-fencing.md.

### Windows that remain

With prod's settings, each as the sequence of events that opens it. Outside these, no client's
write reaches region A once \`dr promote\` has set the fence.

${windowsSection(prod)}

## Signals that survive losing A

- **From region B, A's writer gone:** B's standby tasks (gunicorn only: they never migrate,
  docs/releases.md) answer their health check against A's writer; when it stops answering they turn unhealthy and B's
  \`primary-unreachable\` alarm pages (fewer than \`failover.standbyTasks\` healthy targets for 3
  minutes, silence included). This is the page for losing all of region A: DNS then answers with B,
  but B's standby tasks cannot serve without A's writer until the promotion.
- **From region B, A's app tier gone:** B's takeover alarm fires when B's target group serves
  \`alarms.failoverTrafficRequestsPerMinute\` requests a minute for 2 minutes: before promotion
  nothing but DNS failover sends clients there. Both notify B's own alarm topic.
- **us-east-1:** Route53's health-check alarm (Route53 publishes its metrics only there). It pages
  faster, but in an environment whose region A is us-east-1 it is lost with A.
- **Recovery point, on A's writer:** \`OldestReplicationSlotLag / TransactionLogsGeneration\` (seconds of
  writes B does not have; zero on an idle database, unlike the replica's \`ReplicaLag\`, which reads up
  to 5 minutes on an idle database) above \`alarms.rpoSeconds\`, and \`TransactionLogsDiskUsage\` above
  \`alarms.transactionLogsDiskUsageGiB\` (a stalled slot keeps WAL on A's disk).

## Runbook

From the repository, with AWS credentials for the account. Every command takes \`--env <env>\`
(default \`DEPLOY_ENV\`, else dev); regions and names come from the config.

1. **Check** readiness, any time (exit code non-zero when B is not ready, so it can run on a
   schedule): \`npm run dr -- status --env prod\`.
2. **Promote** when region A (or its database) is lost:
   \`\`\`sh
   npm run dr -- promote --env prod --dry-run   # what it would do, from the current state
   npm run dr -- promote --env prod             # asks you to type the environment's name
   \`\`\`
   It checks that A's endpoint does not answer from this machine and says how long B's
   \`primary-unreachable\` alarm has been firing; it refuses while A's RDS API shows A's writer
   there (available, modifying, rebooting, upgrading, backing-up...: a maintenance or a reboot, not a
   loss) or inside A's maintenance window (\`database.maintenanceWindow\`, ${prod.database.maintenanceWindow} UTC in prod, and
   ${MAINTENANCE_OVERRUN_MINUTES} min after it, when a Multi-AZ engine upgrade takes both of A's nodes down); \`--force\` when A must
   be abandoned all the same. Then it sets the fence, prints the replica's last known
   \`ReplicaLag\` (what the promotion loses), promotes B's replica (waiting, and saying why, while
   RDS reads \`backing-up\`: an automated snapshot, daily in \`database.backupWindow\`, usually
   ${minutes(a.replicaBackingUp[0])} - ${minutes(a.replicaBackingUp[1])}, an assumption), repoints B's connection secret, raises B to the primary's minimum
   (${prod.scaling.minCapacity} in prod), redeploys and waits for healthy targets, then makes the new writer Multi-AZ at once
   when \`database.multiAz\` asks (last: RDS takes that change only once the writer's first backup is
   done, and B's tasks need not wait for it), printing a timeline. Each step checks before it acts: after a failure,
   run it again and it resumes. Every step is written to \`state/<env>/dr-audit.log\` and to
   CloudWatch Logs in B (\`${n.auditLogGroup}\`).
   **Pause deploys** for the whole recovery (\`gh workflow disable deploy\`, enabled again once
   step 3 is merged): until then the deploy workflow fails at \`failover\`'s plan anyway, and a
   \`primary\` applied by hand would raise A until its enforcer lowers it again. \`npm run dr --
   status\` shows whether the fence, B's database and \`failover.promoted\` agree.
3. **Make Terraform agree:** set \`failover.promoted: true\` in the environment's file and run
   \`npx cdktf deploy failover --ignore-missing-stack-dependencies\` (it plans with region A unreachable;
   the flag lets cdktf deploy \`failover\` without \`primary\`, which it otherwise insists on
   deploying first). If IAM's API is down too, refresh nothing:
   \`\`\`sh
   DEPLOY_ENV=prod npx cdktf synth
   terraform -chdir=cdktf.out/stacks/failover init -input=false
   terraform -chdir=cdktf.out/stacks/failover apply -refresh=false
   \`\`\`
   The plan then works from the last state: it re-sets what \`dr promote\` set (the fence, B's
   capacity, a new version of B's secret with the same value), describes the instance as a writer
   (the replica's source is ignored: only \`dr promote\` promotes) and renames the database alarms;
   it changes no IAM role. Run a normal deploy once IAM answers. When region A's APIs answer, deploy
   \`primary\` too, first thing: its service is bounded to zero tasks (A's enforcer already holds it
   there if it has read the fence; this closes window 2 above if it has not).

### Rehearsed in CI

\`npm run deploy:emulated -- dev --rehearse\` deploys every stack on the emulator (moto), takes region A,
Route53 and IAM down, runs \`dr promote\` (region A's RDS API does not answer there, which counts as
down) with Secrets Manager's \`PutSecretValue\` failing (the run stops
at the secret step), runs it again (it resumes: fence and promotion found already done), checks
region B from the outside (B's instance standalone, B's secret on it, B's service at the primary's
minimum, the fence answering ${FENCE_RESPONSES.fenced.statusCode}), fails if any call reached a dead zone, and plans and applies the
failover stack with \`failover.promoted: true\` and \`-refresh=false\` while all three are still down. The tool's own calls took
${minutes(REHEARSAL.orchestrationSeconds)} there (${REHEARSAL.measuredOn}); on AWS the promotion and the task start above dominate.

### Permissions of whoever runs \`npm run dr\`

Assume the \`dr-operator\` role that the failover stack creates in region B (its output
\`dr_operator_role_arn\`; the account's IAM decides who may assume it). It holds exactly the calls
the tool makes, each signed for region B only: \`rds:DescribeDBInstances\`, \`rds:PromoteReadReplica\` on
B's replica, \`rds:ModifyDBInstance\` on it (Multi-AZ once promoted), \`rds:DescribeDBInstanceAutomatedBackups\`; \`secretsmanager:DescribeSecret\`,
\`GetSecretValue\` on the two connection secrets and \`PutSecretValue\` on B's only (with
\`kms:Decrypt\`/\`kms:GenerateDataKey\` on B's key through Secrets Manager and SSM only);
\`ssm:GetParameter\` on \`${n.primaryEndpointParameter}\`; \`ecs:DescribeServices\`, \`ecs:UpdateService\` on B's
service (never turning on ECS Exec or changing its network), \`ecs:DescribeTaskDefinition\`; with the image cache,
\`ecr:DescribeImages\` on the one repository B's tasks pull from; \`application-autoscaling:DescribeScalableTargets\`,
\`RegisterScalableTarget\` on its scaling target; \`elasticloadbalancing:DescribeLoadBalancers\`,
\`DescribeListeners\`, \`DescribeRules\`, \`DescribeTargetGroups\`, \`DescribeTargetHealth\`, and
\`ModifyRule\` on the fence rule alone; \`cloudwatch:GetMetricStatistics\`; \`ec2:DescribeVpcs\`,
\`DescribeVpcPeeringConnections\`; \`logs:CreateLogStream\`, \`PutLogEvents\` on \`${n.auditLogGroup}\`.
In region A, \`rds:DescribeDBInstances\` on \`${n.primaryDatabase}\`: without it the promote guard reads an access error as
"A's API is down" (the step's detail names the error).
\`__tests__/constructs/dr-operator-role.spec.ts\` reads the tool's source for the calls it makes and
checks the role grants those and nothing else. A change of the fence rule by anyone else pages
B's alarm topic (docs/security.md).

${credentialsSection(prod)}

${automaticPromotionSection()}

## Failing back

\`npm run dr -- failback --plan --env prod\` prints the nine steps, each with its commands and the checks
to pass before the next: keep A's tasks fenced, snapshot A's old writer (it may hold writes B never
received), replace it by a cross-region replica of B's writer under the same identifier, then in a
maintenance window stop B's tasks and wait for the replication slot to drain, promote A's replica,
lift the fence (\`${FENCE_RESPONSES.open.statusCode} ${FENCE_RESPONSES.open.body}\`: before A's tasks come back, since A's enforcer holds them at zero while it
reads fenced), import A's writer into the primary stack's state and apply a plan that deletes
nothing (\`failover.promoted: false\`), check that A answers over HTTPS as the service's name and
that DNS points at A, and rebuild B's replica from A. Failback is printed, not run: it needs a
maintenance window and an operator at each check.

## Budgets

Computed from each environment's settings (\`failover.healthCheck\`, \`failover.standbyTasks\`,
\`failover.targetHealthCheckIntervalSeconds\`, \`failover.imageSource\`, \`alarms.rpoSeconds\`,
\`database.multiAz\`, \`dns\`, \`failover.automatic\` and \`failover.automation\`). Losing the
database or the region counts **from the outage** (\`dr/outage.ts\`): detection, decision (a person, or
the automatic promotion's hold), promotion, task start, with DNS beside them; the tables below give
both modes. The app tier's row counts from the failure too, with Route53 propagation
${a.route53Propagation} s, alias TTL ${a.aliasTtl} s and, without a standby task, an operator reaction of ${range(a.operatorReaction)} and a task start of ${range(a.taskStart)}; typical replication lag ${a.replicationLagTypical} s.

${budgetTables()}

Assumptions of the counts from the outage, each with its source:

${outageAssumptions(prod)}

What dominates: a person deciding, and RDS's promotion. The tool removes the typing, not the
decision; the automatic promotion removes the wait for a person but keeps RDS's minutes. RPO when region A is lost
is the writes B had not received at that moment: seconds normally, alarmed above
\`alarms.rpoSeconds\`. Replicas also copy bad writes and dropped tables; for those, restore to a point
in time in B from the replicated automated backups (\`aws rds restore-db-instance-to-point-in-time\`
with \`--source-db-instance-automated-backups-arn\`).

## Appendix: the same steps with the AWS CLI

For when \`npm run dr\` cannot run. Region B only; values are prod's; credentials as in
[Credentials when region A is gone](#credentials-when-region-a-is-gone).

\`\`\`sh
B=${B}
export AWS_STS_REGIONAL_ENDPOINTS=regional AWS_REGION="$B"   # STS in B, never the global endpoint
# 1. A is down? HTTPS to A's ALB (its name noted in B by the link stack) under the service's own
#    name, so the certificate and the real route are checked, not the HTTP redirect
a=$(aws ssm get-parameter --with-decryption --region "$B" --name ${n.primaryEndpointParameter} --query Parameter.Value --output text)
curl -sS -o /dev/null -w '%{http_code}\\n' --max-time 5 --connect-to ${fqdn}:443:"$a":443 https://${fqdn}${prod.service.healthCheckPath}
# 2. Fence A: the rule answering ${FENCE_PATH} on B's ALB
lb=$(aws elbv2 describe-load-balancers --region "$B" --names ${n.loadBalancer} --query 'LoadBalancers[0].LoadBalancerArn' --output text)
for l in $(aws elbv2 describe-listeners --region "$B" --load-balancer-arn "$lb" --query 'Listeners[].ListenerArn' --output text); do
  rule=$(aws elbv2 describe-rules --region "$B" --listener-arn "$l" --query "Rules[?Priority=='1'].RuleArn" --output text)
  [ -n "$rule" ] && aws elbv2 modify-rule --region "$B" --rule-arn "$rule" \\
    --actions 'Type=fixed-response,FixedResponseConfig={StatusCode=${FENCE_RESPONSES.fenced.statusCode},ContentType=text/plain,MessageBody=${FENCE_RESPONSES.fenced.body}}'
done
# 3. Promote B's replica
aws rds promote-read-replica --region "$B" --db-instance-identifier ${n.replica} --backup-retention-period ${prod.database.backupRetentionDays}
# (not \`aws rds wait db-instance-available\`: the instance reads available before the promotion starts)
until [ "$(aws rds describe-db-instances --region "$B" --db-instance-identifier ${n.replica} \\
  --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text)" = "$(printf 'available\\tNone')" ]; do
  sleep 15
done
# 4. Repoint B's connection secret (user and password are A's: the replica inherited them)
host=$(aws rds describe-db-instances --region "$B" --db-instance-identifier ${n.replica} --query 'DBInstances[0].Endpoint.Address' --output text)
aws secretsmanager get-secret-value --region "$B" --secret-id ${n.failoverConnectionSecret} --query SecretString --output text \\
  | jq -c --arg h "$host" '.host=$h | .url=(.url | sub("@[^:/]+:"; "@" + $h + ":"))' \\
  | aws secretsmanager put-secret-value --region "$B" --secret-id ${n.failoverConnectionSecret} --secret-string file:///dev/stdin
# 5. Raise capacity and redeploy
aws application-autoscaling register-scalable-target --region "$B" --service-namespace ecs \\
  --scalable-dimension ecs:service:DesiredCount --resource-id service/${n.cluster}/${n.service} \\
  --min-capacity ${prod.scaling.minCapacity} --max-capacity ${prod.scaling.maxCapacity}
aws ecs update-service --region "$B" --cluster ${n.cluster} --service ${n.service} --desired-count ${Math.max(prod.scaling.desiredCount, prod.scaling.minCapacity)} --force-new-deployment
aws ecs wait services-stable --region "$B" --cluster ${n.cluster} --services ${n.service}
\`\`\`
`;
}
