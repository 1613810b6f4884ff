/**
 * `dr status`: is region B ready to take over? One line per check, region B's APIs only, and a
 * verdict that becomes the exit code, so that it can run on a schedule and page when not ready.
 */
import { NameCatalogue } from "../naming/catalogue";
import type { RegionB } from "./aws/aws";
import type { DrContext } from "./context";
import { describeFence, findFence } from "./promote/fence";

export type Level = "ok" | "NOT READY" | "info";

export interface Check {
  readonly name: string;
  readonly level: Level;
  readonly detail: string;
}

type Probe = () => Promise<Omit<Check, "name">>;

const ok = (detail: string) => ({ level: "ok" as const, detail });
const notReady = (detail: string) => ({ level: "NOT READY" as const, detail });
const info = (detail: string) => ({ level: "info" as const, detail });

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>` with `@<digest>` or `:<tag>`. */
const ECR_REFERENCE =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/([^@:]+)(?:@(sha256:[0-9a-f]{64})|:([\w][\w.-]{0,127}))$/;

/** Is the image B's tasks would start with already in B's cache? Only a pull puts it there. */
async function imageCheck(aws: RegionB, ctx: DrContext): Promise<Omit<Check, "name">> {
  const { config } = ctx;
  if (config.failover.imageSource !== "regionalCache") {
    return info(
      `pulled from ${config.service.image} through B's NAT (failover.imageSource: upstream): a recovery's tasks need that registry`,
    );
  }
  const n = ctx.names;
  const names = NameCatalogue.of(config.project, ctx.environment, ctx.regionB);
  const image = await aws.service.image(n.cluster, n.service);
  if (!image) return notReady(`${n.service} has no task definition to read: deploy failover`);
  const [, repository, digest, tag] = ECR_REFERENCE.exec(image) ?? [];
  if (!repository?.startsWith(`${names.imageCachePrefix}/`)) {
    return notReady(`${n.service} runs ${image}, not through B's image cache: deploy failover`);
  }
  const reference = digest ?? tag;
  if (await aws.images.holds(repository, reference)) {
    return ok(`${repository} holds ${reference}: a recovery's tasks pull it from ${ctx.regionB}`);
  }
  return notReady(
    `${repository} does not hold ${reference} yet: no standby task has pulled it (is the GitHub token in ${names.imageCacheSecret}? docs/disaster-recovery.md); until one does, a recovery's first pull needs ghcr.io`,
  );
}

