/**
 * The shell commands the failback plan prints, built in one place so that every step quotes
 * regions, identifiers and queries the same way. AWS CLI v2 and GNU date, as in the runbook.
 */

export const rds = (region: string, op: string, id: string, rest = "") =>
  `aws rds ${op} --region ${region} --db-instance-identifier ${id}${rest}`;

export const waitAvailable = (region: string, id: string) =>
  rds(region, "wait db-instance-available", id);

/**
 * Waits for a promotion to finish. Not `wait db-instance-available`: right after
 * promote-read-replica the instance still reads available (RDS has not started), so that waiter
 * returns at once. This polls until the instance is available with no source, which only a
 * finished promotion gives; text output prints a null source as None, tab-separated from the
 * status. Each round prints what it read, so the operator sees it progress (or stall).
 */
export const waitPromoted = (region: string, id: string) => {
  const read = rds(
    region,
    "describe-db-instances",
    id,
    ` --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text`,
  );
  return `until DB_STATE=$(${read}); echo "$DB_STATE"; [ "$DB_STATE" = "$(printf 'available\\tNone')" ]; do sleep 15; done`;
};

/** Deletion protection off, then wait: RDS refuses to delete a protected instance. */
export const unprotect = (region: string, id: string) => [
  rds(region, "modify-db-instance", id, " --no-deletion-protection --apply-immediately"),
  waitAvailable(region, id),
];

/**
 * Deletes without a final snapshot (the caller made one, or the instance is a replica, which
 * RDS cannot snapshot at deletion) and waits until it is gone.
 */
export const remove = (region: string, id: string) => [
  rds(region, "delete-db-instance", id, " --skip-final-snapshot"),
  rds(region, "wait db-instance-deleted", id),
];

/** A manual snapshot named `<id>-<label>-<UTC minute>` in `variable`, then its state. */
export const snapshot = (region: string, id: string, label: string, variable: string) => [
  `${variable}=${id}-${label}-"$(date -u +%Y%m%d%H%M)"`,
  `aws rds create-db-snapshot --region ${region} --db-instance-identifier ${id} --db-snapshot-identifier "$${variable}"`,
  `aws rds wait db-snapshot-available --region ${region} --db-snapshot-identifier "$${variable}"`,
  `aws rds describe-db-snapshots --region ${region} --db-snapshot-identifier "$${variable}" --query 'DBSnapshots[0].[Status,Encrypted]' --output text`,
];

/** The largest datapoint per minute of an AWS/RDS metric over the last `minutes`. */
export const rdsMetric = (region: string, metric: string, id: string, minutes = 10) =>
  `aws cloudwatch get-metric-statistics --region ${region} --namespace AWS/RDS --metric-name ${metric} --dimensions Name=DBInstanceIdentifier,Value=${id} --start-time "$(date -u -d '-${minutes} min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)" --period 60 --statistics Maximum --query 'sort_by(Datapoints,&Timestamp)[].[Timestamp,Maximum]' --output text`;

export const describeService = (region: string, cluster: string, service: string) =>
  `aws ecs describe-services --region ${region} --cluster ${cluster} --services ${service} --query 'services[0].[desiredCount,runningCount]' --output text`;

/** The host of a connection secret; jq keeps only it, so the password is never printed. */
export const secretHost = (region: string, secret: string) =>
  `aws secretsmanager get-secret-value --region ${region} --secret-id ${secret} --query SecretString --output text | jq -r .host`;

export const endpointOf = (region: string, id: string) =>
  rds(
    region,
    "describe-db-instances",
    id,
    ` --query 'DBInstances[0].Endpoint.Address' --output text`,
  );

/** Where `npx cdktf synth` writes a stack's Terraform JSON (the default output, cdktf.out). */
export const stackDir = (stack: string) => `cdktf.out/stacks/${stack}`;

/**
 * Sets `variable` to the Terraform address of the stack's aws_db_instance with `identifier`,
 * read from the synthesized JSON: the logical id is cdktf's, so it is looked up, not guessed.
 */
export const dbAddress = (stack: string, identifier: string, variable: string) =>
  `${variable}=$(jq -r '.resource.aws_db_instance | to_entries[] | select(.value.identifier == "${identifier}") | "aws_db_instance.\\(.key)"' ${stackDir(stack)}/cdk.tf.json)`;

export const terraform = (stack: string, rest: string) =>
  `terraform -chdir=${stackDir(stack)} ${rest}`;

/** The planned actions of one address in a saved plan, such as `create` or `update`. */
export const plannedActions = (stack: string, plan: string, variable: string) =>
  `${terraform(stack, `show -json ${plan}`)} | jq -r --arg a "$${variable}" '.resource_changes[] | select(.address == $a) | .change.actions | join(",")'`;

/** Every address a saved plan deletes or replaces. */
export const plannedDeletions = (stack: string, plan: string) =>
  `${terraform(stack, `show -json ${plan}`)} | jq -c '[.resource_changes[] | select(.change.actions | index("delete")) | .address]'`;
