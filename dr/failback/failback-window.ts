/**
 * Failback steps 5 to 9: in the maintenance window, stop writes in region B, promote region A's
 * replica, adopt it in Terraform and bring A's tasks back, lift the fence; then rebuild region
 * B's pilot light from A.
 */
import { FENCE_RESPONSES, FENCE_RULE_PRIORITY, FENCE_SEARCH_STRING } from "../../naming/recovery";
import { scalableResourceId } from "../aws/aws";
import {
  dbAddress,
  describeService,
  endpointOf,
  plannedActions,
  plannedDeletions,
  rds,
  rdsMetric,
  remove,
  secretHost,
  snapshot,
  terraform,
  unprotect,
  waitAvailable,
  waitPromoted,
} from "./failback-commands";
import type { FailbackEnv, FailbackStep } from "./failback-step";
import { curlProbe, regionAProbe } from "../promote/probe";

/** Region A's ALB DNS name, as the link stack noted it in region B for `dr promote`. */
const aAlb = (B: string, parameter: string) =>
  `A_ALB=$(aws ssm get-parameter --with-decryption --region ${B} --name ${parameter} --query Parameter.Value --output text)`;

export function stopB({ B, b }: FailbackEnv): FailbackStep {
  return {
    title: "Maintenance window starts: stop writes in region B",
    why: "region A's replica must have every write before it is promoted, so nothing may write to region B from here on",
    commands: [
      `aws application-autoscaling register-scalable-target --region ${B} --service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id ${scalableResourceId(b.cluster, b.service)} --min-capacity 0 --max-capacity 0`,
      `aws ecs update-service --region ${B} --cluster ${b.cluster} --service ${b.service} --desired-count 0`,
      `aws ecs wait services-stable --region ${B} --cluster ${b.cluster} --services ${b.service}`,
      describeService(B, b.cluster, b.service),
      rdsMetric(B, "OldestReplicationSlotLag", b.replica, 5),
    ],
    checks: [
      `prints "0 0": ${b.service} wants and runs no task (a maximum of 0 keeps the autoscaler from starting one)`,
      `the OldestReplicationSlotLag datapoints of ${b.replica} from after the tasks stopped are 0: region A's replica has every write region B accepted (not ReplicaLag, which reads up to 300 s on an idle database)`,
    ],
  };
}

export function promoteA({ A, a, ctx }: FailbackEnv): FailbackStep {
  const { backupRetentionDays, backupWindow } = ctx.config.database;
  return {
    title: "Promote region A's replica",
    why: `${a.writer} becomes the writer again, with the primary stack's backups`,
    commands: [
      rds(
        A,
        "promote-read-replica",
        a.writer,
        ` --backup-retention-period ${backupRetentionDays} --preferred-backup-window ${backupWindow}`,
      ),
      waitPromoted(A, a.writer),
      rds(
        A,
        "describe-db-instances",
        a.writer,
        ` --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier,BackupRetentionPeriod]' --output text`,
      ),
    ],
    checks: [`prints "available None ${backupRetentionDays}": a writer, with backups`],
  };
}

export function restoreA({ A, B, a, b, ctx, file, fqdn, synth }: FailbackEnv): FailbackStep {
  const plan = "failback.tfplan";
  const minimum = ctx.config.scaling.minCapacity;
  return {
    title: "Adopt region A's writer in Terraform and bring region A's tasks back",
    why: `the primary stack's state holds the deleted writer's resource id, so ${a.writer} is imported under the writer's address before anything is applied; failover.promoted: false gives ${a.service} its capacity back${a.replica ? ` and recreates ${a.replica}` : ""}`,
    commands: [
      `# in ${file}: failover.promoted: false`,
      synth,
      dbAddress("primary", a.writer, "A_WRITER"),
      terraform("primary", "init -input=false"),
      terraform("primary", 'state rm "$A_WRITER"'),
      terraform("primary", `import "$A_WRITER" ${a.writer}`),
      terraform("primary", `plan -input=false -out=${plan}`),
      plannedDeletions("primary", plan),
      terraform("primary", `apply -input=false ${plan}`),
      ...(a.replica ? [waitAvailable(A, a.replica)] : []),
      `aws ecs wait services-stable --region ${A} --cluster ${a.cluster} --services ${a.service}`,
      describeService(A, a.cluster, a.service),
      `${endpointOf(A, a.writer)}; ${secretHost(A, a.connectionSecret)}`,
      aAlb(B, b.primaryEndpointParameter),
      curlProbe(regionAProbe(ctx.config, '"$A_ALB"')),
      ...(fqdn
        ? [
            `comm -23 <(dig +short ${fqdn} | sort) <(dig +short "$A_ALB" | sort); dig +short ${fqdn}`,
          ]
        : []),
    ],
    checks: [
      `$A_WRITER is one address (aws_db_instance.<id>) and the import reads ${a.writer} (state rm finds nothing when a refresh already dropped the old writer: go on)`,
      `the plan deletes nothing (prints []); otherwise stop and do not apply: a replaced ${a.writer} would be an empty database`,
      `${a.service} prints two equal counts of at least ${minimum} (scaling.minCapacity)`,
      "both hosts are the same: region A's tasks reach the new writer",
      fqdn
        ? `curl prints 200: region A answers as ${fqdn}, with a certificate valid for that name`
        : "curl prints 200: region A answers on its ALB",
      ...(fqdn
        ? [
            `after A's check passes (${ctx.config.failover.healthCheck.failureThreshold} probes ${ctx.config.failover.healthCheck.intervalSeconds} s apart) and the 60 s TTL: comm prints nothing and dig prints addresses, so ${fqdn} resolves to region A's ALB only; re-run until then`,
          ]
        : ["no DNS zone: clients use region A's ALB name, which curl checked"]),
    ],
  };
}

