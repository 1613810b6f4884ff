import type { EnvironmentInput } from "../schema";

/**
 * Production: three AZs with a NAT gateway in each, a Multi-AZ writer with a replica, deletion
 * protection, HTTPS through a Route53 zone, WAF, and a warm pilot light in region B.
 * Replace the zone and the alarm address with your own before deploying, and the reviewers
 * team before turning delivery on (docs/delivery.md).
 */
export const prod: EnvironmentInput = {
  project: "hello-you",
  environment: "prod",
  network: {
    region: "us-east-1",
    vpcCidr: "10.10.0.0/16",
    azCount: 3,
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    natGateways: "perAz",
    interfaceEndpoints: true,
    flowLogRetentionDays: 365,
  },
  service: {
    // No image here: the delivery path passes the release it deploys (IMAGE_DIGEST or
    // IMAGE_TAG=vX.Y.Z), and synth refuses a moving tag.
    immutableImage: true,
    cpu: 512,
    memory: 1024,
    logRetentionDays: 365,
    capacity: { fargateBase: 2, fargateWeight: 1, fargateSpotWeight: 1 },
  },
  scaling: { minCapacity: 2, maxCapacity: 6, desiredCount: 2 },
  database: {
    instanceClass: "db.t4g.small",
    allocatedStorage: 20,
    maxAllocatedStorage: 200,
    multiAz: true,
    backupRetentionDays: 14,
    deletionProtection: true,
    readReplica: true,
    monitoringIntervalSeconds: 60,
    logRetentionDays: 365,
  },
  // A regression that passes /health still meets the alarms before every user does.
  rollout: { strategy: "blueGreen", bakeTimeMinutes: 15 },
  dns: { zoneName: "example.com", recordName: "api" },
  alarms: { emails: ["oncall@example.com"] },
  loadBalancer: { deletionProtection: true },
  waf: { enabled: true, rateLimitPerIp: 2000 },
  failover: {
    enabled: true,
    network: {
      region: "us-west-2",
      vpcCidr: "10.20.0.0/16",
      azCount: 2,
      availabilityZones: ["us-west-2a", "us-west-2b"],
      natGateways: "single",
      interfaceEndpoints: false,
      flowLogRetentionDays: 365,
    },
    standbyTasks: 1,
    // Recovery's tasks pull from region B's ECR; the standby task's pull fills it.
    imageSource: "regionalCache",
    backupReplicationRetentionDays: 14,
  },
  // A rollout to production needs a reviewer's approval and starts from a protected branch.
  delivery: {
    enabled: false,
    reviewers: { teams: ["platform"] },
    deploymentBranches: "protected",
  },
};
