import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { type ITerraformDependable, Op, TerraformSelf } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import type { AwsContext } from "./aws-context";
import { fargateMemoryOptions } from "../facts";
import { buildContext, type CommonProps, policyDocument } from "./common";
import { allowClientEgress } from "./egress-rules";
import type { EncryptionKey } from "./encryption-key";
import type { LoadBalancer } from "./load-balancer";
import type { Network } from "./network";
import { LoadBalancerRole } from "./load-balancer-role";
import { ServiceRoles } from "./service-roles";
import {
  FENCE_CHECK_CONTAINER,
  fenceCheckContainer,
  fenceCheckStatements,
  type FenceStartCheckSpec,
} from "./fence-start-check";
import { NameCatalogue } from "../naming/catalogue";
import { ConstructError } from "./stack-context";

/** Secrets injected into the container; values stay in Secrets Manager. */
export interface ServiceSecrets {
  /** `valueFrom` of DATABASE_URL (a JSON key of the connection secret). */
  readonly databaseUrlValueFrom: string;
  /** ARN of the SECRET_KEY secret. */
  readonly secretKeyArn: string;
  /**
   * ARN of the registry credentials for a private image.
   * @default undefined: a public image
   */
  readonly registryCredentialsArn?: string;
  /** Every secret ARN above: the only ones the execution role may read. */
  readonly secretArns: string[];
  /**
   * Keys besides the service's own that encrypt some of those secrets (region B's copies of
   * region A's secrets are under the replica key).
   * @default none
   */
  readonly otherKeyArns?: string[];
  /**
   * What gives those secrets their values (the secret versions). The task definition references
   * the secrets, not their versions, and tasks read them when they start: the service is created
   * after these, so that its first tasks never find a secret without a value.
   */
  readonly valueResources: ITerraformDependable[];
}

/** The container and the task that runs it. */
export interface ContainerSpec {
  /** Suffix of the cluster, service, log group and policy names. */
  readonly name: string;
  /** Image without tag, such as `ghcr.io/owner/app` or an ECR repository URI. */
  readonly image: string;
  /** The tag to run; give this or `imageDigest`. */
  readonly imageTag?: string;
  /** The digest to run (`sha256:…`), which cannot move; give this or `imageTag`. */
  readonly imageDigest?: string;
  readonly containerPort: number;
  /**
   * The container's command: the server alone. Migrations run in a one-off task of the same
   * task definition before a rollout (`npm run release`), never in a serving task.
   */
  readonly serverCommand: string[];
  /** Task CPU units and memory (MiB): a pair Fargate offers. */
  readonly cpu: number;
  readonly memory: number;
  readonly architecture: "X86_64" | "ARM64";
  /** Plain environment variables; secrets come through `secrets`. */
  readonly environment: Readonly<Record<string, string>>;
  readonly readonlyRootFilesystem: boolean;
  readonly enableExecuteCommand: boolean;
  readonly healthCheckGracePeriodSeconds: number;
  readonly logRetentionDays: number;
  /**
   * Split between FARGATE and FARGATE_SPOT; `fargateBase` tasks always run on FARGATE, or
   * `spotBase` tasks on FARGATE_SPOT (ECS takes a base on one provider only).
   */
  readonly capacity: {
    readonly fargateBase: number;
    readonly fargateWeight: number;
    readonly fargateSpotWeight: number;
    /**
     * Tasks that always run on FARGATE_SPOT before weights apply: the pilot light's standby.
     * @default 0
     */
    readonly spotBase?: number;
  };
}

