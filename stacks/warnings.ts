import type { AppConfig, NetworkConfig } from "../config/schema";
import { PRIVATE_RANGES, isPrivate, regionFacts } from "../facts";
import type { StackId } from "./base-stack";

/**
 * Choices that synthesize but that a reviewer should see: printed by `cdktf synth` and by the
 * summary (`npm run synth`), attached to the stack they affect.
 */
export function configWarnings(config: AppConfig, stack: StackId): string[] {
  const warnings: string[] = [];
  if (stack === "primary") {
    if (!config.dns) {
      warnings.push(
        "no DNS zone (dns: null): the ALB serves plain HTTP, with no certificate and no HTTPS",
      );
    }
    if (config.service.imageTag === "latest") {
      warnings.push(
        'service.imageTag is "latest": deployments are not reproducible; pass IMAGE_TAG=<immutable tag>',
      );
    }
    if (config.alarms.emails.length === 0) {
      warnings.push(
        "alarms.emails is empty: alarms publish to an SNS topic that nobody is subscribed to",
      );
    }
    if (config.database.allowMajorVersionUpgrade) {
      warnings.push(
        `database.allowMajorVersionUpgrade is true: changes to the writer apply at once, with downtime, not in the maintenance window (engineVersion ${config.database.engineVersion}); set it back to false after the upgrade (docs/upgrades.md)`,
      );
    }
    if (!config.failover.enabled) {
      warnings.push(
        "failover.enabled is false: no second region, so a regional outage is not covered",
      );
    }
    // Production refuses this outright (config/rules.ts); elsewhere it may be on purpose.
    if (config.scaling.minCapacity === 0 && config.scaling.desiredCount === 0) {
      warnings.push(
        "scaling.minCapacity and scaling.desiredCount are 0: region A runs NO task and the API answers nothing; target tracking cannot scale out from zero, so raise both to at least 1",
      );
    } else if (config.scaling.minCapacity === 0) {
      warnings.push(
        "scaling.minCapacity is 0: the autoscaler may scale region A in to no task, and target tracking cannot scale out from zero",
      );
    }
    warnings.push(...networkWarnings("network", config.network));
  }
  if (stack === "failover") {
    warnings.push(...networkWarnings("failover.network", config.failover.network));
  }
  if (stack === "failover" && !config.dns) {
    warnings.push(
      "no DNS zone (dns: null): DNS failover is off; traffic moves to region B only by hand",
    );
  }
  if (stack === "failover" && config.failover.standbyTasks === 0) {
    warnings.push(
      "failover.standbyTasks is 0: region B runs no tasks and target tracking cannot scale out from zero; an operator raises its minimum after failover (docs/disaster-recovery.md)",
    );
  }
  if (stack === "failover" && config.failover.promoted) {
    warnings.push(
      "failover.promoted is true: region B's database is the writer and A's is no longer replicated; fail back per docs/disaster-recovery.md",
    );
  }
  return warnings;
}

function networkWarnings(path: string, network: NetworkConfig): string[] {
  const warnings: string[] = [];
  if (!isPrivate(network.vpcCidr)) {
    warnings.push(
      `${path}.vpcCidr ${network.vpcCidr} is outside the private ranges (${PRIVATE_RANGES.join(", ")}): the VPC shadows those public addresses, so nothing in it can reach the hosts that own them`,
    );
  }
  if (regionFacts(network.region)?.optIn) {
    warnings.push(
      `${path}.region ${network.region} is an opt-in region: an administrator must enable it for the account (Account > AWS Regions) before deploying`,
    );
  }
  return warnings;
}
