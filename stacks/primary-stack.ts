import { RandomProvider } from "@cdktf/provider-random/lib/provider";
import { Annotations, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { AlarmTopic } from "../constructs/alarm-topic";
import { AppSecrets } from "../constructs/app-secrets";
import { Bastion } from "../constructs/bastion";
import { Dashboard } from "../constructs/dashboard";
import { DatabaseInstance } from "../constructs/database-instance";
import { DatabaseAlarms } from "../constructs/database-alarms";
import { DatabaseSecret } from "../constructs/database-secret";
import { EncryptionKey } from "../constructs/encryption-key";
import { FenceEnforcer } from "../constructs/fence-enforcer";
import type { FargateService } from "../constructs/fargate-service";
import { RegionalService } from "../constructs/regional-service";
import { Network } from "../constructs/network";
import { subnetLayout } from "../constructs/subnet-layout";
import type { LoadBalancer } from "../constructs/load-balancer";
import { FENCE_PATH, recoveryNames } from "../naming/recovery";
import { servingSettings } from "./serving";
import { BaseStack, type BaseStackProps } from "./base-stack";
import { configWarnings } from "./warnings";
import { NameCatalogue } from "../naming/catalogue";

export type PrimaryStackProps = Omit<BaseStackProps, "region">;

/** Region A: the serving region. Composition only; every resource comes from `constructs/`. */
export class PrimaryStack extends BaseStack {
  readonly key: EncryptionKey;
  readonly network: Network;
  readonly database: DatabaseInstance;
  readonly databaseSecret: DatabaseSecret;
  readonly secrets: AppSecrets;
  readonly serving: RegionalService;
  readonly loadBalancer: LoadBalancer;
  readonly service: FargateService;
  readonly alarmTopic: AlarmTopic;
  readonly bastion?: Bastion;
  /** Holds this region's service at zero while region B's fence reads fenced (with failover). */
  readonly fenceEnforcer?: FenceEnforcer;
  /** With failover: the key in region B that encrypts B's copies of this region's secrets. */
  readonly replicaKey?: EncryptionKey;

  constructor(scope: Construct, props: PrimaryStackProps) {
    super(scope, "primary", { ...props, region: props.config.network.region });
    const { config } = this;
    const { failover } = config;
    new RandomProvider(this, "random");

    this.key = new EncryptionKey(this, "key", {});
    this.network = new Network(this, "network", {
      ...config.network,
      kmsKey: this.key,
      // Region B's tasks write to this region's database through the peering until failover.
      peerAppCidrs: failover.enabled
        ? subnetLayout(failover.network.vpcCidr, failover.network.azCount).app
        : [],
    });
    this.database = new DatabaseInstance(this, "database", {
      settings: config.database,
      kmsKey: this.key,
      vpcId: this.network.vpcId,
      subnetIds: this.network.dataSubnetIds,
      availabilityZones: this.network.availabilityZones,
    });
    // Region B's copies of the secrets below are encrypted with a customer-managed key in B
    // that this stack owns: B's own key belongs to the failover stack, deployed after this one.
    // The region B provider makes no call when configured, so with B down a plan still runs
    // with -refresh=false (docs/security.md).
    let replicaKeyArns: Record<string, string> = {};
    if (failover.enabled) {
      const b = failover.network.region;
      const inB = this.awsProvider("aws_failover_region", b, "failover_region");
      inB.skipCredentialsValidation = true;
      inB.skipRequestingAccountId = true;
      this.replicaKey = new EncryptionKey(this, "replica-key", {
        naming: this.naming.forRegion(b),
        provider: inB,
        aws: { accountId: this.aws.accountId, partition: this.aws.partition, region: b },
        aliasSuffix: NameCatalogue.REPLICA_KEY_SUFFIX,
        description: `Encrypts region ${b}'s copies of ${this.naming.prefix}'s secrets`,
      });
      replicaKeyArns = { [b]: this.replicaKey.arn };
    }
    this.databaseSecret = new DatabaseSecret(this, "database-secret", {
      kmsKey: this.key,
      recoveryWindowDays: config.secretsRecoveryDays,
      // Region B reads this writer's host and credentials from its own copy, never from A.
      replicaRegions: failover.enabled ? [failover.network.region] : [],
      replicaKeyArns,
      connection: {
        host: this.database.address,
        port: this.database.port,
        name: this.database.databaseName,
        username: this.database.username,
        password: this.database.masterPassword,
      },
    });
    this.secrets = new AppSecrets(this, "secrets", {
      kmsKey: this.key,
      recoveryWindowDays: config.secretsRecoveryDays,
      privateRegistry: config.service.privateRegistry,
      replicaRegions: failover.enabled ? [failover.network.region] : [],
      replicaKeyArns,
    });

    const settings = servingSettings(config);
    const names = failover.enabled
      ? recoveryNames({
          project: config.project,
          environment: config.environment,
          primaryRegion: config.network.region,
          failoverRegion: failover.network.region,
          serviceName: config.service.name,
        })
      : undefined;
    // The name B's certificate carries, when there is a zone: the fence is read over HTTPS.
    const tlsServerName = config.dns
      ? `${config.dns.recordName}.${config.dns.zoneName}`
      : undefined;
    this.serving = new RegionalService(this, "serving", {
      ...settings,
      kmsKey: this.key,
      network: this.network,
      loadBalancer: {
        ...settings.loadBalancer,
        createValidationRecords: true,
        // With DNS failover the link stack owns the record (PRIMARY and SECONDARY).
        createAliasRecord: !failover.enabled,
      },
      service: {
        ...settings.service,
        // Once region B is promoted this region is fenced: no task writes to the old writer
        // until failback (docs/adr/0002-fencing.md). The autoscaler owns the running count
        // (desired_count is ignored after creation), so its bounds go to zero: a maximum of 0
        // makes Application Auto Scaling stop every task.
        ...(failover.promoted
          ? { scaling: { ...config.scaling, minCapacity: 0, maxCapacity: 0, desiredCount: 0 } }
          : {}),
        databaseCidrs: this.network.dataSubnetCidrs,
        // A task started while B's fence reads fenced stops before the app runs: the enforcer
        // below needs up to a minute to set the bounds to zero (docs/adr/0002-fencing.md).
        fenceCheck: names && {
          fenceLocationParameter: names.fenceLocationParameter,
          fencePath: FENCE_PATH,
          tlsServerName,
          parameterKeyArn: this.key.arn,
        },
        secrets: {
          databaseUrlValueFrom: this.databaseSecret.urlValueFrom,
          secretKeyArn: this.secrets.secretKeySecret.arn,
          registryCredentialsArn: this.secrets.registrySecret?.arn,
          secretArns: [this.databaseSecret.arn, ...this.secrets.secretArns],
          valueResources: [this.databaseSecret.version, ...this.secrets.versions],
        },
      },
    });
    ({ loadBalancer: this.loadBalancer, service: this.service } = this.serving);
    this.alarmTopic = this.serving.alarmTopic;
    this.database.allowPostgresFrom(
      "db-from-service",
      { securityGroupId: this.service.securityGroup.id },
      "PostgreSQL from the service",
    );

    if (names) {
      // This region stops itself once region B is promoted, without B's APIs or Route53's
      // (docs/adr/0002-fencing.md): the DNS fence alone gives way whenever B's record is unhealthy.
      this.fenceEnforcer = new FenceEnforcer(this, "fence-enforcer", {
        kmsKey: this.key,
        clusterName: this.service.clusterName,
        serviceName: this.service.serviceName,
        scalableTargetArn: this.service.scalingTarget.arn,
        fenceLocationParameter: names.fenceLocationParameter,
        fencePath: FENCE_PATH,
        tlsServerName,
        logRetentionDays: config.service.logRetentionDays,
      });
    }

    if (config.bastion.enabled) {
      this.bastion = new Bastion(this, "bastion", {
        kmsKey: this.key,
        vpcId: this.network.vpcId,
        subnetId: this.network.appSubnetIds[0],
        instanceType: config.bastion.instanceType,
        databaseCidrs: this.network.dataSubnetCidrs,
      });
      this.database.allowPostgresFrom(
        "db-from-bastion",
        { securityGroupId: this.bastion.securityGroupId },
        "PostgreSQL from the bastion",
      );
    }

    new DatabaseAlarms(this, "writer-alarms", {
      topicArn: this.alarmTopic.arn,
      instanceIdentifier: this.database.identifier,
      role: "writer",
      thresholds: config.alarms,
      replicationSlots: failover.enabled && !failover.promoted ? config.alarms : undefined,
    });
    if (this.database.replicaIdentifier) {
      new DatabaseAlarms(this, "replica-alarms", {
        topicArn: this.alarmTopic.arn,
        instanceIdentifier: this.database.replicaIdentifier,
        role: "replica",
        thresholds: config.alarms,
        replicaLagSeconds: config.alarms.replicaLagSeconds,
      });
    }
    new Dashboard(this, "dashboard", {
      region: config.network.region,
      albArnSuffix: this.loadBalancer.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroupArnSuffix,
      clusterName: this.service.clusterName,
      serviceName: this.service.serviceName,
      databaseIdentifiers: [
        this.database.identifier,
        ...(this.database.replicaIdentifier ? [this.database.replicaIdentifier] : []),
      ],
    });

    this.outputs();
    for (const warning of configWarnings(config, "primary")) {
      Annotations.of(this).addWarning(warning);
    }
  }

  private outputs(): void {
    const out = (id: string, value: string | number, description: string) =>
      new TerraformOutput(this, id, { value, description });
    out("url", this.loadBalancer.url, "Where the API answers in region A");
    out("alb_dns_name", this.loadBalancer.dnsName, "The ALB's DNS name");
    out("cluster_name", this.service.clusterName, "ECS cluster");
    out("service_name", this.service.serviceName, "ECS service");
    out("database_address", this.database.address, "Writer host name");
    out("database_port", this.database.port, "Writer port");
    if (this.database.replicaAddress)
      out(
        "database_replica_address",
        this.database.replicaAddress,
        "In-region read replica host name",
      );
    out("database_arn", this.database.arn, "Writer ARN (source of the cross-region replica)");
    out("log_group", this.service.logGroup.name, "Container logs");
    out("alarm_topic_arn", this.alarmTopic.arn, "SNS topic the alarms notify");
  }
}
