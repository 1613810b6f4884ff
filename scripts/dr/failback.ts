/**
 * `dr failback --plan`: the ordered steps and checks that return service to region A after a
 * promote, with this environment's real names. Printed, not run: failback needs region A
 * rebuilt and a maintenance window in which writes stop, which an operator schedules.
 */
import { FENCE_PATH, FENCE_RESPONSES, FENCE_RULE_PRIORITY } from "../../facts/recovery";
import { Naming } from "../../facts/naming";
import { scalableResourceId } from "./aws";
import type { DrContext } from "./context";

/**
 * The primary stack setting that builds region A's writer as a replica of region B's. Not in
 * config/schema.ts yet: the recovery tool's report asks for it.
 */
export const FAILBACK_SOURCE_SETTING = "database.replicaSourceArn";

export interface FailbackStep {
  readonly title: string;
  readonly why: string;
  readonly commands: readonly string[];
  readonly checks: readonly string[];
}

export const FAILBACK_REFUSAL =
  "only --plan is supported: failback needs a maintenance window and region A rebuilt; run npm run dr -- failback --plan and follow it";

export function failbackPlan(ctx: DrContext): FailbackStep[] {
  const { names: n, regionA: A, regionB: B, environment: env, config } = ctx;
  const a = new Naming(config.project, env, A);
  const clusterA = a.name("ecsCluster", config.service.name);
  const serviceA = a.name("ecsService", config.service.name);
  const file = `config/environments/${env}.ts`;
  const deploy = (stacks: string) => `DEPLOY_ENV=${env} npx cdktf deploy ${stacks}`;
  const rds = (region: string, op: string, id: string, rest = "") =>
    `aws rds ${op} --region ${region} --db-instance-identifier ${id}${rest}`;
  const lag = `aws cloudwatch get-metric-statistics --region ${A} --namespace AWS/RDS --metric-name ReplicaLag --dimensions Name=DBInstanceIdentifier,Value=${n.primaryDatabase} --start-time "$(date -u -d '-10 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" --period 60 --statistics Maximum`;
  const listenerPort = config.dns ? 443 : 80;
  const fenceUrl = `http://"$B_ALB"${FENCE_PATH}`;
  const snapshot = (id: string, region: string, label: string) => [
    `SNAP=${id}-${label}-"$(date -u +%Y%m%d%H%M)"`,
    `aws rds create-db-snapshot --region ${region} --db-instance-identifier ${id} --db-snapshot-identifier "$SNAP"`,
    `aws rds wait db-snapshot-available --region ${region} --db-snapshot-identifier "$SNAP"`,
    rds(region, "modify-db-instance", id, " --no-deletion-protection --apply-immediately"),
    rds(region, "wait db-instance-available", id),
    rds(region, "delete-db-instance", id, " --skip-final-snapshot"),
    rds(region, "wait db-instance-deleted", id),
  ];
  return [
    {
      title: "Check the starting point",
      why: "failback starts from a promoted region B and a region A whose APIs answer again",
      commands: [
        `npm run dr -- status --env ${env}`,
        rds(
          B,
          "describe-db-instances",
          n.replica,
          ` --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier,DBInstanceArn]'`,
        ),
        `aws rds describe-db-instances --region ${A} --query 'DBInstances[].[DBInstanceIdentifier,DBInstanceStatus]'`,
      ],
      checks: [
        `status says ${n.replica} is no longer a replica and the fence is fenced`,
        `${n.replica} is available with no source`,
        `region A's RDS API answers`,
      ],
    },
    {
      title: "Set region A's old writer aside",
      why: `if ${n.primaryDatabase} survived, it holds writes from before the failover that region B never got: keep them in a snapshot for reconciliation, then make room for the new replica`,
      commands: snapshot(n.primaryDatabase, A, "before-failback"),
      checks: [
        `${n.primaryDatabase} is gone and its snapshot is available (skip when it no longer existed)`,
      ],
    },
    {
      title: "Rebuild region A's writer as a cross-region replica of region B's",
      why: "the replica copies everything region B accepted since the failover",
      commands: [
        `B_ARN=$(aws rds describe-db-instances --region ${B} --db-instance-identifier ${n.replica} --query 'DBInstances[0].DBInstanceArn' --output text)`,
        `# in ${file}: ${FAILBACK_SOURCE_SETTING}: "<the value of $B_ARN>"`,
        deploy("primary"),
        rds(A, "wait db-instance-available", n.primaryDatabase),
        lag,
      ],
      checks: [`the latest ReplicaLag Maximum of ${n.primaryDatabase} is under 5 s`],
    },
    {
      title: "Maintenance window starts: stop writes in region B",
      why: "the promotion below must not leave writes behind in region B",
      commands: [
        `aws application-autoscaling register-scalable-target --region ${B} --service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id ${scalableResourceId(n.cluster, n.service)} --min-capacity 0 --max-capacity ${config.scaling.maxCapacity}`,
        `aws ecs update-service --region ${B} --cluster ${n.cluster} --service ${n.service} --desired-count 0`,
        `aws ecs wait services-stable --region ${B} --cluster ${n.cluster} --services ${n.service}`,
        lag,
      ],
      checks: [
        `${n.service} runs 0 tasks`,
        `ReplicaLag of ${n.primaryDatabase} is 0 (no write is left behind)`,
      ],
    },
    {
      title: "Promote region A's replica",
      why: "region A's instance becomes the writer again",
      commands: [
        rds(
          A,
          "promote-read-replica",
          n.primaryDatabase,
          ` --backup-retention-period ${config.database.backupRetentionDays}`,
        ),
        rds(A, "wait db-instance-available", n.primaryDatabase),
        rds(
          A,
          "describe-db-instances",
          n.primaryDatabase,
          ` --query 'DBInstances[0].ReadReplicaSourceDBInstanceIdentifier'`,
        ),
      ],
      checks: [`${n.primaryDatabase} is available and has no source`],
    },
    {
      title: "Repoint region A's connection secret at its writer and restart region A's tasks",
      why: "Terraform writes region A's secret for its writer once the stack describes it as one (region B's follows in step 8)",
      commands: [
        `# in ${file}: remove ${FAILBACK_SOURCE_SETTING}`,
        deploy("primary"),
        `aws ecs update-service --region ${A} --cluster ${clusterA} --service ${serviceA} --force-new-deployment`,
        `aws ecs wait services-stable --region ${A} --cluster ${clusterA} --services ${serviceA}`,
        `aws secretsmanager get-secret-value --region ${A} --secret-id ${n.primaryConnectionSecret} --query SecretString --output text | jq '{host, port}'`,
        `A_ALB=$(aws ssm get-parameter --region ${B} --name ${n.primaryEndpointParameter} --query Parameter.Value --output text)`,
        `curl -ksS -o /dev/null -w '%{http_code}\\n' "${config.dns ? "https" : "http"}://$A_ALB${config.service.healthCheckPath}"`,
      ],
      checks: [
        `the secret's host is ${n.primaryDatabase}'s address (the password is never printed: jq keeps host and port)`,
        "region A's health path answers 200",
      ],
    },
    {
      title: "Lift the fence",
      why: "Route53 sends clients to region A again once its check and the fence's pass",
      commands: [
        `B_ALB_ARN=$(aws elbv2 describe-load-balancers --region ${B} --names ${n.loadBalancer} --query 'LoadBalancers[0].LoadBalancerArn' --output text)`,
        `B_ALB=$(aws elbv2 describe-load-balancers --region ${B} --names ${n.loadBalancer} --query 'LoadBalancers[0].DNSName' --output text)`,
        `LISTENER=$(aws elbv2 describe-listeners --region ${B} --load-balancer-arn "$B_ALB_ARN" --query 'Listeners[?Port==\`${listenerPort}\`].ListenerArn | [0]' --output text)`,
        `RULE=$(aws elbv2 describe-rules --region ${B} --listener-arn "$LISTENER" --query "Rules[?Priority=='${FENCE_RULE_PRIORITY}'].RuleArn | [0]" --output text)`,
        `aws elbv2 modify-rule --region ${B} --rule-arn "$RULE" --actions 'Type=fixed-response,FixedResponseConfig={StatusCode=${FENCE_RESPONSES.open.statusCode},ContentType=text/plain,MessageBody=${FENCE_RESPONSES.open.body}}'`,
        `curl -ks -H "Host: $B_ALB" ${config.dns ? fenceUrl.replace("http:", "https:") : fenceUrl}`,
      ],
      checks: [
        `the fence answers ${FENCE_RESPONSES.open.statusCode} "${FENCE_RESPONSES.open.body}"`,
      ],
    },
    {
      title: "Rebuild the pilot light in region B from region A",
      why: `${n.replica} is a writer with its own history now; region B needs a fresh replica of ${n.primaryDatabase}`,
      commands: [
        `# in ${file}: failover.promoted: false`,
        ...snapshot(n.replica, B, "after-failback"),
        deploy("failover link"),
        `npm run dr -- status --env ${env}`,
      ],
      checks: [
        `npm run dr -- status exits 0: ${n.replica} replicates ${n.primaryDatabase}, backups copied, fence open`,
      ],
    },
  ];
}

export function formatFailbackPlan(ctx: DrContext, plan: readonly FailbackStep[]): string[] {
  const lines = [
    `Failback of ${ctx.config.project} ${ctx.environment} to region A (${ctx.regionA}) from region B (${ctx.regionB})`,
    "Needs region A rebuilt and a maintenance window: writes stop from step 4 to step 7.",
  ];
  plan.forEach((step, i) => {
    lines.push("", `${i + 1}. ${step.title}`, `   why: ${step.why}`);
    lines.push(...step.commands.map((c) => `   $ ${c}`));
    lines.push(...step.checks.map((c) => `   check: ${c}`));
  });
  return lines;
}
