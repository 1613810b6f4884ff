/**
 * What failback touches in region A, named from the catalogue the constructs that create them
 * read (naming/catalogue.ts). Region B's names come from naming/recovery.ts.
 */
import { NameCatalogue } from "../../naming/catalogue";
import { resolveZones } from "../../facts/regions";
import type { DrContext } from "../context";

export interface RegionANames {
  /** The writer. */
  readonly writer: string;
  /** The in-region replica, when `database.readReplica`. */
  readonly replica?: string;
  readonly subnetGroup: string;
  /** `db-pg<major>`: one parameter group per major version. */
  readonly parameterGroup: string;
  readonly securityGroup: string;
  /** Alias of region A's key, which encrypts the writer's storage and Performance Insights. */
  readonly kmsAlias: string;
  /** Role of enhanced monitoring, when `database.monitoringIntervalSeconds` is above 0. */
  readonly monitoringRole?: string;
  /** The writer's zone when it is single-AZ (the stack pins it to the first zone). */
  readonly availabilityZone?: string;
  readonly cluster: string;
  readonly service: string;
  /** A's connection secret (its copy in B has the same name). */
  readonly connectionSecret: string;
}

export function regionANames({ config, regionA }: DrContext): RegionANames {
  const a = NameCatalogue.of(config.project, config.environment, regionA);
  const { database, network, service } = config;
  return {
    writer: a.databaseInstance("db"),
    replica: database.readReplica ? a.databaseInstance("db-replica") : undefined,
    subnetGroup: a.databaseSubnetGroup("db"),
    parameterGroup: a.databaseParameterGroup("db", database.engineVersion),
    securityGroup: a.databaseSecurityGroup("db"),
    kmsAlias: a.keyAlias,
    monitoringRole:
      database.monitoringIntervalSeconds > 0 ? a.databaseMonitoringRole("db") : undefined,
    availabilityZone: database.multiAz
      ? undefined
      : resolveZones(regionA, network.azCount, network.availabilityZones).zones[0],
    cluster: a.ecsCluster(service.name),
    service: a.ecsService(service.name),
    connectionSecret: a.connectionSecret,
  };
}

/** The name clients use (`<record>.<zone>`), or undefined without a DNS zone. */
export function serviceName({ config }: DrContext): string | undefined {
  return config.dns ? `${config.dns.recordName}.${config.dns.zoneName}` : undefined;
}