/** Bounds and targets of target-tracking autoscaling. */
export interface ScalingSpec {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Tasks at creation; the autoscaler owns the count afterwards. */
  readonly desiredCount: number;
  readonly cpuTargetPercent: number;
  readonly memoryTargetPercent: number;
  /** ALB requests per task per minute. */
  readonly requestsPerTarget: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

export interface FargateServiceProps extends CommonProps {
  /** Image, size, environment and behaviour of the container. */
  readonly service: ContainerSpec;
  /** Bounds and targets of autoscaling. */
  readonly scaling: ScalingSpec;
  /**
   * Lowest task count; the failover region passes its standby count.
   * @default scaling.minCapacity
   */
  readonly minCapacity?: number;
  /**
   * Tasks at creation (the autoscaler owns the count afterwards).
   * @default scaling.desiredCount
   */
  readonly desiredCount?: number;
  /** Tasks run in its app subnets. */
  readonly network: Network;
  readonly loadBalancer: LoadBalancer;
  readonly kmsKey: EncryptionKey;
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  readonly secrets: ServiceSecrets;
  /** CIDRs of the databases the tasks connect to on 5432. */
  readonly databaseCidrs: string[];
  /**
   * Other resources the first tasks need to pass their health checks, such as the routes and
   * rules of the path to a database in another region.
   * @default [] (the listener, capacity providers, IAM policies and secret values only)
   */
  readonly startAfter?: ITerraformDependable[];
  /**
   * Every apply waits until the service is steady, and fails when the rollout did not end on the
   * task definition it applied (the circuit breaker rolled it back).
   * @default true
   */
  readonly waitForSteadyState?: boolean;
  /**
   * Who moves the service to a new task definition revision: `terraform` (every apply), or the
   * app's `pipeline` (docs/adr/0001-image-rollout.md), after which applies leave it alone.
   * @default "terraform"
   */
  readonly taskDefinitionOwner?: "terraform" | "pipeline";
  /**
   * CloudWatch Container Insights on the cluster (custom metrics, billed per metric). The alarms
   * read AWS/ECS metrics, which do not need it.
   * @default true
   */
  readonly containerInsights?: boolean;
  /**
   * The ECR pull-through cache repository that `service.image` names (its account is known only
   * at apply time): the execution role may pull from it and, on the first pull, fill it.
   * @default undefined: the role's ECR access follows from `service.image`
   */
  readonly imageCacheRepositoryArn?: string;
  /**
   * ECS blue/green deployments through the load balancer's alternate target group and rules.
   * @default undefined: rolling updates behind the one target group
   */
  readonly blueGreen?: BlueGreenSpec;
  /**
   * Every task first reads region B's fence and stops before the app starts while it says
   * "fenced" (region A with failover; docs/adr/0002-fencing.md).
   * @default undefined: tasks start without asking (region B, or no failover region)
   */
  readonly fenceCheck?: FenceStartCheckSpec;
}

/** What an ECS blue/green deployment shifts traffic with, and what rolls it back. */
export interface BlueGreenSpec {
  /** Minutes both revisions stay up after production traffic moved (0 to 1440). */
  readonly bakeTimeMinutes: number;
  /**
   * Alarms that roll a deployment back while they fire, through the bake time included: the
   * service's 5xx and latency alarms.
   */
  readonly alarmNames: string[];
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/;

/**
 * The Hello-you service on Fargate: cluster, task definition, service in private subnets behind
 * the ALB, with rollback on failed deployments and target-tracking autoscaling.
 */
export class FargateService extends Construct {
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly logGroup: CloudwatchLogGroup;
  readonly securityGroup: SecurityGroup;
  readonly roles: ServiceRoles;
  readonly scalingTarget: AppautoscalingTarget;
  readonly scalingPolicies: AppautoscalingPolicy[];
  /** Blue/green only: the role ECS moves the listener rules' weights with. */
  readonly loadBalancerRole?: LoadBalancerRole;
  readonly clusterName: string;
  readonly serviceName: string;
  /** `arn:…:task/<cluster>`: the ARNs of this cluster's tasks start with it. */
  readonly taskArnPrefix: string;
  /** With `fenceCheck`: the task role's right to read where region B's fence is. */
  readonly fenceCheckPolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const { service: svc, scaling, kmsKey, loadBalancer } = props;
    const { naming, provider, aws } = buildContext(this, props);
    const minCapacity = props.minCapacity ?? scaling.minCapacity;
    const desiredCount = props.desiredCount ?? scaling.desiredCount;
    validate(this, props, minCapacity, desiredCount);
    const names = new NameCatalogue(naming);
    const waitForSteadyState = props.waitForSteadyState ?? true;

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      provider,
      name: names.serviceLogGroup(svc.name),
      retentionInDays: svc.logRetentionDays,
      kmsKeyId: kmsKey.arn,
    });
    this.cluster = new EcsCluster(this, "cluster", {
      provider,
      name: names.ecsCluster(svc.name),
      setting: [
        {
          name: "containerInsights",
          value: props.containerInsights === false ? "disabled" : "enabled",
        },
      ],
      configuration: {
        executeCommandConfiguration: {
          kmsKeyId: kmsKey.arn,
          logging: "OVERRIDE",
          logConfiguration: {
            cloudWatchLogGroupName: this.logGroup.name,
            cloudWatchEncryptionEnabled: true,
          },
        },
      },
    });
    const { fargateBase, fargateWeight, fargateSpotWeight, spotBase = 0 } = svc.capacity;
    const strategy = [
      { capacityProvider: "FARGATE", base: fargateBase, weight: fargateWeight },
      ...(fargateSpotWeight > 0 || spotBase > 0
        ? [
            {
              capacityProvider: "FARGATE_SPOT",
              weight: fargateSpotWeight,
              ...(spotBase > 0 ? { base: spotBase } : {}),
            },
          ]
        : []),
    ];
    const capacityProviders = new EcsClusterCapacityProviders(this, "capacity", {
      provider,
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: strategy,
    });

