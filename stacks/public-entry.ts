import type { EncryptionKey } from "../constructs/encryption-key";
import { LoadBalancer } from "../constructs/load-balancer";
import type { Network } from "../constructs/network";
import { WebAcl } from "../constructs/web-acl";
import type { BaseStack } from "./base-stack";

export interface PublicEntryParts {
  readonly key: EncryptionKey;
  readonly network: Network;
  /** See LoadBalancerProps.createValidationRecords. */
  readonly createValidationRecords: boolean;
  /** See LoadBalancerProps.createAliasRecord. */
  readonly createAliasRecord: boolean;
}

/** The ALB, behind the WAF when config enables it: the same in both regions. */
export function publicEntry(stack: BaseStack, parts: PublicEntryParts): LoadBalancer {
  const { config, naming } = stack;
  const webAcl = config.waf.enabled
    ? new WebAcl(stack, "waf", {
        naming,
        kmsKey: parts.key,
        rateLimitPerIp: config.waf.rateLimitPerIp,
        logRetentionDays: config.waf.logRetentionDays,
      })
    : undefined;
  return new LoadBalancer(stack, "load-balancer", {
    naming,
    kmsKey: parts.key,
    vpcId: parts.network.vpcId,
    publicSubnetIds: parts.network.publicSubnetIds,
    containerPort: config.service.containerPort,
    healthCheckPath: config.service.healthCheckPath,
    deregistrationDelaySeconds: config.service.deregistrationDelaySeconds,
    deletionProtection: config.database.deletionProtection,
    dns: config.dns,
    createValidationRecords: parts.createValidationRecords,
    createAliasRecord: parts.createAliasRecord,
    webAclArn: webAcl?.arn,
  });
}
