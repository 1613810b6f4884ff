/**
 * What failback touches in region A, named as the primary stack names it: every name comes from
 * the config and Naming the way the constructs derive it (constructs/database.ts for the
 * security, subnet and parameter groups and the monitoring role, database-instance.ts for the
 * instances, encryption-key.ts for the key's alias, fargate-service.ts for the service). Region
 * B's names come from naming/recovery.ts. The failback spec compares them with the synthesized
 * stacks, so a rename in a construct fails a spec instead of a failback.
 */
import { Naming } from "../../naming/naming";
import { resolveZones } from "../../facts/regions";
import type { DrContext } from "../context";

export interface RegionANames {
  /** The writer: `naming(A).name("rdsInstance", "db")`. */
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
  const a = new Naming(config.project, config.environment, regionA);
  const { database, network, service } = config;
  return {
    writer: a.name("rdsInstance", "db"),
    replica: database.readReplica ? a.name("rdsInstance", "db-replica") : undefined,
    subnetGroup: a.name("dbSubnetGroup", "db"),
    parameterGroup: a.name("dbParameterGroup", `db-pg${database.engineVersion}`),
    securityGroup: a.name("securityGroup", "db"),
    kmsAlias: a.kmsAlias("main"),
    monitoringRole:
      database.monitoringIntervalSeconds > 0 ? a.name("iamRole", "db-monitoring") : undefined,
    availabilityZone: database.multiAz
      ? undefined
      : resolveZones(regionA, network.azCount, network.availabilityZones).zones[0],
    cluster: a.name("ecsCluster", service.name),
    service: a.name("ecsService", service.name),
    connectionSecret: a.name("secret", "database"),
  };
}

/** The name clients use (`<record>.<zone>`), or undefined without a DNS zone. */
export function serviceName({ config }: DrContext): string | undefined {
  return config.dns ? `${config.dns.recordName}.${config.dns.zoneName}` : undefined;
}