    const ecr = ECR_IMAGE.exec(svc.image);
    this.roles = new ServiceRoles(this, "roles", {
      naming,
      provider,
      kmsKey,
      aws: buildContext(this, props).aws,
      secretArns: props.secrets.secretArns,
      otherSecretKeyArns: props.secrets.otherKeyArns,
      logGroupArn: this.logGroup.arn,
      enableExecuteCommand: svc.enableExecuteCommand,
      ecrRepositoryArn:
        props.imageCacheRepositoryArn ??
        (ecr
          ? `arn:${buildContext(this, props).aws.partition}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[3]}`
          : undefined),
      importsUpstreamImage: props.imageCacheRepositoryArn !== undefined,
    });

    this.taskDefinition = new EcsTaskDefinition(this, "task", {
      provider,
      family: names.taskFamily(svc.name),
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(svc.cpu),
      memory: String(svc.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: svc.architecture },
      executionRoleArn: this.roles.executionRole.arn,
      taskRoleArn: this.roles.taskRole.arn,
      volume: svc.readonlyRootFilesystem ? [{ name: "tmp" }] : undefined,
      containerDefinitions: JSON.stringify(this.containers(props)),
    });
    if (props.fenceCheck) {
      this.fenceCheckPolicy = new IamRolePolicy(this, "fence-check-policy", {
        provider,
        name: "read-where-region-b-fence-is",
        role: this.roles.taskRole.id,
        policy: policyDocument(fenceCheckStatements(props.fenceCheck, aws)),
      });
    }

    this.loadBalancerRole = props.blueGreen
      ? new LoadBalancerRole(this, "elb-role", {
          naming,
          provider,
          aws,
          targetGroupArns: [loadBalancer.targetGroup.arn, loadBalancer.alternateTargetGroup!.arn],
          listenerArn: loadBalancer.servingListener.arn,
          ruleArns: [loadBalancer.productionRule.arn, loadBalancer.testRule!.arn],
        })
      : undefined;

    this.securityGroup = new SecurityGroup(this, "sg", {
      provider,
      name: naming.name("securityGroup", svc.name),
      description: "Service tasks: in from the ALB on the container port only",
      vpcId: props.network.vpcId,
      tags: { Name: naming.name("securityGroup", svc.name) },
    });
    this.wireSecurityGroups(props);

