import type { AppConfig } from "../config/schema";

/**
 * The props both regions' `RegionalService` take from config as they are; each stack adds what
 * differs (records, capacity, secrets, the path to the database).
 */
export function servingSettings(config: AppConfig) {
  const { service, scaling, waf, dns, alarms, loadBalancer, rollout } = config;
  return {
    blueGreen:
      rollout.strategy === "blueGreen" ? { bakeTimeMinutes: rollout.bakeTimeMinutes } : undefined,
    waf: waf.enabled
      ? { rateLimitPerIp: waf.rateLimitPerIp, logRetentionDays: waf.logRetentionDays }
      : undefined,
    loadBalancer: {
      healthCheckPath: service.healthCheckPath,
      deregistrationDelaySeconds: service.deregistrationDelaySeconds,
      deletionProtection: loadBalancer.deletionProtection,
      dns,
      maintenance: config.maintenance.enabled,
    },
    service: {
      service,
      scaling,
      // With delivery on, the app's pipeline picks the running revision (ADR 0001).
      taskDefinitionOwner: config.delivery.enabled ? ("pipeline" as const) : ("terraform" as const),
      waitForSteadyState: service.waitForSteadyState,
    },
    alarms: { emails: alarms.emails, thresholds: alarms },
  };
}
