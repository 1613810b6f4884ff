import { AlarmTopic } from "../constructs/alarm-topic";
import type { EncryptionKey } from "../constructs/encryption-key";
import type { FargateService } from "../constructs/fargate-service";
import { LoadBalancer } from "../constructs/load-balancer";
import type { Network } from "../constructs/network";
import { ServiceAlarms } from "../constructs/service-alarms";
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

/** The alarm topic and the service's alarms: the same in both regions. */
export function serviceAlarms(
  stack: BaseStack,
  parts: { key: EncryptionKey; loadBalancer: LoadBalancer; service: FargateService },
): AlarmTopic {
  const { config, naming } = stack;
  const topic = new AlarmTopic(stack, "alarm-topic", {
    naming,
    kmsKey: parts.key,
    emails: config.alarms.emails,
  });
  new ServiceAlarms(stack, "service-alarms", {
    naming,
    topicArn: topic.arn,
    albArnSuffix: parts.loadBalancer.arnSuffix,
    targetGroupArnSuffix: parts.loadBalancer.targetGroupArnSuffix,
    clusterName: parts.service.clusterName,
    serviceName: parts.service.serviceName,
    thresholds: config.alarms,
  });
  return topic;
}