    // A steady service is not a successful rollout: after the circuit breaker rolls back to the
    // previous revision the service is steady too (terraform-provider-aws issue 20858).
    const rolledOut = {
      condition: Op.eq(TerraformSelf.getString("task_definition"), this.taskDefinition.arn),
      errorMessage:
        "The ECS service is not running the task definition this apply registered: the deployment circuit breaker rolled it back. See the stopped tasks' reasons (aws ecs describe-tasks) and the container logs.",
    };
    this.service = new EcsService(this, "service", {
      provider,
      name: names.ecsService(svc.name),
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount,
      capacityProviderStrategy: strategy,
      platformVersion: "LATEST",
      networkConfiguration: {
        subnets: props.network.appSubnetIds,
        securityGroups: [this.securityGroup.id],
        assignPublicIp: false,
      },
      loadBalancer: [
        {
          targetGroupArn: loadBalancer.targetGroup.arn,
          containerName: svc.name,
          containerPort: svc.containerPort,
          advancedConfiguration: this.advancedConfiguration(props),
        },
      ],
      healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      ...(props.blueGreen
        ? {
            // A blue/green apply waits through the traffic shift and the bake time; the
            // provider's default of 20 minutes would fail a healthy rollout with a long bake.
            timeouts: {
              create: `${props.blueGreen.bakeTimeMinutes + 30}m`,
              update: `${props.blueGreen.bakeTimeMinutes + 30}m`,
            },
            deploymentConfiguration: {
              strategy: "BLUE_GREEN",
              bakeTimeInMinutes: String(props.blueGreen.bakeTimeMinutes),
            },
            alarms: { alarmNames: props.blueGreen.alarmNames, enable: true, rollback: true },
          }
        : {}),
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      enableExecuteCommand: svc.enableExecuteCommand,
      enableEcsManagedTags: true,
      propagateTags: "SERVICE",
      waitForSteadyState,
      // The autoscaler owns the task count after creation; applying must not reset it. With a
      // pipeline rolling out images, the revision it registered must survive applies too.
      lifecycle: {
        ignoreChanges: [
          "desired_count",
          ...(props.taskDefinitionOwner === "pipeline" ? ["task_definition"] : []),
          // Under blue/green ECS decides which of the two target groups serves; Terraform
          // sending its original pair again could undo that (terraform-provider-aws issue
          // 45678, open: Terraform-triggered deployments do not alternate the groups).
          ...(props.blueGreen ? ["load_balancer"] : []),
        ],
        // A revision the pipeline registered differs from Terraform's on purpose.
        postcondition:
          waitForSteadyState && props.taskDefinitionOwner !== "pipeline" ? [rolledOut] : undefined,
      },
      dependsOn: [
        // The target groups reach the ALB through these rules: ECS refuses a target group that
        // no listener uses.
        loadBalancer.productionRule,
        ...(loadBalancer.testRule ? [loadBalancer.testRule] : []),
        ...(this.loadBalancerRole ? [this.loadBalancerRole.policy] : []),
        capacityProviders,
        this.roles.executionPolicy,
        ...(this.roles.taskPolicy ? [this.roles.taskPolicy] : []),
        ...(this.fenceCheckPolicy ? [this.fenceCheckPolicy] : []),
        ...props.secrets.valueResources,
        ...(props.startAfter ?? []),
      ],
    });
    this.clusterName = this.cluster.name;
    this.serviceName = this.service.name;
    const { partition, region, accountId } = aws;
    this.taskArnPrefix = `arn:${partition}:ecs:${region}:${accountId}:task/${names.ecsCluster(svc.name)}`;

