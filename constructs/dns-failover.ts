import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { ROUTE53_METRICS_REGION } from "../facts/dns";
import { keepAddresses } from "./addresses";
import { AlarmTopic } from "./alarm-topic";
import { AwsContextLookup } from "./aws-context";
import type { CommonProps } from "./common";
import { EncryptionKey } from "./encryption-key";
import { metricAlarm } from "./metric-alarm";

/** An ALB as an alias target. */
export interface AliasTarget {
  readonly dnsName: string;
  readonly zoneId: string;
}

export interface DnsFailoverProps extends CommonProps {
  /** Hosted zone of the record. */
  readonly zoneId: string;
  /** The name clients use, such as api.example.com. */
  readonly fqdn: string;
  /** Region A's ALB: PRIMARY, while its health check passes. */
  readonly primary: AliasTarget;
  /** Region B's ALB: SECONDARY. */
  readonly secondary: AliasTarget;
  /** Path probed over HTTPS on the primary ALB. */
  readonly healthCheckPath: string;
  /** Seconds between probes: 10 or 30. */
  readonly intervalSeconds: number;
  /** Failed probes before the primary counts as down (1-10). */
  readonly failureThreshold: number;
  /** Subscribed to the us-east-1 topic the health-check alarm notifies. */
  readonly alarmEmails: string[];
  /** Default tags of the us-east-1 provider, the same as the stack's own provider's. */
  readonly providerTags: Record<string, string>;
}

/**
 * Route53 failover: a health check on region A's ALB, PRIMARY and SECONDARY alias records, and an
 * alarm when the primary is declared down. The alarm lives in us-east-1, the only region with
 * Route53 metrics, so the construct brings what it needs there: a provider alias, an encryption
 * key and an alarm topic.
 */
export class DnsFailover extends Construct {
  readonly healthCheck: Route53HealthCheck;
  readonly primaryRecord: Route53Record;
  readonly secondaryRecord: Route53Record;
  readonly alarm: CloudwatchMetricAlarm;
  /** Provider alias `route53_metrics` in us-east-1. */
  readonly metricsProvider: AwsProvider;
  readonly metricsKey: EncryptionKey;
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: DnsFailoverProps) {
    super(scope, id);
    const { naming, provider } = props;
    if (props.intervalSeconds !== 10 && props.intervalSeconds !== 30) {
      throw new Error(
        `DnsFailover: intervalSeconds ${props.intervalSeconds} must be 10 or 30 (Route53's only choices)`,
      );
    }
    if (
      !Number.isInteger(props.failureThreshold) ||
      props.failureThreshold < 1 ||
      props.failureThreshold > 10
    ) {
      throw new Error(
        `DnsFailover: failureThreshold ${props.failureThreshold} must be a whole number from 1 to 10`,
      );
    }
    // The us-east-1 parts keep the addresses they had as direct children of the stack.
    const metrics = new Construct(this, ROUTE53_METRICS_REGION);
    keepAddresses(metrics);
    this.metricsProvider = new AwsProvider(metrics, "aws_route53_metrics", {
      region: ROUTE53_METRICS_REGION,
      alias: "route53_metrics",
      defaultTags: [{ tags: props.providerTags }],
    });
    const metricsProvider = this.metricsProvider;
    const metricsNaming = naming.forRegion(ROUTE53_METRICS_REGION);
    const aws = new AwsContextLookup(metrics, "context", {
      provider: metricsProvider,
      formerPath: ["route53-metrics-key"],
    });
    // Region A may be us-east-1 too: the alias suffix keeps this key's alias apart from A's.
    this.metricsKey = new EncryptionKey(metrics, "route53-metrics-key", {
      naming: metricsNaming,
      provider: metricsProvider,
      aws,
      aliasSuffix: "dns-failover",
    });
    this.alarmTopic = new AlarmTopic(metrics, "route53-alarm-topic", {
      naming: metricsNaming,
      provider: metricsProvider,
      kmsKey: this.metricsKey,
      aws,
      emails: props.alarmEmails,
      nameSuffix: "dns-failover",
    });

    // Probing the ALB's own name, not the failover record, keeps the check independent of which
    // region DNS currently points at. Route53 does not validate the certificate.
    this.healthCheck = new Route53HealthCheck(this, "primary-check", {
      provider,
      type: "HTTPS",
      fqdn: props.primary.dnsName,
      port: 443,
      resourcePath: props.healthCheckPath,
      requestInterval: props.intervalSeconds,
      failureThreshold: props.failureThreshold,
      measureLatency: true,
      tags: { Name: naming.name("generic", "primary-health") },
    });
    const record = (role: "PRIMARY" | "SECONDARY", target: AliasTarget, healthCheckId?: string) =>
      new Route53Record(this, role.toLowerCase(), {
        provider,
        zoneId: props.zoneId,
        name: props.fqdn,
        type: "A",
        setIdentifier: role.toLowerCase(),
        failoverRoutingPolicy: { type: role },
        healthCheckId,
        // Alias records to an ALB carry the ALB's 60 s TTL; target health adds the ALB's own view.
        alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true },
      });
    this.primaryRecord = record("PRIMARY", props.primary, this.healthCheck.id);
    this.secondaryRecord = record("SECONDARY", props.secondary);
    this.alarm = metricAlarm(
      this,
      {
        id: "primary-down",
        alarmDescription: `Route53 declares region A unhealthy (${props.failureThreshold} failed probes, ${props.intervalSeconds} s apart): traffic is failing over to region B`,
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: this.healthCheck.id },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
      },
      {
        provider: metricsProvider,
        topicArn: this.alarmTopic.arn,
        name: (suffix) => naming.name("alarm", suffix),
      },
    );
  }
}
