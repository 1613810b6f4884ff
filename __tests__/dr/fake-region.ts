/**
 * An in-memory region B that behaves like AWS for what `npm run dr` does: a promotion takes a
 * few polls, a new deployment's tasks start one per poll, and every change is recorded in
 * `changes`, so a spec can say "the second run changed nothing".
 */
import type {
  AlarmState,
  AutomatedBackup,
  Deployment,
  ListenerRule,
  RegionB,
  ScalableTarget,
} from "../../dr/aws/aws";
import { scalableResourceId } from "../../dr/aws/aws";
import type { RegionA, WriterView } from "../../dr/aws/region-a";
import type { DrContext } from "../../dr/context";
import type { Clock } from "../../dr/runtime";
import { FENCE_PATH } from "../../naming/recovery";
import { NameCatalogue } from "../../naming/catalogue";

/** Every call returns a later time, so "created after" comparisons are strict. */
export class FakeClock implements Clock {
  constructor(public ms = Date.UTC(2024, 4, 1, 12)) {}
  now = () => new Date((this.ms += 1000));
  sleep = async (ms: number) => {
    this.ms += ms;
  };
}

interface FakeDb {
  identifier: string;
  arn: string;
  status: string;
  source?: string;
  address?: string;
  port?: number;
  multiAz?: boolean;
  pendingMultiAz?: boolean;
}

/** Region A's RDS API as `dr promote` sees it: by default it does not answer (A is lost). */
export class FakeRegionA implements RegionA {
  view: WriterView = { answered: false, reason: "no answer within 5 s" };
  readonly asked: string[] = [];
  constructor(readonly region: string) {}
  async writer(identifier: string): Promise<WriterView> {
    this.asked.push(identifier);
    return this.view;
  }
}

interface FakeService {
  status: string;
  desiredCount: number;
  deployments: { -readonly [K in keyof Deployment]: Deployment[K] }[];
}

export class FakeRegionB implements RegionB {
  readonly region: string;
  /** Changes made, in order: the specs' main evidence. */
  readonly changes: string[] = [];
  /** Operation name -> error thrown on its next call (then cleared). */
  readonly failNext = new Map<string, Error>();
  db?: FakeDb;
  promotionPolls = 0;
  backups: AutomatedBackup[] = [];
  lag?: number = 2;
  /** What the replica last reported, when `lag` has no datapoint any more. */
  lastLag?: { value: number; at: Date } = { value: 3, at: new Date(Date.UTC(2024, 4, 1, 11, 58)) };
  alarmStates = new Map<string, AlarmState>();
  /** Polls a Multi-AZ conversion takes. */
  multiAzPolls = 0;
  /** Polls the replica stays backing-up (an automated snapshot) before it is available. */
  backingUpPolls = 0;
  secretStore = new Map<string, { value: string; lastChanged: Date }>();
  parameters_ = new Map<string, string>();
  svc?: FakeService;
  scalable = new Map<string, ScalableTarget>();
  lbDns = "b-alb-123.us-west-2.elb.amazonaws.com";
  hasLoadBalancer = true;
  rules: ListenerRule[];
  peeringStatus = "active";
  logs: RegionB["logs"];
  readonly logEvents: string[] = [];
  logsFail = false;
  /** The image B's task definition names; set by the constructor from `failover.imageSource`. */
  taskImage: string;
  /** `<repository>@<reference>` held by B's ECR. */
  cachedImages = new Set<string>();

