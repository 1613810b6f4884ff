import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  Route53HealthCheck,
  type Route53HealthCheckConfig,
} from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { ROUTE53_METRICS_REGION } from "../facts/dns";
import { keepAddresses } from "./addresses";
import { AlarmTopic } from "./alarm-topic";
import { AwsContextLookup } from "./aws-context";
import { buildContext, type CommonProps } from "./common";
import { EncryptionKey } from "./encryption-key";
import { metricAlarm } from "./metric-alarm";
import { ConstructError } from "./stack-context";

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
  /**
   * Region B's ALB: SECONDARY, answered whenever PRIMARY's gate is unhealthy. Neither a check
   * nor target health: Route53 answers PRIMARY "regardless of the health of the primary" when
   * SECONDARY is unhealthy, so a B that blips after promotion would send clients back to a
   * fenced A (docs/adr/0002-fencing.md). A healthy A is answered anyway, B's health aside.
   */
  readonly secondary: AliasTarget;
  /**
   * The fence on region B's ALB (constructs/fence.ts), probed over HTTPS at the ALB's own name.
   * Until it answers `fenced`, A's record follows A's health; once it does, A is out of DNS.
   */
  readonly fence: {
    readonly dnsName: string;
    readonly path: string;
    /** The word the fence answers with once region B is promoted. */
    readonly searchString: string;
  };
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
 * Route53 failover with a fence: PRIMARY (region A) answers while A's own check passes AND
 * region B's fence does not say "fenced"; SECONDARY (region B) otherwise. Plus an alarm when A
 * is declared down, in us-east-1, the only region with Route53 metrics: the construct brings
 * what it needs there (a provider alias, an encryption key and an alarm topic).
 */
export class DnsFailover extends Construct {
  /** Region A's own health. */
  readonly healthCheck: Route53HealthCheck;
  /** Healthy unless region B's fence answers `fenced` (inverted string match). */
  readonly fenceCheck: Route53HealthCheck;
  /** What PRIMARY answers on: A healthy AND not fenced, evaluated by Route53's data plane. */
  readonly primaryGate: Route53HealthCheck;
  readonly primaryRecord: Route53Record;
  readonly secondaryRecord: Route53Record;
  readonly alarm: CloudwatchMetricAlarm;
  /** Provider alias `route53_metrics` in us-east-1. */
  readonly metricsProvider: AwsProvider;
  readonly metricsKey: EncryptionKey;
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: DnsFailoverProps) {
    super(scope, id);
    const { naming, provider } = buildContext(this, props);
    if (props.intervalSeconds !== 10 && props.intervalSeconds !== 30) {
      throw new ConstructError(
        this,
        `DnsFailover: intervalSeconds ${props.intervalSeconds} must be 10 or 30 (Route53's only choices)`,
      );
    }
    if (
      !Number.isInteger(props.failureThreshold) ||
      props.failureThreshold < 1 ||
      props.failureThreshold > 10
    ) {
      throw new ConstructError(
        this,
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

    // Probing the ALBs' own names, not the failover record, keeps the checks independent of which
    // region DNS currently points at. Route53 does not validate the certificate.
    const probe = (
      id: string,
      target: { fqdn: string; resourcePath: string; suffix: string },
      kind: Pick<
        Route53HealthCheckConfig,
        "type" | "measureLatency" | "searchString" | "invertHealthcheck"
      >,
    ) =>
      new Route53HealthCheck(this, id, {
        provider,
        ...kind,
        fqdn: target.fqdn,
        port: 443,
        resourcePath: target.resourcePath,
        requestInterval: props.intervalSeconds,
        failureThreshold: props.failureThreshold,
        tags: { Name: naming.name("generic", target.suffix) },
      });
    this.healthCheck = probe(
      "primary-check",
      {
        fqdn: props.primary.dnsName,
        resourcePath: props.healthCheckPath,
        suffix: "primary-health",
      },
      { type: "HTTPS", measureLatency: true },
    );
    // Healthy unless B's fence positively answers "fenced": an unreachable or misconfigured B
    // must never take a healthy A out of DNS (naming/recovery.ts).
    this.fenceCheck = probe(
      "fence-check",
      { fqdn: props.fence.dnsName, resourcePath: props.fence.path, suffix: "fence" },
      { type: "HTTPS_STR_MATCH", searchString: props.fence.searchString, invertHealthcheck: true },
    );
    // A CALCULATED check is evaluated by the health checkers themselves: flipping the fence in
    // region B takes A out of DNS without any call to Route53's API.
    this.primaryGate = new Route53HealthCheck(this, "primary-gate", {
      provider,
      type: "CALCULATED",
      childHealthchecks: [this.healthCheck.id, this.fenceCheck.id],
      childHealthThreshold: 2,
      tags: { Name: naming.name("generic", "primary-gate") },
    });
    const record = (
      role: "PRIMARY" | "SECONDARY",
      target: AliasTarget,
      health: { healthCheckId?: string; evaluateTargetHealth: boolean },
    ) =>
      new Route53Record(this, role.toLowerCase(), {
        provider,
        zoneId: props.zoneId,
        name: props.fqdn,
        type: "A",
        setIdentifier: role.toLowerCase(),
        failoverRoutingPolicy: { type: role },
        healthCheckId: health.healthCheckId,
        // Alias records to an ALB carry the ALB's 60 s TTL.
        alias: {
          name: target.dnsName,
          zoneId: target.zoneId,
          evaluateTargetHealth: health.evaluateTargetHealth,
        },
      });
    // A's target health adds the ALB's own view to the gate: no healthy task, no answer.
    this.primaryRecord = record("PRIMARY", props.primary, {
      healthCheckId: this.primaryGate.id,
      evaluateTargetHealth: true,
    });
    // The fence is the gate: once PRIMARY's gate fails, B is the answer even while B is unhealthy.
    this.secondaryRecord = record("SECONDARY", props.secondary, { evaluateTargetHealth: false });
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
