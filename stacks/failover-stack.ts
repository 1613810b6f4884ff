import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Annotations, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { AlarmTopic } from "../constructs/alarm-topic";
import { BackupReplication } from "../constructs/backup-replication";
import { DatabaseReadReplica } from "../constructs/database-read-replica";
import { DatabaseAlarms } from "../constructs/database-alarms";
import { DatabaseSecret } from "../constructs/database-secret";
import { DnsFailover } from "../constructs/dns-failover";
import { EncryptionKey } from "../constructs/encryption-key";
import type { FargateService } from "../constructs/fargate-service";
import { RegionalService } from "../constructs/regional-service";
import { Network } from "../constructs/network";
import { ReplicaSecrets } from "../constructs/replica-secrets";
import { VpcPeering } from "../constructs/vpc-peering";
import type { LoadBalancer } from "../constructs/load-balancer";
import { servingSettings } from "./serving";
import { BaseStack, type BaseStackProps } from "./base-stack";
import type { PrimaryStack } from "./primary-stack";
import { configWarnings } from "./warnings";

export interface FailoverStackProps extends Omit<BaseStackProps, "region"> {
  /** The region A stack whose outputs this stack consumes through cross-stack references. */
  readonly primary: PrimaryStack;
}

/**
 * Region B: the pilot light. The same service at standby size, a cross-region replica of the
 * primary database, copies of its backups, DNS failover, and the peering that lets B's tasks
 * write to A's database until an operator promotes the replica. Resources that must live in
 * region A (peering acceptance, routes, the database rule) use `primaryRegion`; `primary` never
 * depends on this stack.
 */
export class FailoverStack extends BaseStack {
  /** Provider alias for region A resources owned by this stack. */
  readonly primaryRegion: AwsProvider;
  readonly key: EncryptionKey;
  readonly network: Network;
  readonly peering: VpcPeering;
  readonly replica: DatabaseReadReplica;
  readonly databaseSecret: DatabaseSecret;
  readonly serving: RegionalService;
  readonly loadBalancer: LoadBalancer;
  readonly service: FargateService;
  readonly alarmTopic: AlarmTopic;
  readonly dnsFailover?: DnsFailover;

