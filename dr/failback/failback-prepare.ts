/**
 * Failback steps 1 to 4, before the maintenance window: check the starting point, keep region
 * A's tasks fenced, keep A's old writer in a snapshot, and rebuild A's writer as a replica of
 * region B's while B goes on serving.
 */
import {
  describeService,
  endpointOf,
  rds,
  rdsMetric,
  remove,
  secretHost,
  snapshot,
  unprotect,
  waitAvailable,
} from "./failback-commands";
import type { FailbackEnv, FailbackStep } from "./failback-step";

export function checkStart({ A, B, a, b, ctx }: FailbackEnv): FailbackStep {
  return {
    title: "Check the starting point",
    why: "failback starts from region B promoted and serving, and region A's APIs answering again",
    commands: [
      `npm run dr -- status --env ${ctx.environment}`,
      rds(
        B,
        "describe-db-instances",
        b.replica,
        ` --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text`,
      ),
      `aws rds describe-db-instances --region ${A} --query 'DBInstances[].[DBInstanceIdentifier,DBInstanceStatus]' --output text`,
    ],
    checks: [
      `status: replica says ${b.replica} is no longer a replica, fence says fenced, service and target group are ok (region B serves)`,
      `${b.replica} prints "available None": a writer`,
      `region A's RDS API answers (listing ${a.writer} when it survived the outage)`,
    ],
  };
}

export function fenceA({ A, a, file, deploy }: FailbackEnv): FailbackStep {
  return {
    title: "Keep region A's tasks fenced",
    why: `nothing may write to region A's old writer: region A's fence enforcer holds ${a.service} at 0 tasks while the fence reads fenced, and with failover.promoted: true the primary stack bounds it to 0 as well, so that applying primary does not raise it (docs/adr/0002-fencing.md). If ${a.writer} was lost, this deploy creates an empty one; step 4 replaces it all the same`,
    commands: [
      `# in ${file}: failover.promoted: true (as set after the promotion)`,
      deploy("primary"),
      describeService(A, a.cluster, a.service),
    ],
    checks: [`prints "0 0": ${a.service} wants and runs no task`],
  };
}

export function keepOldWriter({ A, a }: FailbackEnv): FailbackStep {
  return {
    title: "Keep region A's old writer in a snapshot",
    why: `${a.writer} may hold writes that never reached region B before the failover: the snapshot keeps them for reconciliation once the instance is replaced`,
    commands: snapshot(A, a.writer, "before-failback", "A_SNAP"),
    checks: [
      `prints "available True" (skip this step when ${a.writer} no longer existed in step 1)`,
    ],
  };
}

/**
 * The new writer gets the old one's identifier, so its endpoint (and A's connection secret,
 * which holds it) stays the same; every other argument repeats what the primary stack gives the
 * writer (the failback-names spec compares them with the synthesized writer), so that adopting
 * it in Terraform (step 7) changes as little as possible.
 */
function createReplica({ A, a, ctx }: FailbackEnv): string {
  const db = ctx.config.database;
  const args = [
    `--source-db-instance-identifier "$B_ARN"`,
    `--db-instance-class ${db.instanceClass}`,
    `--kms-key-id ${a.kmsAlias}`,
    `--db-subnet-group-name ${a.subnetGroup}`,
    `--vpc-security-group-ids "$A_DB_SG"`,
    db.multiAz ? "--multi-az" : `--no-multi-az --availability-zone ${a.availabilityZone}`,
    `--storage-type gp3 --max-allocated-storage ${db.maxAllocatedStorage}`,
    "--no-publicly-accessible --enable-iam-database-authentication --copy-tags-to-snapshot",
    "--auto-minor-version-upgrade --ca-certificate-identifier rds-ca-rsa2048-g1",
    `--enable-performance-insights --performance-insights-kms-key-id ${a.kmsAlias} --performance-insights-retention-period 7`,
    a.monitoringRole
      ? `--monitoring-interval ${db.monitoringIntervalSeconds} --monitoring-role-arn "$A_MONITORING_ROLE"`
      : "--monitoring-interval 0",
    "--enable-cloudwatch-logs-exports postgresql upgrade",
    db.deletionProtection ? "--deletion-protection" : "--no-deletion-protection",
  ];
  return rds(A, "create-db-instance-read-replica", a.writer, ` ${args.join(" ")}`);
}

export function replaceWriter(env: FailbackEnv): FailbackStep {
  const { A, B, a, b, ctx } = env;
  const protect = ctx.config.database.deletionProtection;
  const retire = (id: string) => [...(protect ? unprotect(A, id) : []), ...remove(A, id)];
  return {
    title: "Replace region A's writer by a cross-region replica of region B's writer",
    why: `under the same identifier, ${a.writer}, Terraform's address and the host in region A's connection secret stay right; the replica copies everything region B accepted since the failover. The in-region replica goes first (RDS would promote it if its source went first); step 3's snapshot holds the old writer's data`,
    warning: `until step 7, do not deploy or apply the primary stack: its state still holds the deleted writer (Terraform tracks ${a.writer} by resource id), so it would try to create the writer again, and once the replica is imported it would see replicate_source_db drift and promote the replica before region B stops writing`,
    commands: [
      ...(a.replica ? retire(a.replica) : []),
      ...retire(a.writer),
      `B_ARN=$(${rds(B, "describe-db-instances", b.replica, ` --query 'DBInstances[0].DBInstanceArn' --output text`)})`,
      `A_DB_SG=$(aws ec2 describe-security-groups --region ${A} --filters Name=group-name,Values=${a.securityGroup} --query 'SecurityGroups[0].GroupId' --output text)`,
      ...(a.monitoringRole
        ? [
            `A_MONITORING_ROLE=$(aws iam get-role --role-name ${a.monitoringRole} --query Role.Arn --output text)`,
          ]
        : []),
      createReplica(env),
      waitAvailable(A, a.writer),
      "# RDS refuses a parameter group when it creates a PostgreSQL cross-region replica: set it now; a reboot applies it",
      rds(
        A,
        "modify-db-instance",
        a.writer,
        ` --db-parameter-group-name ${a.parameterGroup} --apply-immediately`,
      ),
      waitAvailable(A, a.writer),
      rds(A, "reboot-db-instance", a.writer),
      waitAvailable(A, a.writer),
      rds(
        A,
        "describe-db-instances",
        a.writer,
        ` --query 'DBInstances[0].[ReadReplicaSourceDBInstanceIdentifier,DBParameterGroups[0].DBParameterGroupName,DBParameterGroups[0].ParameterApplyStatus]' --output text`,
      ),
      `${endpointOf(A, a.writer)}; ${secretHost(A, a.connectionSecret)}`,
      rdsMetric(A, "ReplicaLag", a.writer),
      rdsMetric(B, "OldestReplicationSlotLag", b.replica),
    ],
    checks: [
      `prints the value of $B_ARN, ${a.parameterGroup} and in-sync: a replica of ${b.replica}, with the stack's parameter group applied`,
      `both lines print the same host: region A's connection secret already points at the new ${a.writer}`,
      "ReplicaLag stays under 5 s while region B takes writes (on an idle database it reads up to 300 s: then the next check decides)",
      `OldestReplicationSlotLag of ${b.replica} stays near 0 bytes: the replica keeps up`,
    ],
  };
}
