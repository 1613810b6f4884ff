import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { TerraformIterator } from "cdktf";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { AccessLogsBucket } from "./access-logs-bucket";
import { buildContext, type CommonProps } from "./common";
import { NameCatalogue } from "../naming/catalogue";
import { ConstructError } from "./stack-context";

/** An existing public hosted zone and the record in it that names the service. */
export interface LoadBalancerDns {
  /** Such as example.com, without the final dot. */
  readonly zoneName: string;
  /** Such as `api`, without the zone name. */
  readonly recordName: string;
}

export interface LoadBalancerProps extends CommonProps {
  readonly vpcId: string;
  /** Public subnets, one per AZ. */
  readonly publicSubnetIds: string[];
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** Port the targets listen on. */
  readonly containerPort: number;
  /** Path the target group probes; 200 means healthy. */
  readonly healthCheckPath: string;
  /** Seconds to drain a deregistered target. */
  readonly deregistrationDelaySeconds: number;
  /** Refuse deletion of the ALB and keep its logs bucket on destroy. */
  readonly deletionProtection: boolean;
  /**
   * Seconds between target health checks.
   * @default 30 (ALB's own default)
   */
  readonly healthCheckIntervalSeconds?: number;
  /**
   * Days access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Route53 zone and record for HTTPS.
   * @default undefined: plain HTTP on port 80 (the stack warns about it)
   */
  readonly dns?: LoadBalancerDns | null;
  /**
   * Create ACM's DNS-validation records. Region B passes false: the validation CNAME for a name is
   * the same in every region, so the primary's record validates B's certificate too.
   * @default true
   */
  readonly createValidationRecords?: boolean;
  /**
   * Point `<record>.<zone>` at this ALB with a simple alias. False where failover records are
   * made instead.
   * @default true
   */
  readonly createAliasRecord?: boolean;
  /**
   * WAFv2 web ACL to attach.
   * @default undefined: none
   */
  readonly webAclArn?: string;
}

/** TLS 1.3 with TLS 1.2 fallback and forward-secret ciphers only. */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The public entry point: an ALB in the public subnets with HTTPS (HTTP redirects to it), access
 * logs, strict header handling, and a target group of Fargate task IPs.
 */