  constructor(
    readonly ctx: DrContext,
    readonly clock: Clock,
  ) {
    const n = ctx.names;
    this.region = ctx.regionB;
    this.db = {
      identifier: n.replica,
      arn: `arn:aws:rds:${ctx.regionB}:111122223333:db:${n.replica}`,
      status: "available",
      source: `arn:aws:rds:${ctx.regionA}:111122223333:db:${n.primaryDatabase}`,
      address: `${n.replica}.abc.${ctx.regionB}.rds.amazonaws.com`,
      port: 5432,
    };
    this.backups = [{ instance: n.primaryDatabase, status: "replicating", region: ctx.regionA }];
    const aHost = `${n.primaryDatabase}.xyz.${ctx.regionA}.rds.amazonaws.com`;
    const conn = (host: string) =>
      JSON.stringify({
        dbname: "helloyou",
        host,
        password: "p-4ss_w0rd",
        port: 5432,
        username: "helloyou",
      });
    const long_ago = new Date(Date.UTC(2024, 0, 1));
    this.secretStore.set(n.primaryConnectionSecret, { value: conn(aHost), lastChanged: long_ago });
    this.secretStore.set(n.failoverConnectionSecret, { value: conn(aHost), lastChanged: long_ago });
    this.parameters_.set(n.primaryEndpointParameter, "a-alb-456.us-east-1.elb.amazonaws.com");
    const path = "diogo-pessoa/hello-you-api/hello-you-api";
    const digest = `sha256:${"a".repeat(64)}`;
    if (ctx.config.failover.imageSource === "regionalCache") {
      const repository = `${NameCatalogue.of(ctx.config.project, ctx.environment, ctx.regionB).imageCachePrefix}/${path}`;
      this.taskImage = `111122223333.dkr.ecr.${ctx.regionB}.amazonaws.com/${repository}@${digest}`;
      this.cachedImages.add(`${repository}@${digest}`);
    } else {
      this.taskImage = `ghcr.io/${path}:latest`;
    }
    const standby = ctx.config.failover.standbyTasks;
    this.svc = {
      status: "ACTIVE",
      desiredCount: standby,
      deployments: [
        {
          status: "PRIMARY",
          rolloutState: "COMPLETED",
          createdAt: long_ago,
          desiredCount: standby,
          runningCount: standby,
        },
      ],
    };
    this.scalable.set(scalableResourceId(n.cluster, n.service), { min: standby, max: standby });
    this.rules = [
      {
        arn: "arn:rule/fence",
        priority: "1",
        pathPatterns: [FENCE_PATH],
        hostHeaders: [this.lbDns],
        fixedResponse: { statusCode: "200", body: "open", contentType: "text/plain" },
      },
      { arn: "arn:rule/default", priority: "default", pathPatterns: [], hostHeaders: [] },
    ];
    this.logs = {
      createStream: async (group, stream) => this.logCall(`createStream ${group} ${stream}`),
      put: async (_group, _stream, events) => {
        this.logCall("put");
        this.logEvents.push(...events.map((e) => e.message));
      },
    };
  }

  private logCall(what: string): void {
    if (this.logsFail) {
      throw Object.assign(new Error(`log group not found (${what})`), {
        name: "ResourceNotFoundException",
      });
    }
  }

  private change(operation: string, detail: string) {
    const error = this.failNext.get(operation);
    if (error) {
      this.failNext.delete(operation);
      throw error;
    }
    this.changes.push(`${operation} ${detail}`);
  }

  /** Time passes between polls: the promotion and new tasks progress. */
  private tick() {
    if (this.db && this.promotionPolls > 0 && --this.promotionPolls === 0) {
      this.db = { ...this.db, status: "available", source: undefined };
    }
    if (this.db && this.backingUpPolls > 0 && --this.backingUpPolls === 0) {
      this.db = { ...this.db, status: "available" };
    }
    if (this.db && this.multiAzPolls > 0 && --this.multiAzPolls === 0) {
      this.db = { ...this.db, status: "available", multiAz: true, pendingMultiAz: undefined };
    }
    const svc = this.svc;
    const primary = svc?.deployments.find((d) => d.status === "PRIMARY");
    if (svc && primary) {
      primary.desiredCount = svc.desiredCount;
      if (primary.runningCount < svc.desiredCount) primary.runningCount += 1;
      if (primary.runningCount >= svc.desiredCount) {
        primary.rolloutState = "COMPLETED";
        svc.deployments = [primary];
      }
    }
  }