    this.scalingTarget = new AppautoscalingTarget(this, "scaling-target", {
      provider,
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      minCapacity,
      maxCapacity: scaling.maxCapacity,
    });
    this.scalingPolicies = this.targetTracking(props);
  }

  private advancedConfiguration(props: FargateServiceProps) {
    const { loadBalancer } = props;
    if (!this.loadBalancerRole) return undefined;
    return {
      alternateTargetGroupArn: loadBalancer.alternateTargetGroup!.arn,
      productionListenerRule: loadBalancer.productionRule.arn,
      testListenerRule: loadBalancer.testRule!.arn,
      roleArn: this.loadBalancerRole.role.arn,
    };
  }

  /** The app's container, after the fence check's when there is one. */
  private containers(props: FargateServiceProps): Record<string, unknown>[] {
    const app = this.container(props);
    if (!props.fenceCheck) return [app];
    const check = fenceCheckContainer(props.fenceCheck, {
      image: imageReference(props.service),
      region: buildContext(this, props).aws.region,
      logGroupName: this.logGroup.name,
      readonlyRootFilesystem: props.service.readonlyRootFilesystem,
    });
    return [
      check,
      { ...app, dependsOn: [{ containerName: FENCE_CHECK_CONTAINER, condition: "SUCCESS" }] },
    ];
  }

  private container(props: FargateServiceProps): Record<string, unknown> {
    const svc = props.service;
    const { secrets } = props;
    return {
      name: svc.name,
      image: imageReference(svc),
      command: svc.serverCommand,
      essential: true,
      portMappings: [{ containerPort: svc.containerPort, protocol: "tcp" }],
      environment: Object.keys(svc.environment)
        .sort()
        .map((name) => ({ name, value: svc.environment[name] })),
      secrets: [
        { name: "DATABASE_URL", valueFrom: secrets.databaseUrlValueFrom },
        { name: "SECRET_KEY", valueFrom: secrets.secretKeyArn },
      ],
      ...(secrets.registryCredentialsArn
        ? { repositoryCredentials: { credentialsParameter: secrets.registryCredentialsArn } }
        : {}),
      readonlyRootFilesystem: svc.readonlyRootFilesystem,
      ...(svc.readonlyRootFilesystem
        ? { mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }] }
        : {}),
      privileged: false,
      linuxParameters: { initProcessEnabled: svc.enableExecuteCommand },
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": buildContext(this, props).aws.region,
          "awslogs-stream-prefix": svc.name,
        },
      },
    };
  }

  private wireSecurityGroups(props: FargateServiceProps): void {
    const { service: svc } = props;
    const { provider } = buildContext(this, props);
    const port = svc.containerPort;
    new VpcSecurityGroupIngressRule(this, "from-alb", {
      provider,
      securityGroupId: this.securityGroup.id,
      description: "Container port from the ALB",
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: props.loadBalancer.securityGroup.id,
    });
    new VpcSecurityGroupEgressRule(this, "alb-to-service", {
      provider,
      securityGroupId: props.loadBalancer.securityGroup.id,
      description: "ALB to the service's container port",
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: this.securityGroup.id,
    });
    allowClientEgress(this, {
      provider,
      securityGroupId: this.securityGroup.id,
      httpsDescription: "HTTPS to the image registry and AWS APIs",
      databaseCidrs: props.databaseCidrs,
    });
    if (props.fenceCheck && !props.fenceCheck.tlsServerName) {
      // Without a DNS zone B's ALB serves plain HTTP, so its fence is read on port 80.
      new VpcSecurityGroupEgressRule(this, "fence-http-out", {
        provider,
        securityGroupId: this.securityGroup.id,
        description: "HTTP to region B's fence (no certificate without a DNS zone)",
        ipProtocol: "tcp",
        fromPort: 80,
        toPort: 80,
        cidrIpv4: "0.0.0.0/0",
      });
    }
  }

  private targetTracking(props: FargateServiceProps): AppautoscalingPolicy[] {
    const { scaling, loadBalancer } = props;
    const { provider } = buildContext(this, props);
    const metrics = [
      { id: "cpu", metric: "ECSServiceAverageCPUUtilization", target: scaling.cpuTargetPercent },
      {
        id: "memory",
        metric: "ECSServiceAverageMemoryUtilization",
        target: scaling.memoryTargetPercent,
      },
      // ALBRequestCountPerTarget names one target group; blue/green moves production traffic to
      // the other one at every deployment, after which the metric reads zero and would scale the
      // service in. CPU and memory keep tracking load then.
      ...(props.blueGreen
        ? []
        : [
            {
              id: "requests",
              metric: "ALBRequestCountPerTarget",
              target: scaling.requestsPerTarget,
              label: `${loadBalancer.arnSuffix}/${loadBalancer.targetGroupArnSuffix}`,
            },
          ]),
    ];
    return metrics.map(
      (m) =>
        new AppautoscalingPolicy(this, `scale-${m.id}`, {
          provider,
          name: buildContext(this, props).naming.name(
            "scalingPolicy",
            `${props.service.name}-${m.id}`,
          ),
          policyType: "TargetTrackingScaling",
          serviceNamespace: this.scalingTarget.serviceNamespace,
          scalableDimension: this.scalingTarget.scalableDimension,
          resourceId: this.scalingTarget.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: m.target,
            scaleInCooldown: scaling.scaleInCooldownSeconds,
            scaleOutCooldown: scaling.scaleOutCooldownSeconds,
            predefinedMetricSpecification: {
              predefinedMetricType: m.metric,
              resourceLabel: m.label,
            },
          },
        }),
    );
  }
}