export class LoadBalancer extends Construct {
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly securityGroup: SecurityGroup;
  readonly httpListener: LbListener;
  readonly httpsListener?: LbListener;
  readonly certificate?: AcmCertificate;
  readonly certificateValidation?: AcmCertificateValidation;
  readonly zoneId?: string;
  readonly fqdn?: string;
  readonly aliasRecord?: Route53Record;
  readonly logsBucket: AccessLogsBucket;
  readonly dnsName: string;
  /** The ALB's hosted zone, for alias records. */
  readonly albZoneId: string;
  readonly arnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly protocol: "HTTPS" | "HTTP";
  /** What clients use: https://<record>.<zone> or http://<ALB DNS name>. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { naming, provider } = buildContext(this, props);
    const interval = props.healthCheckIntervalSeconds ?? 30;
    if (props.containerPort < 1 || props.containerPort > 65535) {
      throw new ConstructError(
        this,
        `LoadBalancer: containerPort ${props.containerPort} must be from 1 to 65535`,
      );
    }
    if (interval < 5 || interval > 300) {
      throw new ConstructError(
        this,
        `LoadBalancer: healthCheckIntervalSeconds ${interval} must be from 5 to 300`,
      );
    }
    if (!props.healthCheckPath.startsWith("/")) {
      throw new ConstructError(
        this,
        `LoadBalancer: healthCheckPath "${props.healthCheckPath}" must start with /`,
      );
    }
    if (props.publicSubnetIds.length < 2) {
      throw new ConstructError(
        this,
        `LoadBalancer: publicSubnetIds has ${props.publicSubnetIds.length} subnet(s); an ALB needs two AZs`,
      );
    }

    this.securityGroup = new SecurityGroup(this, "sg", {
      provider,
      name: naming.name("securityGroup", "alb"),
      description: "ALB: HTTP and HTTPS from the internet; out only to the service port",
      vpcId: props.vpcId,
      tags: { Name: naming.name("securityGroup", "alb") },
    });
    // The public entry point: the only group open to the internet, on 80 and 443 only.
    for (const [port, family, cidr] of [
      [443, "ipv4", "0.0.0.0/0"],
      [80, "ipv4", "0.0.0.0/0"],
    ] as const) {
      new VpcSecurityGroupIngressRule(this, `in-${port}-${family}`, {
        provider,
        securityGroupId: this.securityGroup.id,
        description:
          port === 443
            ? "HTTPS from the internet"
            : "HTTP from the internet (redirected or served)",
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: cidr,
      });
    }

    this.logsBucket = new AccessLogsBucket(this, "logs", {
      naming,
      provider,
      aws: buildContext(this, props).aws,
      retentionDays: props.accessLogRetentionDays ?? 90,
      prefix: "alb",
      forceDestroy: !props.deletionProtection,
    });

    this.alb = new Lb(this, "alb", {
      provider,
      name: new NameCatalogue(naming).loadBalancer,
      loadBalancerType: "application",
      internal: false,
      securityGroups: [this.securityGroup.id],
      subnets: props.publicSubnetIds,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: props.deletionProtection,
      accessLogs: { bucket: this.logsBucket.bucket.id, prefix: "alb", enabled: true },
      dependsOn: [this.logsBucket.policy],
    });
    this.dnsName = this.alb.dnsName;
    this.albZoneId = this.alb.zoneId;
    this.arnSuffix = this.alb.arnSuffix;

    this.targetGroup = new LbTargetGroup(this, "tg", {
      provider,
      name: new NameCatalogue(naming).targetGroup,
      targetType: "ip",
      protocol: "HTTP",
      port: props.containerPort,
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath,
        protocol: "HTTP",
        matcher: "200",
        interval,
        timeout: Math.min(10, interval - 1),
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    this.targetGroupArnSuffix = this.targetGroup.arnSuffix;
    const forward = [{ type: "forward", targetGroupArn: this.targetGroup.arn }];

    if (props.dns) {
      const validate = props.createValidationRecords ?? true;
      const alias = props.createAliasRecord ?? true;
      // Only a record needs the zone. Region B creates none, and skipping the lookup keeps its
      // plan free of Route53's control plane (us-east-1), which recovery must not need.
      const zone =
        validate || alias
          ? new DataAwsRoute53Zone(this, "zone", {
              provider,
              name: props.dns.zoneName,
              privateZone: false,
            })
          : undefined;
      this.zoneId = zone?.zoneId;
      this.fqdn = `${props.dns.recordName}.${props.dns.zoneName}`;
      this.certificate = new AcmCertificate(this, "cert", {
        provider,
        domainName: this.fqdn,
        validationMethod: "DNS",
        keyAlgorithm: "EC_prime256v1",
        lifecycle: { createBeforeDestroy: true },
      });
      const records = validate && zone ? [this.validationRecords(zone.zoneId)] : [];
      this.certificateValidation = new AcmCertificateValidation(this, "cert-valid", {
        provider,
        certificateArn: this.certificate.arn,
        dependsOn: records,
      });
      this.httpsListener = new LbListener(this, "https", {
        provider,
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: this.certificateValidation.certificateArn,
        defaultAction: forward,
      });
      this.httpListener = new LbListener(this, "http", {
        provider,
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
          },
        ],
      });
      if (zone && alias) {
        this.aliasRecord = new Route53Record(this, "alias", {
          provider,
          zoneId: zone.zoneId,
          name: this.fqdn,
          type: "A",
          alias: { name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true },
        });
      }
      this.protocol = "HTTPS";
      this.url = `https://${this.fqdn}`;
    } else {
      this.httpListener = new LbListener(this, "http", {
        provider,
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: forward,
      });
      this.protocol = "HTTP";
      this.url = `http://${this.alb.dnsName}`;
    }

    if (props.webAclArn) {
      new Wafv2WebAclAssociation(this, "waf", {
        provider,
        resourceArn: this.alb.arn,
        webAclArn: props.webAclArn,
      });
    }
  }

  /** One CNAME per name on the certificate, created from ACM's validation options. */
  private validationRecords(zoneId: string): Route53Record {
    const options = TerraformIterator.fromComplexList(
      this.certificate!.domainValidationOptions,
      "domain_name",
    );
    return new Route53Record(this, "cert-validation", {
      provider: this.alb.provider,
      forEach: options,
      zoneId,
      name: options.getString("resource_record_name"),
      type: options.getString("resource_record_type"),
      records: [options.getString("resource_record_value")],
      ttl: 60,
      // Another stack or region may already have created the same CNAME.
      allowOverwrite: true,
    });
  }
}
