/**
 * One migration, once per release, before any serving task changes: a one-off task of the
 * service's own task definition family, with the release's image and the container's command
 * replaced by the migration command, in the service's subnets and security group (the path to the
 * database the tasks use). Waited on; its exit code decides, and its log is shown either way.
 */
import { type Clock, waitUntil } from "../dr/runtime";
import type { ReleaseAws, Revision, StoppedTask } from "./aws";

export interface MigrationTarget {
  readonly cluster: string;
  readonly service: string;
  readonly family: string;
  /** The container's name in the task definition (service.name). */
  readonly container: string;
  /** The image reference the release deploys (`image@sha256:…` or `image:vX.Y.Z`). */
  readonly image: string;
  readonly command: readonly string[];
}

export interface MigrationOptions {
  readonly clock: Clock;
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly say: (line: string) => void;
}

export interface MigrationResult {
  readonly ok: boolean;
  readonly revision: string;
  readonly task: string;
  readonly exitCode?: number;
  /** Why it failed, in one line. */
  readonly reason?: string;
}

/** The task ID is the last part of its ARN; awslogs names the stream `<prefix>/<container>/<id>`. */
const taskId = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/**
 * The revision to migrate with: the family's latest if it already runs the release's image (the
 * pipeline registered it), else the latest registered again with only the image replaced, which
 * is the shape Terraform last gave the family (docs/adr/0001-image-rollout.md).
 */
async function revisionFor(aws: ReleaseAws, t: MigrationTarget): Promise<[Revision, boolean]> {
  const latest = await aws.latestRevision(t.family, t.container);
  if (latest.image === t.image) return [latest, false];
  return [await aws.registerWithImage(t.family, t.container, t.image), true];
}

export async function runMigration(
  aws: ReleaseAws,
  target: MigrationTarget,
  options: MigrationOptions,
): Promise<MigrationResult> {
  const { say } = options;
  const placement = await aws.placement(target.cluster, target.service);
  if (!placement) {
    throw new Error(
      `no ECS service ${target.service} in cluster ${target.cluster} (${aws.region}): a release migrates an environment that is deployed. For the first deploy (no users yet), run cdktf deploy first, then npm run release with --migrate-only`,
    );
  }
  const [revision, registered] = await revisionFor(aws, target);
  say(
    `${registered ? "Registered" : "Using"} ${revision.arn} with ${target.image} for the migration`,
  );
  const task = await aws.runTask({
    cluster: target.cluster,
    revision: revision.arn,
    container: target.container,
    command: target.command,
    placement,
  });
  say(`Migration task ${task} started in ${aws.region}: ${target.command.join(" ")}`);
  const stopped = await waitForStop(aws, target, task, options);

  const lines =
    revision.logGroup && revision.logStreamPrefix
      ? await aws.logLines(
          revision.logGroup,
          `${revision.logStreamPrefix}/${target.container}/${taskId(task)}`,
        )
      : [];
  say(
    lines.length
      ? `Migration log (${revision.logGroup}):`
      : `Migration log: none found${revision.logGroup ? ` in ${revision.logGroup}` : " (the container has no awslogs configuration)"}`,
  );
  lines.forEach((line) => say(`  | ${line}`));

  if (stopped.exitCode === 0) {
    say("Migration exited 0");
    return { ok: true, revision: revision.arn, task, exitCode: 0 };
  }
  const reason =
    stopped.exitCode === undefined
      ? `the migration container never ran to an exit code: ${[stopped.stopCode, stopped.stoppedReason, stopped.containerReason].filter(Boolean).join("; ") || "no reason given"}`
      : `the migration exited ${stopped.exitCode}${stopped.containerReason ? ` (${stopped.containerReason})` : ""}`;
  return { ok: false, revision: revision.arn, task, exitCode: stopped.exitCode, reason };
}

async function waitForStop(
  aws: ReleaseAws,
  target: MigrationTarget,
  task: string,
  options: MigrationOptions,
) {
  let last: StoppedTask = { lastStatus: "PENDING" };
  try {
    await waitUntil(
      "the migration task to stop",
      async () => {
        last = await aws.describeTask(target.cluster, task, target.container);
        return { done: last.lastStatus === "STOPPED", progress: last.lastStatus };
      },
      options,
    );
  } catch (error) {
    // Stopping a migration half-way could leave the schema between two versions: never here.
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}. The task is left running (aws ecs describe-tasks --region ${aws.region} --cluster ${target.cluster} --tasks ${task}); no service has changed`,
    );
  }
  return last;
}
