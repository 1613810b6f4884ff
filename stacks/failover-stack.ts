import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { Annotations, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { AlarmTopic } from "../constructs/alarm-topic";
import { replicatedSecretNames } from "../constructs/app-secrets";
import { BackupReplication } from "../constructs/backup-replication";
import { DatabaseReadReplica } from "../constructs/database-read-replica";
import { DatabaseAlarms } from "../constructs/database-alarms";
import { DatabaseSecret } from "../constructs/database-secret";
import { AutoPromoter } from "../constructs/auto-promoter";
import { type DrTargets, DrOperatorRole } from "../constructs/dr-operator-role";
import { EncryptionKey } from "../constructs/encryption-key";
import type { FargateService } from "../constructs/fargate-service";
import { Fence } from "../constructs/fence";
import { metricAlarm } from "../constructs/metric-alarm";
import { FenceWatch } from "../constructs/fence-watch";
import { ImageCache } from "../constructs/image-cache";
import { RegionalService } from "../constructs/regional-service";
import { Network } from "../constructs/network";
import { PrimaryWatch } from "../constructs/primary-watch";
import { PromotionGuard } from "../constructs/promotion-guard";
import { ReplicaSecrets } from "../constructs/replica-secrets";
import { ReplicatedConnection } from "../constructs/replicated-connection";
import { subnetLayout } from "../constructs/subnet-layout";
import type { LoadBalancer } from "../constructs/load-balancer";
import { type RecoveryNames, recoveryNames } from "../naming/recovery";
import { servingSettings } from "./serving";
import { BaseStack, type BaseStackProps } from "./base-stack";
import { configWarnings } from "./warnings";
import { NameCatalogue } from "../naming/catalogue";

/** Days the recovery tool's audit trail is kept. */
const AUDIT_RETENTION_DAYS = 365;

/**
 * Region B's capacity providers. With `standbyCapacity: "spot"` the standby tasks run on
 * FARGATE_SPOT (its base) and every task beyond them, what promotion and the autoscaler add, on
 * FARGATE, so that recovery does not wait for Spot capacity while a whole region's customers
 * move: Spot gets weight 1 (a provider with weight 0 places no task at all, base or not: ECS
 * CapacityProviderStrategyItem) against the most ECS allows, 1000, for FARGATE.
 * The same before and after promotion: the AWS provider (6.x) refuses to plan a changed strategy
 * on an existing service unless `force_new_deployment` is set, and the promoted apply must plan.
 */
function standbyCapacity(config: FailoverStackProps["config"]) {
  const { failover, service } = config;
  if (failover.standbyCapacity === "onDemand") return service.capacity;
  return {
    fargateBase: 0,
    fargateWeight: 1000,
    fargateSpotWeight: 1,
    spotBase: failover.standbyTasks,
  };
}

export type FailoverStackProps = Omit<BaseStackProps, "region">;

/**
 * Region B: the pilot light, standing alone. It has no provider in region A and reads nothing
 * from A at plan time: A's writer is known by its derived ARN, A's connection by the replica of
 * A's secret that Secrets Manager keeps in B. So when region A is gone this stack still plans
 * and applies, which is what promotion needs (docs/disaster-recovery.md). The peering and the
 * DNS failover records, which need A or Route53's API, live in the `link` stack.
 */
export class FailoverStack extends BaseStack {
  readonly names: RecoveryNames;
  readonly key: EncryptionKey;
  readonly network: Network;
  readonly replica: DatabaseReadReplica;
  readonly databaseSecret: DatabaseSecret;
  readonly serving: RegionalService;
  readonly loadBalancer: LoadBalancer;
  readonly service: FargateService;
  readonly alarmTopic: AlarmTopic;
  readonly fence: Fence;
  readonly auditLogGroup: CloudwatchLogGroup;
  /** Until `failover.promoted`: fails the plan once RDS says the replica is a writer. */
  readonly promotionGuard?: PromotionGuard;
  readonly drOperatorRole: DrOperatorRole;
  /** With `failover.imageSource: regionalCache`: where B's tasks pull the image from. */
  readonly imageCache?: ImageCache;
  /** With `failover.automatic`: region B promotes itself (ADR 0004). */
  readonly autoPromoter?: AutoPromoter;

  constructor(scope: Construct, props: FailoverStackProps) {
    super(scope, "failover", { ...props, region: props.config.failover.network.region });
    const { config, naming, aws } = this;
    const { failover } = config;
    const promoted = failover.promoted;
    this.names = recoveryNames({
      project: config.project,
      environment: config.environment,
      primaryRegion: config.network.region,
      failoverRegion: failover.network.region,
      serviceName: config.service.name,
    });
    const names = this.names;

    this.key = new EncryptionKey(this, "key", {});
    this.network = new Network(this, "network", {
      ...failover.network,
      // The standby's egress until promotion; B's NAT gateways once it serves.
      natInstanceType:
        !promoted && failover.standbyEgress === "natInstance"
          ? failover.natInstanceType
          : undefined,
      kmsKey: this.key,
    });

    if (!promoted) {
      this.promotionGuard = new PromotionGuard(this, "promotion-guard", {
        naming,
        replicaIdentifier: names.replica,
        settingsFile: `config/environments/${config.environment}.ts`,
      });
    }

    // Region A's writer, by the ARN its derived identifier gives: no lookup in region A.
    const primaryArn = `arn:${aws.partition}:rds:${config.network.region}:${aws.accountId}:db:${names.primaryDatabase}`;
    this.replica = new DatabaseReadReplica(this, "replica", {
      settings: config.database,
      instanceClass: failover.replicaInstanceClass,
      kmsKey: this.key,
      vpcId: this.network.vpcId,
      subnetIds: this.network.dataSubnetIds,
      sourceArn: primaryArn,
      promoted,
    });
    // Copies of A's backups. Kept after promotion: they are the way back to a point in time
    // before the disaster, and stopping the replication is a call the provider waits on in
    // region A, which recovery must not need. Failback replaces them (docs/disaster-recovery.md).
    new BackupReplication(this, "backups", {
      sourceArn: primaryArn,
      kmsKey: this.key,
      retentionDays: failover.backupReplicationRetentionDays,
    });

    // Region A's writer through the peering until promotion, then this region's own instance
    // (`npm run dr -- promote` repoints it first; `failover.promoted` makes Terraform agree).
    const replicatedConnection = new ReplicatedConnection(this, "primary-connection", {
      secretName: names.primaryConnectionSecret,
    });
    const primaryConnection = replicatedConnection.connection;
    this.databaseSecret = new DatabaseSecret(this, "database-secret", {
      kmsKey: this.key,
      recoveryWindowDays: config.secretsRecoveryDays,
      connection: {
        ...primaryConnection,
        host: promoted ? this.replica.address : primaryConnection.host,
        port: promoted ? this.replica.port : primaryConnection.port,
      },
    });
    const replicas = new ReplicaSecrets(this, "replicated-secrets", {
      names: replicatedSecretNames(
        naming.forRegion(config.network.region),
        Boolean(config.service.privateRegistry),
      ),
    });
    // The copies of A's secrets are under the replica key the primary stack keeps in B.
    const replicaKeyArn = new DataAwsKmsAlias(this, "replica-key", {
      name: new NameCatalogue(naming).replicaKeyAlias,
    }).targetKeyArn;
    const secretKeyArn = replicas.arns.secretKey;
    if (failover.imageSource === "regionalCache") {
      this.imageCache = new ImageCache(this, "image-cache", {
        upstreamImage: config.service.image,
        recoveryWindowDays: config.secretsRecoveryDays,
      });
    }
    // ECR authenticates the cache's pulls with the execution role: no registry credentials.
    const registryArn = this.imageCache ? undefined : replicas.arns.registry;

    const settings = servingSettings(config);
    this.serving = new RegionalService(this, "serving", {
      ...settings,
      // The pilot light rolls; once promoted, region B rolls out like region A did.
      blueGreen: promoted ? settings.blueGreen : undefined,
      kmsKey: this.key,
      network: this.network,
      // ACM's validation CNAME is the same in every region: the primary's record validates B's
      // certificate. The failover records live in the `link` stack.
      loadBalancer: {
        ...settings.loadBalancer,
        createValidationRecords: false,
        createAliasRecord: false,
        healthCheckIntervalSeconds: failover.targetHealthCheckIntervalSeconds,
      },
      service: {
        ...settings.service,
        service: {
          ...settings.service.service,
          capacity: standbyCapacity(config),
          // The same tag or digest as region A's, through region B's own cache.
          image: this.imageCache?.image ?? settings.service.service.image,
        },
        ...(this.imageCache ? { imageCacheRepositoryArn: this.imageCache.repositoryArn } : {}),
        containerInsights: promoted || failover.standbyContainerInsights,
        // Pilot light until promotion; then region B carries the primary's load.
        minCapacity: promoted ? config.scaling.minCapacity : failover.standbyTasks,
        desiredCount: promoted ? config.scaling.desiredCount : failover.standbyTasks,
        // Before promotion the standby tasks need region A's writer, which they reach only once
        // the `link` stack (applied after this one) has made the peering: waiting here for a
        // steady service would wait for a stack that cannot start yet.
        waitForSteadyState: promoted && settings.service.waitForSteadyState,
        // Region A's writer now; this region's replica once promoted.
        databaseCidrs: [
          ...subnetLayout(config.network.vpcCidr, config.network.azCount).data,
          ...this.network.dataSubnetCidrs,
        ],
        secrets: {
          databaseUrlValueFrom: this.databaseSecret.urlValueFrom,
          secretKeyArn,
          registryCredentialsArn: registryArn,
          secretArns: [
            this.databaseSecret.arn,
            secretKeyArn,
            ...(registryArn ? [registryArn] : []),
          ],
          otherKeyArns: [replicaKeyArn],
          // The replicated secrets got their values when region A was deployed.
          valueResources: [this.databaseSecret.version],
        },
      },
    });
    ({ loadBalancer: this.loadBalancer, service: this.service } = this.serving);
    this.alarmTopic = this.serving.alarmTopic;
    this.replica.allowPostgresFrom(
      "replica-from-service",
      { securityGroupId: this.service.securityGroup.id },
      "PostgreSQL from region B's service (after promotion)",
    );

    this.fence = new Fence(this, "fence", {
      listenerArn: (this.loadBalancer.httpsListener ?? this.loadBalancer.httpListener).arn,
      albDnsName: this.loadBalancer.dnsName,
      state: promoted ? "fenced" : "open",
    });
    this.auditLogGroup = new CloudwatchLogGroup(this, "dr-audit", {
      name: names.auditLogGroup,
      retentionInDays: AUDIT_RETENTION_DAYS,
      kmsKeyId: this.key.arn,
    });
    const region = failover.network.region;
    const drTargets: DrTargets = {
      replicaArn: this.replica.arn,
      fenceRuleArn: this.fence.rule.arn,
      failoverConnectionSecretArn: this.databaseSecret.arn,
      primaryConnectionSecretArn: replicatedConnection.secretArn,
      keyArn: this.key.arn,
      replicaKeyArn,
      serviceArn: this.service.service.arn,
      scalableTargetArn: this.service.scalingTarget.arn,
      auditLogGroupArn: this.auditLogGroup.arn,
      primaryEndpointParameterArn: `arn:${aws.partition}:ssm:${region}:${aws.accountId}:parameter${names.primaryEndpointParameter}`,
      ...(this.imageCache ? { imageCacheRepositoryArn: this.imageCache.repositoryArn } : {}),
      primaryUnreachableAlarmArn: `arn:${aws.partition}:cloudwatch:${region}:${aws.accountId}:alarm:${names.primaryUnreachableAlarm}`,
      primaryWriterArn: primaryArn,
    };
    this.drOperatorRole = new DrOperatorRole(this, "dr-operator", {
      naming,
      aws,
      region,
      targets: drTargets,
    });
    // Region B promotes itself once region A is lost, behind its guards (ADR 0004). Kept after
    // promotion, unchanged: it then finds B's database a writer and does nothing, and the
    // promoted apply, which runs while IAM may be down, deletes no role.
    if (failover.automatic) {
      this.autoPromoter = new AutoPromoter(this, "auto-promoter", {
        naming,
        aws,
        region,
        kmsKey: this.key,
        topicArn: this.alarmTopic.arn,
        targets: drTargets,
        parameters: names.autoPromotion,
        // Whether B is promoted the function reads from RDS, not from here: the same settings
        // before and after promotion, so the promoted apply does not update the function.
        settings: JSON.stringify({ ...config, failover: { ...failover, promoted: false } }),
        logRetentionDays: config.service.logRetentionDays,
      });
    }
    new FenceWatch(this, "fence-watch", {
      naming,
      aws,
      fenceRuleArn: this.fence.rule.arn,
      listenerArn: (this.loadBalancer.httpsListener ?? this.loadBalancer.httpListener).arn,
      operatorRoleName: this.drOperatorRole.roleName,
      topicArn: this.alarmTopic.arn,
    });

    new DatabaseAlarms(this, "replica-alarms", {
      topicArn: this.alarmTopic.arn,
      instanceIdentifier: this.replica.identifier,
      role: promoted ? "writer" : "cross-region-replica",
      thresholds: config.alarms,
    });
    const nat = this.network.natInstance;
    if (nat) {
      // The standby's only way out: promotion's new tasks pull their image through it.
      metricAlarm(
        this,
        {
          id: "nat-instance-status",
          alarmDescription:
            "Region B's NAT instance fails its status checks or reports nothing: the standby tasks cannot pull images or reach AWS APIs, and promotion's tasks would not start. EC2 recovers it on a failed host; otherwise reboot or replace it (or set failover.standbyEgress: natGateway and deploy failover).",
          namespace: "AWS/EC2",
          metricName: "StatusCheckFailed",
          dimensions: { InstanceId: nat.instance.id },
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 3,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
          // A stopped or terminated instance publishes nothing.
          treatMissingData: "breaching",
        },
        { name: (suffix) => naming.name("alarm", suffix), topicArn: this.alarmTopic.arn },
      );
    }
    // Pages from region B about region A, until B is the serving region.
    if (!promoted) {
      new PrimaryWatch(this, "primary-watch", {
        topicArn: this.alarmTopic.arn,
        albArnSuffix: this.loadBalancer.arnSuffix,
        targetGroupArnSuffix: this.loadBalancer.targetGroupArnSuffix,
        standbyTasks: failover.standbyTasks,
        // Only DNS failover sends clients to B on its own.
        takeoverRequestsPerMinute: config.dns
          ? config.alarms.failoverTrafficRequestsPerMinute
          : undefined,
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
      "dr_operator_role_arn",
      this.drOperatorRole.role.arn,
      "Role an operator assumes to run npm run dr in region B",
    );
    if (this.imageCache) {
      out(
        "image_cache_secret_name",
        this.imageCache.secret.name,
        "Secret to put the GitHub user and token in, for ECR's cache of ghcr.io (docs/disaster-recovery.md)",
      );
    }
    out(
      "database_secret_arn",
      this.databaseSecret.arn,
      "Region B connection secret to repoint after promotion",
    );
  }
}
