import type { AppConfig } from "../config/schema";
import { Naming } from "../facts/naming";

/** What the delivery stacks name of one region's service, derived from config alone. */
export interface ServiceNames {
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
  readonly taskFamily: string;
  readonly executionRole: string;
  readonly taskRole: string;
  readonly loadBalancer: string;
}

/**
 * The names `RegionalService` gives a region's service, from config alone, as `recoveryNames`
 * does for the recovery tool: so the delivery stacks name the services and roles they act on
 * without reading `primary`'s or `failover`'s state (which holds secrets). The delivery spec
 * checks they equal what the services are actually called.
 */
export function serviceNames(config: AppConfig, region: string): ServiceNames {
  const naming = new Naming(config.project, config.environment, region);
  const name = config.service.name;
  return {
    region,
    cluster: naming.name("ecsCluster", name),
    service: naming.name("ecsService", name),
    taskFamily: naming.name("taskFamily", name),
    executionRole: naming.name("iamRole", "task-execution"),
    taskRole: naming.name("iamRole", "task"),
    loadBalancer: naming.name("alb", "alb"),
  };
}

/** The regions the app's pipeline rolls out to: A, and B with failover. */
export function deliveredRegions(config: AppConfig): ServiceNames[] {
  return [
    serviceNames(config, config.network.region),
    ...(config.failover.enabled ? [serviceNames(config, config.failover.network.region)] : []),
  ];
}
