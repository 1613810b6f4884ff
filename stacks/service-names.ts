import type { AppConfig } from "../config/schema";
import { NameCatalogue } from "../naming/catalogue";

/** What the delivery stacks name of one region's service, derived from config alone. */
export interface ServiceNames {
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
  readonly taskFamily: string;
  readonly executionRole: string;
  readonly taskRole: string;
  readonly loadBalancer: string;
  /** The service's log group, where its tasks (a migration task too) write. */
  readonly logGroup: string;
}

/**
 * The names of a region's service from the catalogue its constructs read, from config alone: so
 * the delivery stacks name the services and roles they act on without reading `primary`'s or
 * `failover`'s state (which holds secrets).
 */
export function serviceNames(config: AppConfig, region: string): ServiceNames {
  const names = NameCatalogue.of(config.project, config.environment, region);
  const name = config.service.name;
  return {
    region,
    cluster: names.ecsCluster(name),
    service: names.ecsService(name),
    taskFamily: names.taskFamily(name),
    executionRole: names.taskExecutionRole,
    taskRole: names.taskRole,
    loadBalancer: names.loadBalancer,
    logGroup: names.serviceLogGroup(name),
  };
}

/** The regions the app's pipeline rolls out to: A, and B with failover. */
export function deliveredRegions(config: AppConfig): ServiceNames[] {
  return [
    serviceNames(config, config.network.region),
    ...(config.failover.enabled ? [serviceNames(config, config.failover.network.region)] : []),
  ];
}
