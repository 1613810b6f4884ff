import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { keepAddresses } from "./addresses";
import { AlarmTopic } from "./alarm-topic";
import { buildContext, type CommonProps } from "./common";
import type { EncryptionKey } from "./encryption-key";
import { FargateService, type FargateServiceProps } from "./fargate-service";
import { LoadBalancer, type LoadBalancerProps } from "./load-balancer";
import type { Network } from "./network";
import { ServiceAlarms, type ServiceAlarmThresholds } from "./service-alarms";
import { WebAcl, type WebAclProps } from "./web-acl";

/** What the parts take from the construct rather than from the caller. */
type Wired = keyof CommonProps | "kmsKey" | "aws";

export interface RegionalServiceProps extends CommonProps {
  /** Encrypts the logs, the WAF's log group and the alarm topic. */
  readonly kmsKey: EncryptionKey;
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** The ALB goes into its public subnets, the tasks into its app subnets. */
  readonly network: Network;
  /** The ALB; its target port is the container's. */
  readonly loadBalancer: Omit<
    LoadBalancerProps,
    Wired | "vpcId" | "publicSubnetIds" | "containerPort" | "webAclArn"
  >;
  /**
   * A WAFv2 web ACL in front of the ALB.
   * @default undefined: no web ACL
   */
  readonly waf?: Omit<WebAclProps, Wired>;
  /** The Fargate service behind the ALB. */
  readonly service: Omit<FargateServiceProps, Wired | "network" | "loadBalancer">;
  /** The topic every alarm of this construct notifies, and where the alarms fire. */
  readonly alarms: {
    /** Subscribed to the topic (each confirms by mail). */
    readonly emails: string[];
    readonly thresholds: ServiceAlarmThresholds;
  };
}

/**
 * One region's serving path: ALB (behind an optional WAF), the Fargate service, an alarm topic
 * and the service's alarms. The same in both regions, in the spirit of CDK's
 * `ApplicationLoadBalancedFargateService`. The parts keep the addresses they had when stacks
 * created them one by one (see `keepAddresses`), so deployments made then see no change.
 */
export class RegionalService extends Construct {
  readonly webAcl?: WebAcl;
  readonly loadBalancer: LoadBalancer;
  readonly service: FargateService;
  readonly alarmTopic: AlarmTopic;
  readonly alarms: ServiceAlarms;

  constructor(scope: Construct, id: string, props: RegionalServiceProps) {
    super(scope, id);
    keepAddresses(this);
    const { kmsKey, network } = props;
    const { naming, provider, aws } = buildContext(this, props);
    this.webAcl = props.waf
      ? new WebAcl(this, "waf", { naming, provider, kmsKey, ...props.waf })
      : undefined;
    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      naming,
      provider,
      aws,
      ...props.loadBalancer,
      vpcId: network.vpcId,
      publicSubnetIds: network.publicSubnetIds,
      containerPort: props.service.service.containerPort,
      webAclArn: this.webAcl?.arn,
    });
    this.service = new FargateService(this, "service", {
      naming,
      provider,
      kmsKey,
      aws,
      ...props.service,
      network,
      loadBalancer: this.loadBalancer,
    });
    this.alarmTopic = new AlarmTopic(this, "alarm-topic", {
      naming,
      provider,
      kmsKey,
      aws,
      emails: props.alarms.emails,
    });
    this.alarms = new ServiceAlarms(this, "service-alarms", {
      naming,
      provider,
      topicArn: this.alarmTopic.arn,
      albArnSuffix: this.loadBalancer.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroupArnSuffix,
      clusterName: this.service.clusterName,
      serviceName: this.service.serviceName,
      thresholds: props.alarms.thresholds,
    });
  }
}
