/**
 * The data half of region B's adapter: RDS, CloudWatch, Secrets Manager, SSM. Each method asks
 * one thing and maps "not found" to `undefined`, so that the steps decide what absence means.
 */
import { DescribeAlarmsCommand, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeDBInstanceAutomatedBackupsCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  PromoteReadReplicaCommand,
} from "@aws-sdk/client-rds";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
} from "@aws-sdk/client-secrets-manager";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import type { AutomatedBackup, RegionB } from "./aws";
import type { Clients } from "./clients";

/** The call's answer, or `undefined` when it failed with one of the "not found" error names. */
export async function unlessMissing<T>(names: string[], call: () => Promise<T>) {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && names.includes(error.name)) return undefined;
    throw error;
  }
}

/**
 * Every item of a Marker-paginated call: `page(marker)` fetches one page and returns its items
 * and the next marker. (The SDK's own paginators insist on a real client instance.)
 */
export async function allPages<T>(
  page: (marker: string | undefined) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await page(marker);
    items.push(...out.items);
    marker = out.next;
  } while (marker);
  return items;
}

export function databaseAdapter(c: Clients): RegionB["database"] {
  return {
    async describe(identifier) {
      const out = await unlessMissing(["DBInstanceNotFoundFault", "DBInstanceNotFound"], () =>
        c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier })),
      );
      const db = out?.DBInstances?.[0];
      if (!db) return undefined;
      return {
        identifier: db.DBInstanceIdentifier ?? identifier,
        arn: db.DBInstanceArn ?? "",
        status: db.DBInstanceStatus ?? "unknown",
        source: db.ReadReplicaSourceDBInstanceIdentifier || undefined,
        address: db.Endpoint?.Address,
        port: db.Endpoint?.Port,
        multiAz: db.MultiAZ,
        pendingMultiAz: db.PendingModifiedValues?.MultiAZ,
      };
    },
    async promote(identifier, backupRetentionDays) {
      await c.rds.send(
        new PromoteReadReplicaCommand({
          DBInstanceIdentifier: identifier,
          BackupRetentionPeriod: backupRetentionDays,
        }),
      );
    },
    automatedBackups: () =>
      allPages(async (marker): Promise<{ items: AutomatedBackup[]; next?: string }> => {
        const out = await c.rds.send(
          new DescribeDBInstanceAutomatedBackupsCommand({ Marker: marker }),
        );
        const items = (out.DBInstanceAutomatedBackups ?? []).map((b) => ({
          instance: b.DBInstanceIdentifier ?? "",
          status: b.Status ?? "unknown",
          region: b.Region,
        }));
        return { items, next: out.Marker };
      }),
    async replicaLagSeconds(identifier) {
      return (await latestReplicaLag(c, identifier, 10))?.value;
    },
    lastReplicaLag: (identifier) => latestReplicaLag(c, identifier, 180),
    async makeMultiAz(identifier) {
      await c.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          MultiAZ: true,
          ApplyImmediately: true,
        }),
      );
    },
  };
}

/** The newest ReplicaLag maximum (one-minute periods) of the last `minutes`. */
async function latestReplicaLag(c: Clients, identifier: string, minutes: number) {
  const end = new Date();
  const out = await c.cloudWatch.send(
    new GetMetricStatisticsCommand({
      Namespace: "AWS/RDS",
      MetricName: "ReplicaLag",
      Dimensions: [{ Name: "DBInstanceIdentifier", Value: identifier }],
      StartTime: new Date(end.getTime() - minutes * 60_000),
      EndTime: end,
      Period: 60,
      Statistics: ["Maximum"],
    }),
  );
  const latest = (out.Datapoints ?? [])
    .filter((d) => d.Timestamp && d.Maximum !== undefined)
    .sort((a, b) => (b.Timestamp?.getTime() ?? 0) - (a.Timestamp?.getTime() ?? 0))[0];
  return latest?.Timestamp && latest.Maximum !== undefined
    ? { value: latest.Maximum, at: latest.Timestamp }
    : undefined;
}

export function alarmsAdapter(c: Clients): RegionB["alarms"] {
  return {
    async state(name) {
      const out = await c.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
      const alarm = out.MetricAlarms?.[0];
      if (!alarm) return undefined;
      return { state: alarm.StateValue ?? "unknown", since: alarm.StateUpdatedTimestamp };
    },
  };
}

const SECRET_MISSING = ["ResourceNotFoundException"];

export function secretsAdapter(c: Clients): RegionB["secrets"] {
  return {
    async describe(name) {
      const out = await unlessMissing(SECRET_MISSING, () =>
        c.secrets.send(new DescribeSecretCommand({ SecretId: name })),
      );
      if (!out) return undefined;
      return { name: out.Name ?? name, lastChanged: out.LastChangedDate };
    },
    async read(name) {
      const out = await unlessMissing(SECRET_MISSING, () =>
        c.secrets.send(new GetSecretValueCommand({ SecretId: name })),
      );
      return out?.SecretString;
    },
    async write(name, value) {
      await c.secrets.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
    },
  };
}

export function parametersAdapter(c: Clients): RegionB["parameters"] {
  return {
    async read(name) {
      const out = await unlessMissing(["ParameterNotFound"], () =>
        c.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true })),
      );
      return out?.Parameter?.Value;
    },
  };
}