export function liftFence({ B, b, ctx }: FailbackEnv): FailbackStep {
  const { open, fenced } = FENCE_RESPONSES;
  const port = ctx.config.dns ? 443 : 80;
  const lb = `aws elbv2 describe-load-balancers --region ${B} --names ${b.loadBalancer}`;
  return {
    title: "Lift the fence",
    why: `region A's fence enforcer reads this rule every minute and holds region A's service at 0 tasks while it says "${FENCE_SEARCH_STRING}", so it is lifted before A's tasks come back (the next step); and Route53 answers with region A only while A's own check passes and the rule does not say "${FENCE_SEARCH_STRING}" (the fence check searches the answer for that word and is inverted; a CALCULATED check needs both). Safe now: region A's writer holds every write of region B (step 6), and region B is stopped, so clients reach nothing until A serves. The enforcer never raises A: the next step does`,
    commands: [
      `B_ALB_ARN=$(${lb} --query 'LoadBalancers[0].LoadBalancerArn' --output text)`,
      `LISTENER=$(aws elbv2 describe-listeners --region ${B} --load-balancer-arn "$B_ALB_ARN" --query 'Listeners[?Port==\`${port}\`].ListenerArn | [0]' --output text)`,
      `RULE=$(aws elbv2 describe-rules --region ${B} --listener-arn "$LISTENER" --query "Rules[?Priority=='${FENCE_RULE_PRIORITY}'].RuleArn | [0]" --output text)`,
      `aws elbv2 modify-rule --region ${B} --rule-arn "$RULE" --actions 'Type=fixed-response,FixedResponseConfig={StatusCode=${open.statusCode},ContentType=text/plain,MessageBody=${open.body}}'`,
      `aws elbv2 describe-rules --region ${B} --rule-arns "$RULE" --query 'Rules[0].Actions[0].FixedResponseConfig.[StatusCode,MessageBody]' --output text`,
    ],
    checks: [
      // Both answers share status 200 (naming/recovery.ts): only the body tells them apart.
      `prints "${open.statusCode} ${open.body}" (the body decides: ${fenced.body} answers ${fenced.statusCode} too)`,
    ],
  };
}

export function rebuildB({ A, B, a, b, ctx, deploy, synth }: FailbackEnv): FailbackStep {
  const plan = "failback.tfplan";
  const protect = ctx.config.database.deletionProtection;
  return {
    title: "Rebuild region B's pilot light from region A",
    why: `${b.replica} is a writer with its own history and cannot become a replica in place (the provider will not give an instance a new source). It is kept in a snapshot and deleted outside Terraform, whose refresh then drops it from the failover stack's state, and the deploy creates a fresh replica of ${a.writer}. Not terraform apply -replace: with database.deletionProtection the instance has prevent_destroy, and Terraform refuses to plan its replacement`,
    commands: [
      ...(protect ? unprotect(B, b.replica) : []),
      ...snapshot(B, b.replica, "after-failback", "B_SNAP"),
      ...remove(B, b.replica),
      synth,
      dbAddress("failover", b.replica, "B_DB"),
      terraform("failover", "init -input=false"),
      terraform("failover", `plan -input=false -out=${plan}`),
      plannedActions("failover", plan, "B_DB"),
      // cdktf deploys link only with the stacks it depends on; primary has nothing to change.
      deploy("primary failover link"),
      rds(
        B,
        "describe-db-instances",
        b.replica,
        ` --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text`,
      ),
      `npm run dr -- status --env ${ctx.environment}`,
    ],
    checks: [
      `the snapshot prints "available True" before the delete runs`,
      `the plan's actions for $B_DB print "create": a new replica, not a change to a deleted instance`,
      `${b.replica} prints "available arn:aws:rds:${A}:<account>:db:${a.writer}"`,
      "status exits 0 (READY); its backups line turns ok once region A's first automated backup is copied to region B: re-run until then",
    ],
  };
}
