/** An in-memory region for `npm run release`: services, revisions, tasks, logs and a call log. */
import type { ReleaseAws, Revision, ServicePlacement, StoppedTask } from "../../release/aws";

export interface ScriptedTask {
  /** Polls before the task reports STOPPED. */
  readonly pollsToStop: number;
  readonly exitCode?: number;
  readonly stoppedReason?: string;
  readonly log: string[];
}

export class FakeReleaseRegion implements ReleaseAws {
  /** Every call, in order, shared with the fake cdktf. */
  readonly calls: string[];
  readonly revisions = new Map<string, Revision[]>();
  readonly services = new Map<string, ServicePlacement>();
  readonly started: {
    revision: string;
    command: readonly string[];
    placement: ServicePlacement;
  }[] = [];
  script: ScriptedTask = {
    pollsToStop: 2,
    exitCode: 0,
    log: ["INFO  [alembic] Running upgrade -> c289862b2da7"],
  };
  private polls = 0;

  constructor(
    readonly region: string,
    calls: string[],
  ) {
    this.calls = calls;
  }

  /** A deployed service whose family's latest revision runs `image`. */
  deploy(names: { cluster: string; service: string; family: string }, image: string) {
    const arn = `arn:aws:ecs:${this.region}:123456789012:task-definition/${names.family}:7`;
    this.revisions.set(names.family, [
      { arn, image, logGroup: `/ecs/${names.family}`, logStreamPrefix: "hello-you" },
    ]);
    this.services.set(`${names.cluster}/${names.service}`, {
      taskDefinition: arn,
      subnets: ["subnet-app-a", "subnet-app-b"],
      securityGroups: ["sg-service"],
    });
  }

  async placement(cluster: string, service: string) {
    this.calls.push(`placement ${this.region}`);
    return this.services.get(`${cluster}/${service}`);
  }

  async latestRevision(family: string) {
    this.calls.push(`latestRevision ${this.region}`);
    const list = this.revisions.get(family);
    if (!list) throw new Error(`no family ${family}`);
    return list[list.length - 1];
  }

  async registerWithImage(family: string, _container: string, image: string) {
    this.calls.push(`registerWithImage ${this.region} ${image}`);
    const list = this.revisions.get(family)!;
    const latest = list[list.length - 1];
    const revision = { ...latest, arn: latest.arn.replace(/:\d+$/, `:${list.length + 7}`), image };
    list.push(revision);
    return revision;
  }

  async runTask(input: Parameters<ReleaseAws["runTask"]>[0]) {
    this.calls.push(`runTask ${this.region} ${input.revision}`);
    this.started.push({
      revision: input.revision,
      command: input.command,
      placement: input.placement,
    });
    this.polls = 0;
    return `arn:aws:ecs:${this.region}:123456789012:task/${input.cluster}/0123456789abcdef`;
  }

  async describeTask(): Promise<StoppedTask> {
    this.calls.push(`describeTask ${this.region}`);
    this.polls++;
    if (this.polls < this.script.pollsToStop) return { lastStatus: "RUNNING" };
    return {
      lastStatus: "STOPPED",
      exitCode: this.script.exitCode,
      stoppedReason: this.script.stoppedReason,
      stopCode:
        this.script.exitCode === undefined ? "TaskFailedToStart" : "EssentialContainerExited",
    };
  }

  async logLines(group: string, stream: string) {
    this.calls.push(`logLines ${this.region} ${group} ${stream}`);
    return this.script.log;
  }
}
