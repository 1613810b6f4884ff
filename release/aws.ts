/**
 * What `npm run release` reads and calls in the region that migrates, as a small interface: the
 * SDK adapter below implements it, the specs an in-memory fake that records the call order.
 */
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  type ContainerDefinition,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  RunTaskCommand,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { ECSClient } from "@aws-sdk/client-ecs";
import { clientSettings } from "../dr/aws/clients";

/** The service's network placement and the revision it runs. */
export interface ServicePlacement {
  readonly taskDefinition: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
}

/** A revision of the family, reduced to what a migration needs. */
export interface Revision {
  readonly arn: string;
  /** The container's image reference. */
  readonly image: string;
  /** awslogs group and stream prefix of the container, where its output goes. */
  readonly logGroup?: string;
  readonly logStreamPrefix?: string;
}

export interface StoppedTask {
  readonly lastStatus: string;
  /** The container's exit code; absent when it never ran (image pull failed, ...). */
  readonly exitCode?: number;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containerReason?: string;
}

export interface ReleaseAws {
  readonly region: string;
  /** The service's placement; undefined when the service does not exist. */
  placement(cluster: string, service: string): Promise<ServicePlacement | undefined>;
  /** The family's latest ACTIVE revision. */
  latestRevision(family: string, container: string): Promise<Revision>;
  /** Registers the latest revision again with only `container`'s image replaced. */
  registerWithImage(family: string, container: string, image: string): Promise<Revision>;
  /** Starts one task of `revision` with `container`'s command replaced; its ARN. */
  runTask(input: {
    cluster: string;
    revision: string;
    container: string;
    command: readonly string[];
    placement: ServicePlacement;
  }): Promise<string>;
  describeTask(cluster: string, task: string, container: string): Promise<StoppedTask>;
  /** The log lines of one stream, oldest first (empty when the stream does not exist). */
  logLines(group: string, stream: string): Promise<string[]>;
}

/** Fields RegisterTaskDefinition accepts back from DescribeTaskDefinition. */
const REGISTERABLE = [
  "family",
  "taskRoleArn",
  "executionRoleArn",
  "networkMode",
  "containerDefinitions",
  "volumes",
  "placementConstraints",
  "requiresCompatibilities",
  "cpu",
  "memory",
  "runtimePlatform",
  "ephemeralStorage",
  "pidMode",
  "ipcMode",
  "proxyConfiguration",
  "inferenceAccelerators",
] as const;

/**
 * The containers with `container` on `image`, and with it every container that ran the same
 * image: region A's fence check runs the app's image, and a revision must not pull two builds.
 */
export function withImage(
  containers: readonly ContainerDefinition[],
  container: string,
  image: string,
): ContainerDefinition[] {
  const before = containers.find((c) => c.name === container)?.image;
  return containers.map((c) =>
    c.name === container || (before !== undefined && c.image === before) ? { ...c, image } : c,
  );
}

function revisionOf(td: TaskDefinition | undefined, container: string): Revision {
  const def = td?.containerDefinitions?.find((c) => c.name === container);
  if (!td?.taskDefinitionArn || !def?.image) {
    throw new Error(
      `the task definition ${td?.taskDefinitionArn ?? "(none)"} has no container "${container}"; is service.name the deployed one?`,
    );
  }
  const options = def.logConfiguration?.options ?? {};
  return {
    arn: td.taskDefinitionArn,
    image: def.image,
    logGroup: options["awslogs-group"],
    logStreamPrefix: options["awslogs-stream-prefix"],
  };
}

/** `ReleaseAws` through the AWS SDK, honouring the emulator override variables of `env`. */
export function sdkReleaseAws(
  region: string,
  env: Readonly<Record<string, string | undefined>>,
): ReleaseAws {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const settings = clientSettings(region, env);
  const ecs = new ECSClient(settings);
  const logs = new CloudWatchLogsClient(settings);
  const latest = async (family: string) =>
    (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }))).taskDefinition;
  return {
    region,
    async placement(cluster, service) {
      const out = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
      const s = out.services?.find((x) => x.status !== "INACTIVE");
      const vpc = s?.networkConfiguration?.awsvpcConfiguration;
      if (!s?.taskDefinition || !vpc?.subnets?.length) return undefined;
      return {
        taskDefinition: s.taskDefinition,
        subnets: vpc.subnets,
        securityGroups: vpc.securityGroups ?? [],
      };
    },
    async latestRevision(family, container) {
      return revisionOf(await latest(family), container);
    },
    async registerWithImage(family, container, image) {
      const current = (await latest(family)) as Record<string, unknown> | undefined;
      if (!current) throw new Error(`no task definition of family ${family}`);
      const input = Object.fromEntries(
        REGISTERABLE.filter((k) => current[k] !== undefined).map((k) => [k, current[k]]),
      ) as unknown as RegisterTaskDefinitionCommandInput;
      input.containerDefinitions = withImage(input.containerDefinitions ?? [], container, image);
      const out = await ecs.send(new RegisterTaskDefinitionCommand(input));
      return revisionOf(out.taskDefinition, container);
    },
    async runTask({ cluster, revision, container, command, placement }) {
      const out = await ecs.send(
        new RunTaskCommand({
          cluster,
          taskDefinition: revision,
          count: 1,
          // On-demand capacity only: a Spot interruption would stop a migration half-way.
          launchType: "FARGATE",
          platformVersion: "LATEST",
          startedBy: "hello-you-release",
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: [...placement.subnets],
              securityGroups: [...placement.securityGroups],
              assignPublicIp: "DISABLED",
            },
          },
          overrides: { containerOverrides: [{ name: container, command: [...command] }] },
        }),
      );
      const task = out.tasks?.[0]?.taskArn;
      if (!task) {
        const why = (out.failures ?? []).map((f) => `${f.reason ?? "?"} ${f.detail ?? ""}`.trim());
        throw new Error(`ECS started no migration task: ${why.join("; ") || "no reason given"}`);
      }
      return task;
    },
    async describeTask(cluster, task, container) {
      const out = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [task] }));
      const t = out.tasks?.[0];
      const c = t?.containers?.find((x) => x.name === container);
      return {
        lastStatus: t?.lastStatus ?? "UNKNOWN",
        exitCode: c?.exitCode,
        stopCode: t?.stopCode,
        stoppedReason: t?.stoppedReason,
        containerReason: c?.reason,
      };
    },
    async logLines(group, stream) {
      const lines: string[] = [];
      let token: string | undefined;
      // GetLogEvents pages forward until it hands back the token it was given.
      for (let page = 0; page < 50; page++) {
        const out = await logs
          .send(
            new GetLogEventsCommand({
              logGroupName: group,
              logStreamName: stream,
              startFromHead: true,
              nextToken: token,
            }),
          )
          .catch((error: unknown) => {
            if ((error as { name?: string }).name === "ResourceNotFoundException") return undefined;
            throw error;
          });
        if (!out) break;
        lines.push(...(out.events ?? []).map((e) => e.message ?? ""));
        if (!out.nextForwardToken || out.nextForwardToken === token) break;
        token = out.nextForwardToken;
      }
      return lines;
    },
  };
}