  readonly database: RegionB["database"] = {
    describe: async (id) => {
      this.tick();
      return this.db?.identifier === id ? { ...this.db } : undefined;
    },
    promote: async (id, days) => {
      this.change("promote", `${id} ${days}`);
      if (this.db) this.db = { ...this.db, status: "modifying" };
      this.promotionPolls = 3;
    },
    automatedBackups: async () => this.backups,
    replicaLagSeconds: async () => this.lag,
    lastReplicaLag: async () => this.lastLag,
    makeMultiAz: async (id) => {
      this.change("makeMultiAz", id);
      if (this.db) this.db = { ...this.db, status: "modifying", pendingMultiAz: true };
      this.multiAzPolls = 4;
    },
  };

  readonly alarms: RegionB["alarms"] = {
    state: async (name) => this.alarmStates.get(name),
  };

  readonly secrets: RegionB["secrets"] = {
    describe: async (name) => {
      const s = this.secretStore.get(name);
      return s && { name, lastChanged: s.lastChanged };
    },
    read: async (name) => this.secretStore.get(name)?.value,
    write: async (name, value) => {
      this.change("putSecretValue", name);
      this.secretStore.set(name, { value, lastChanged: this.clock.now() });
    },
  };

  readonly parameters: RegionB["parameters"] = {
    read: async (name) => this.parameters_.get(name),
  };

  readonly service: RegionB["service"] = {
    describe: async (cluster, service) => {
      this.tick();
      const n = this.ctx.names;
      if (!this.svc || cluster !== n.cluster || service !== n.service) return undefined;
      const running = this.svc.deployments.reduce((sum, d) => sum + d.runningCount, 0);
      return {
        status: this.svc.status,
        desiredCount: this.svc.desiredCount,
        runningCount: running,
        deployments: this.svc.deployments.map((d) => ({ ...d })),
      };
    },
    update: async (_cluster, service, change) => {
      this.change("updateService", `${service} ${JSON.stringify(change)}`);
      const svc = this.svc;
      if (!svc) throw new Error("no service");
      if (change.desiredCount !== undefined) svc.desiredCount = change.desiredCount;
      if (change.forceNewDeployment) {
        for (const d of svc.deployments) d.status = "ACTIVE";
        svc.deployments.unshift({
          status: "PRIMARY",
          rolloutState: "IN_PROGRESS",
          createdAt: this.clock.now(),
          desiredCount: svc.desiredCount,
          runningCount: 0,
        });
      }
    },
    image: async (cluster, service) => {
      const n = this.ctx.names;
      return this.svc && cluster === n.cluster && service === n.service
        ? this.taskImage
        : undefined;
    },
    scalableTarget: async (id) => this.scalable.get(id),
    registerScalableTarget: async (id, target) => {
      this.change("registerScalableTarget", `${id} ${target.min}-${target.max}`);
      this.scalable.set(id, target);
    },
  };

  readonly images: RegionB["images"] = {
    holds: async (repository, reference) => this.cachedImages.has(`${repository}@${reference}`),
  };

  readonly loadBalancing: RegionB["loadBalancing"] = {
    findLoadBalancer: async (name) =>
      this.hasLoadBalancer && name === this.ctx.names.loadBalancer
        ? { arn: "arn:lb/b", dnsName: this.lbDns }
        : undefined,
    listeners: async () => [{ arn: "arn:listener/80", port: 80, protocol: "HTTP" }],
    rules: async () => this.rules.map((r) => ({ ...r })),
    setFixedResponse: async (arn, response) => {
      this.change("modifyRule", `${arn} ${response.statusCode} ${response.body}`);
      this.rules = this.rules.map((r) => (r.arn === arn ? { ...r, fixedResponse: response } : r));
    },
    targetHealth: async (name) => {
      if (name !== this.ctx.names.targetGroup || !this.svc) return undefined;
      const running = this.svc.deployments.reduce((sum, d) => sum + d.runningCount, 0);
      return { healthy: running, total: running };
    },
  };

  readonly network: RegionB["network"] = {
    peerings: async (vpcName) =>
      vpcName === this.ctx.vpcName
        ? { vpcId: "vpc-b", peerings: [{ id: "pcx-1", status: this.peeringStatus }] }
        : { peerings: [] },
  };
}