  constructor(scope: Construct, props: FailoverStackProps) {
    super(scope, "failover", { ...props, region: props.config.failover.network.region });
    const { config, naming, aws } = this;
    const { failover } = config;
    const primary = props.primary;
    this.primaryRegion = this.awsProvider("aws_primary", config.network.region, "primary");

    this.key = new EncryptionKey(this, "key", { naming, aws });
    this.network = new Network(this, "network", {
      naming,
      ...failover.network,
      kmsKey: this.key,
      aws,
    });
    this.peering = new VpcPeering(this, "peering", {
      naming,
      peerProvider: this.primaryRegion,
      requester: {
        vpcId: this.network.vpcId,
        routeTableIds: this.network.appRouteTables.map((t) => t.id),
        destinationCidrs: primary.network.dataSubnetCidrs,
      },
      accepter: {
        region: config.network.region,
        vpcId: primary.network.vpcId,
        routeTableIds: primary.network.dataRouteTables.map((t) => t.id),
        destinationCidrs: this.network.appSubnetCidrs,
      },
    });
    const pathToPrimaryDatabase = this.network.appSubnetCidrs.map((cidr, i) =>
      primary.database.allowPostgresFrom(
        `primary-db-from-b-${i}`,
        { cidr },
        `PostgreSQL from region B app subnet ${cidr}`,
        this,
        this.primaryRegion,
      ),
    );

    this.replica = new DatabaseReadReplica(this, "replica", {
      naming,
      settings: config.database,
      instanceClass: failover.replicaInstanceClass,
      kmsKey: this.key,
      aws,
      vpcId: this.network.vpcId,
      subnetIds: this.network.dataSubnetIds,
      sourceArn: primary.database.arn,
      promoted: failover.promoted,
    });
    // Copies of A's backups, while A's writer is the source of truth.
    if (!failover.promoted) {
      new BackupReplication(this, "backups", {
        naming,
        sourceArn: primary.database.arn,
        kmsKey: this.key,
        retentionDays: failover.backupReplicationRetentionDays,
      });
    }

    // Region A's writer through the peering; after promotion, this region's own instance
    // (the runbook repoints it by hand first, `failover.promoted` makes Terraform agree).
    this.databaseSecret = new DatabaseSecret(this, "database-secret", {
      naming,
      kmsKey: this.key,
      recoveryWindowDays: config.secretsRecoveryDays,
      connection: {
        host: failover.promoted ? this.replica.address : primary.database.address,
        port: failover.promoted ? this.replica.port : primary.database.port,
        name: primary.database.databaseName,
        username: primary.database.username,
        password: primary.database.masterPassword,
      },
    });
    const replicas = new ReplicaSecrets(this, "replicated-secrets", {
      naming,
      names: { ...primary.secrets.replicatedNames },
    });
    const secretKeyArn = replicas.arns.secretKey;
    const registryArn = replicas.arns.registry;

    // ACM's validation CNAME is the same in every region: the primary's record validates B's
    // certificate. The failover records replace a simple alias.
    const settings = servingSettings(config);
    this.serving = new RegionalService(this, "serving", {
      ...settings,
      naming,
      kmsKey: this.key,
      aws,
      network: this.network,
      // ACM's validation CNAME is the same in every region: the primary's record validates B's
      // certificate. The failover records replace a simple alias.
      loadBalancer: {
        ...settings.loadBalancer,
        createValidationRecords: false,
        createAliasRecord: false,
      },
      service: {
        ...settings.service,
        // Pilot light until promotion; then region B carries the primary's load.
        minCapacity: failover.promoted ? config.scaling.minCapacity : failover.standbyTasks,
        desiredCount: failover.promoted ? config.scaling.desiredCount : failover.standbyTasks,
        // Region A's writer now; this region's replica once promoted.
        databaseCidrs: [...primary.network.dataSubnetCidrs, ...this.network.dataSubnetCidrs],
        secrets: {
          databaseUrlValueFrom: this.databaseSecret.urlValueFrom,
          secretKeyArn,
          registryCredentialsArn: registryArn,
          secretArns: [
            this.databaseSecret.arn,
            secretKeyArn,
            ...(registryArn ? [registryArn] : []),
          ],
          // The replicated secrets got their values when region A was deployed.
          valueResources: [this.databaseSecret.version],
        },
        // Until promotion the tasks' health check needs region A's writer, through the peering.
        startAfter: [...this.peering.routes, ...pathToPrimaryDatabase],
      },
    });
    ({ loadBalancer: this.loadBalancer, service: this.service } = this.serving);
    this.alarmTopic = this.serving.alarmTopic;
    this.replica.allowPostgresFrom(
      "replica-from-service",
      { securityGroupId: this.service.securityGroup.id },
      "PostgreSQL from region B's service (after promotion)",
    );

    new DatabaseAlarms(this, "replica-alarms", {
      naming,
      topicArn: this.alarmTopic.arn,
      instanceIdentifier: this.replica.identifier,
      role: failover.promoted ? "writer" : "cross-region-replica",
      thresholds: config.alarms,
      replicaLagSeconds: config.alarms.replicaLagSeconds,
    });

    if (config.dns && this.loadBalancer.zoneId && this.loadBalancer.fqdn) {
      this.dnsFailover = new DnsFailover(this, "dns-failover", {
        naming,
        zoneId: this.loadBalancer.zoneId,
        fqdn: this.loadBalancer.fqdn,
        primary: { dnsName: primary.loadBalancer.dnsName, zoneId: primary.loadBalancer.albZoneId },
        secondary: { dnsName: this.loadBalancer.dnsName, zoneId: this.loadBalancer.albZoneId },
        healthCheckPath: config.service.healthCheckPath,
        intervalSeconds: failover.healthCheck.intervalSeconds,
        failureThreshold: failover.healthCheck.failureThreshold,
        alarmEmails: config.alarms.emails,
        providerTags: this.providerTags,
      });
    }

    this.outputs();
    for (const warning of configWarnings(config, "failover")) {
      Annotations.of(this).addWarning(warning);
    }
  }

  private outputs(): void {
    const out = (id: string, value: string, description: string) =>
      new TerraformOutput(this, id, { value, description });
    out(
      "failover_url",
      this.loadBalancer.url,
      "Region B's own endpoint (the ALB, or the shared name after failover)",
    );
    out("alb_dns_name", this.loadBalancer.dnsName, "Region B's ALB DNS name");
    out("replica_identifier", this.replica.identifier, "Cross-region replica to promote");
    out("replica_arn", this.replica.arn, "Cross-region replica ARN");
    out("cluster_name", this.service.clusterName, "Region B ECS cluster");
    out("service_name", this.service.serviceName, "Region B ECS service");
    out(
      "database_secret_arn",
      this.databaseSecret.arn,
      "Region B connection secret to repoint after promotion",
    );
    if (this.dnsFailover)
      out("health_check_id", this.dnsFailover.healthCheck.id, "Route53 health check of region A");
  }
}