function validate(
  scope: IConstruct,
  props: FargateServiceProps,
  minCapacity: number,
  desiredCount: number,
): void {
  const { service: svc, scaling } = props;
  if (!fargateMemoryOptions(svc.cpu)?.includes(svc.memory)) {
    throw new ConstructError(
      scope,
      `FargateService: cpu ${svc.cpu} with memory ${svc.memory} is not a Fargate size`,
    );
  }
  if (minCapacity < 0 || minCapacity > scaling.maxCapacity) {
    throw new ConstructError(
      scope,
      `FargateService: minCapacity ${minCapacity} must be from 0 to maxCapacity ${scaling.maxCapacity}`,
    );
  }
  if (desiredCount < minCapacity || desiredCount > scaling.maxCapacity) {
    throw new ConstructError(
      scope,
      `FargateService: desiredCount ${desiredCount} must be from minCapacity ${minCapacity} to maxCapacity ${scaling.maxCapacity}`,
    );
  }
  const { fargateBase, fargateWeight, fargateSpotWeight, spotBase = 0 } = svc.capacity;
  if (spotBase > 0 && fargateBase > 0) {
    throw new ConstructError(
      scope,
      `FargateService: capacity.spotBase ${spotBase} and capacity.fargateBase ${fargateBase} are both set; ECS takes a base on one capacity provider only, so set one of them to 0`,
    );
  }
  if (fargateWeight + fargateSpotWeight === 0) {
    throw new ConstructError(
      scope,
      "FargateService: capacity.fargateWeight and capacity.fargateSpotWeight are both 0; ECS needs one provider with a weight above 0",
    );
  }
  if (svc.serverCommand.length === 0) {
    throw new ConstructError(
      scope,
      "FargateService: service.serverCommand is empty; give the server's command (gunicorn ...), or every task would run the image's own command, migrations included",
    );
  }
  if (props.fenceCheck && !props.fenceCheck.fenceLocationParameter.startsWith("/")) {
    throw new ConstructError(
      scope,
      `FargateService: fenceCheck.fenceLocationParameter "${props.fenceCheck.fenceLocationParameter}" must be a path starting with "/" (its ARN is built from it)`,
    );
  }
  if (props.fenceCheck && svc.name === FENCE_CHECK_CONTAINER) {
    throw new ConstructError(
      scope,
      `FargateService: service.name "${svc.name}" is the fence check's container name; choose another name`,
    );
  }
  if (props.blueGreen) {
    const { bakeTimeMinutes, alarmNames } = props.blueGreen;
    if (!Number.isInteger(bakeTimeMinutes) || bakeTimeMinutes < 0 || bakeTimeMinutes > 1440) {
      throw new ConstructError(
        scope,
        `FargateService: blueGreen.bakeTimeMinutes ${bakeTimeMinutes} must be a whole number from 0 to 1440`,
      );
    }
    if (alarmNames.length === 0) {
      throw new ConstructError(
        scope,
        "FargateService: blueGreen.alarmNames is empty; name the alarms that roll a deployment back (5xx, latency)",
      );
    }
    if (!props.loadBalancer.alternateTargetGroup || !props.loadBalancer.testRule) {
      throw new ConstructError(
        scope,
        "FargateService: blueGreen needs a load balancer built with blueGreen: true (alternate target group and test rule)",
      );
    }
  }
  if (props.secrets.valueResources.length === 0) {
    throw new ConstructError(
      scope,
      "FargateService: secrets.valueResources is empty; pass the secret versions the container reads, so that the service starts after the secrets have values",
    );
  }
  if (props.secrets.secretArns.length === 0) {
    throw new ConstructError(
      scope,
      "FargateService: secrets.secretArns is empty; list every secret the container reads",
    );
  }
}

/** `image@digest` or `image:tag`; exactly one of the two must be given. */
export function imageReference(
  spec: Pick<ContainerSpec, "image" | "imageTag" | "imageDigest">,
): string {
  const { image, imageTag, imageDigest } = spec;
  if ((imageTag === undefined) === (imageDigest === undefined)) {
    throw new Error(
      `FargateService: service.imageTag and service.imageDigest: give exactly one (got ${imageTag === undefined ? "neither" : "both"}); IMAGE_TAG or IMAGE_DIGEST supplies it at synth time`,
    );
  }
  return imageDigest === undefined ? `${image}:${imageTag}` : `${image}@${imageDigest}`;
}