/** Every readiness check, run together; a check that throws is reported, not fatal. */
export async function statusChecks(
  aws: RegionB,
  ctx: DrContext,
  { maxLagSeconds }: { maxLagSeconds: number },
): Promise<Check[]> {
  const n = ctx.names;
  const standby = ctx.config.failover.standbyTasks;
  const replica = aws.database.describe(n.replica);
  const probes: Record<string, Probe> = {
    replica: async () => {
      const db = await replica;
      if (!db) return notReady(`${n.replica} not found: deploy failover`);
      if (!db.source) {
        return notReady(
          `${n.replica} is no longer a replica (${db.status}): region B was promoted; see npm run dr -- failback --plan`,
        );
      }
      const line = `${n.replica} ${db.status}, replica of ${db.source}`;
      return db.status === "available" ? ok(line) : notReady(line);
    },
    "replica lag": async () => {
      const db = await replica;
      if (!db?.source) return info("no replica to measure");
      const lag = await aws.database.replicaLagSeconds(n.replica);
      if (lag === undefined) return info("no ReplicaLag datapoint in the last 10 minutes");
      const line = `${lag} s (limit ${maxLagSeconds} s, --max-lag-seconds)`;
      return lag <= maxLagSeconds ? ok(line) : notReady(line);
    },
    backups: async () => {
      const copies = (await aws.database.automatedBackups()).filter(
        (b) => b.instance === n.primaryDatabase,
      );
      if (copies.length) {
        return ok(
          `${n.primaryDatabase}'s backups replicated (${copies.map((b) => b.status).join(", ")})`,
        );
      }
      const line = `no automated backups of ${n.primaryDatabase} replicated into ${aws.region}`;
      return ctx.config.failover.promoted ? info(`${line} (failover.promoted)`) : notReady(line);
    },
    service: async () => {
      const s = await aws.service.describe(n.cluster, n.service);
      if (!s || s.status === "INACTIVE") return notReady(`${n.service} not found in ${n.cluster}`);
      const deployments = s.deployments
        .map((d) =>
          `${d.status} ${d.rolloutState ?? ""} ${d.runningCount}/${d.desiredCount}`.replace(
            "  ",
            " ",
          ),
        )
        .join("; ");
      const line = `${n.service} desired ${s.desiredCount}, running ${s.runningCount} (${deployments})`;
      if (s.desiredCount < standby)
        return notReady(`${line}; below failover.standbyTasks ${standby}`);
      return s.runningCount >= s.desiredCount ? ok(line) : notReady(line);
    },
    "target group": async () => {
      const health = await aws.loadBalancing.targetHealth(n.targetGroup);
      if (!health) return notReady(`${n.targetGroup} not found`);
      const line = `${n.targetGroup}: ${health.healthy} healthy of ${health.total} (need ${standby}, failover.standbyTasks)`;
      return health.healthy >= standby ? ok(line) : notReady(line);
    },
    fence: async () => {
      const fence = await findFence(aws, n.loadBalancer);
      const line = describeFence(fence);
      if (fence.state === "open") return ok(line);
      return notReady(
        fence.state === "fenced" ? `${line}: region A is kept out of DNS (promoted)` : line,
      );
    },
    // Fence, database and repository must tell one story: a promotion the config does not know
    // makes every failover plan fail (constructs/promotion-guard.ts) until it is recorded.
    promotion: async () => {
      const [db, fence] = await Promise.all([replica, findFence(aws, n.loadBalancer)]);
      const configured = ctx.config.failover.promoted;
      const file = `config/environments/${ctx.environment}.ts`;
      const writer = Boolean(db && !db.source);
      const line = `database ${db ? (writer ? "writer" : "replica") : "missing"}, fence ${fence.state ?? "unknown"}, failover.promoted ${configured}`;
      if (!configured && !writer && fence.state !== "fenced") return ok(`${line}: not promoted`);
      if (configured && writer && fence.state === "fenced") return info(`${line}: promoted`);
      if (!configured && writer) {
        return notReady(
          `${line}: region B was promoted and ${file} does not say so; set failover.promoted: true there and keep deploys paused until it is merged (failover plans fail meanwhile)`,
        );
      }
      if (!configured && fence.state === "fenced") {
        return notReady(
          `${line}: the fence is set and the database not promoted: a promotion under way or interrupted; re-run npm run dr -- promote`,
        );
      }
      return notReady(`${line}: ${file} says promoted, region B does not agree`);
    },
    secrets: async () => {
      const [own, fromA] = await Promise.all([
        aws.secrets.describe(n.failoverConnectionSecret),
        aws.secrets.describe(n.primaryConnectionSecret),
      ]);
      const missing = [
        ...(own ? [] : [`${n.failoverConnectionSecret} (failover stack)`]),
        ...(fromA ? [] : [`${n.primaryConnectionSecret}, the copy of region A's (primary stack)`]),
      ];
      if (missing.length) return notReady(`missing: ${missing.join(", ")}`);
      return ok(`${n.failoverConnectionSecret} and ${n.primaryConnectionSecret} present`);
    },
    image: () => imageCheck(aws, ctx),
    "region A endpoint": async () => {
      const dns = await aws.parameters.read(n.primaryEndpointParameter);
      if (dns) return ok(`${n.primaryEndpointParameter} = ${dns}`);
      return notReady(
        `${n.primaryEndpointParameter} missing (link stack): promote could not check region A without --force`,
      );
    },
    peering: async () => {
      const { vpcId, peerings } = await aws.network.peerings(ctx.vpcName);
      if (!vpcId) return info(`no VPC tagged Name=${ctx.vpcName}`);
      if (!peerings.length) return info(`${vpcId} has no peering connection`);
      return info(peerings.map((p) => `${p.id} ${p.status}`).join(", "));
    },
  };
  return Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      try {
        return { name, ...(await probe()) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { name, ...(name === "peering" ? info : notReady)(`could not check: ${message}`) };
      }
    }),
  );
}

/** The report: a header, a line per check, the verdict; `ready` is the exit code's source. */
export function formatStatus(ctx: DrContext, checks: readonly Check[]) {
  const failed = checks.filter((c) => c.level === "NOT READY");
  const nameWidth = Math.max(...checks.map((c) => c.name.length));
  const lines = [
    `Region B readiness of ${ctx.config.project} ${ctx.environment}: region B ${ctx.regionB} (region A ${ctx.regionA})`,
    ...checks.map((c) => `  ${c.level.padEnd(9)}  ${c.name.padEnd(nameWidth)}  ${c.detail}`),
    failed.length
      ? `NOT READY: ${failed.length} of ${checks.length} checks failed (${failed.map((c) => c.name).join(", ")})`
      : `READY: region B can take over (npm run dr -- promote --env ${ctx.environment})`,
  ];
  return { ready: failed.length === 0, lines };
}
