/**
 * What `npm run dr` reads and changes in region B, as a small interface: the SDK adapter
 * (sdk.ts) implements it for real, and the specs use an in-memory fake, so every step is tested
 * against state rather than against recorded calls.
 */

export interface DbInstance {
  readonly identifier: string;
  readonly arn: string;
  /** RDS DBInstanceStatus: available, modifying, ... */
  readonly status: string;
  /** ReadReplicaSourceDBInstanceIdentifier: set while the instance is still a replica. */
  readonly source?: string;
  readonly address?: string;
  readonly port?: number;
  /** Whether the instance runs a standby in a second AZ. */
  readonly multiAz?: boolean;
  /** A Multi-AZ change RDS has accepted and not finished (PendingModifiedValues.MultiAZ). */
  readonly pendingMultiAz?: boolean;
}

/** A CloudWatch alarm's state and when it last changed. */
export interface AlarmState {
  readonly state: string;
  readonly since?: Date;
}

/** One datapoint of a metric. */
export interface Datapoint {
  readonly value: number;
  readonly at: Date;
}

/** An automated backup held in region B (replicated ones keep the source's identifier). */
export interface AutomatedBackup {
  readonly instance: string;
  readonly status: string;
  readonly region?: string;
}

export interface SecretInfo {
  readonly name: string;
  readonly lastChanged?: Date;
}

export interface Deployment {
  readonly status: string;
  readonly rolloutState?: string;
  readonly createdAt?: Date;
  readonly desiredCount: number;
  readonly runningCount: number;
}

export interface ServiceState {
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly deployments: readonly Deployment[];
}

export interface ScalableTarget {
  readonly min: number;
  readonly max: number;
}

export interface LoadBalancerInfo {
  readonly arn: string;
  readonly dnsName: string;
}

export interface Listener {
  readonly arn: string;
  readonly port: number;
  readonly protocol: string;
}

export interface FixedResponse {
  readonly statusCode: string;
  readonly body?: string;
  readonly contentType?: string;
}

export interface ListenerRule {
  readonly arn: string;
  readonly priority: string;
  readonly pathPatterns: readonly string[];
  readonly hostHeaders: readonly string[];
  readonly fixedResponse?: FixedResponse;
}

export interface TargetHealth {
  readonly healthy: number;
  readonly total: number;
}

export interface Peering {
  readonly id: string;
  readonly status: string;
}

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Region B's APIs, as far as recovery needs them. Absent things are `undefined`, not errors. */
export interface RegionB {
  readonly region: string;
  readonly database: {
    describe(identifier: string): Promise<DbInstance | undefined>;
    promote(identifier: string, backupRetentionDays: number): Promise<void>;
    automatedBackups(): Promise<AutomatedBackup[]>;
    /** Latest ReplicaLag datapoint of the last 10 minutes, in seconds. */
    replicaLagSeconds(identifier: string): Promise<number | undefined>;
    /** Latest ReplicaLag datapoint of the last 3 hours: what the replica last reported. */
    lastReplicaLag(identifier: string): Promise<Datapoint | undefined>;
    /** Makes the instance Multi-AZ now (ApplyImmediately), not in its next maintenance window. */
    makeMultiAz(identifier: string): Promise<void>;
  };
  readonly alarms: {
    state(name: string): Promise<AlarmState | undefined>;
  };
  readonly secrets: {
    describe(name: string): Promise<SecretInfo | undefined>;
    read(name: string): Promise<string | undefined>;
    write(name: string, value: string): Promise<void>;
  };
  readonly parameters: {
    read(name: string): Promise<string | undefined>;
  };
  readonly service: {
    describe(cluster: string, service: string): Promise<ServiceState | undefined>;
    update(
      cluster: string,
      service: string,
      change: { readonly desiredCount?: number; readonly forceNewDeployment?: boolean },
    ): Promise<void>;
    scalableTarget(resourceId: string): Promise<ScalableTarget | undefined>;
    registerScalableTarget(resourceId: string, target: ScalableTarget): Promise<void>;
    /** The image its task definition runs (first container), as the definition names it. */
    image(cluster: string, service: string): Promise<string | undefined>;
  };
  readonly images: {
    /** Whether this region's ECR repository holds `reference`: a digest (`sha256:...`) or a tag. */
    holds(repository: string, reference: string): Promise<boolean>;
  };
  readonly loadBalancing: {
    findLoadBalancer(name: string): Promise<LoadBalancerInfo | undefined>;
    listeners(loadBalancerArn: string): Promise<Listener[]>;
    rules(listenerArn: string): Promise<ListenerRule[]>;
    setFixedResponse(ruleArn: string, response: FixedResponse): Promise<void>;
    targetHealth(targetGroupName: string): Promise<TargetHealth | undefined>;
  };
  readonly network: {
    /** The VPC tagged Name=`vpcName` and its peering connections (as requester or accepter). */
    peerings(vpcName: string): Promise<{ vpcId?: string; peerings: Peering[] }>;
  };
  readonly logs: {
    createStream(group: string, stream: string): Promise<void>;
    put(group: string, stream: string, events: readonly LogEvent[]): Promise<void>;
  };
}

/** `service/<cluster>/<service>`: the ECS service as Application Auto Scaling names it. */
export function scalableResourceId(cluster: string, service: string): string {
  return `service/${cluster}/${service}`;
}
