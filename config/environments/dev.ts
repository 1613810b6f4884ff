import type { EnvironmentInput } from "../schema";

/**
 * A cheap environment for trying changes: one NAT gateway per region, the smallest sizes, no
 * DNS zone (so plain HTTP and no DNS failover), and nothing that blocks `cdktf destroy`.
 */
export const dev: EnvironmentInput = {
  project: "hello-you",
  environment: "dev",
  allowHttpOnly: true,
  secretsRecoveryDays: 0,
  network: {
    region: "us-east-1",
    vpcCidr: "10.30.0.0/16",
    azCount: 2,
    natGateways: "single",
    interfaceEndpoints: false,
    flowLogRetentionDays: 14,
  },
  service: {
    imageTag: "latest",
    cpu: 256,
    memory: 512,
    logRetentionDays: 7,
    enableExecuteCommand: true,
    // Applies return without waiting for tasks; rollouts in dev are watched by hand.
    waitForSteadyState: false,
    capacity: { fargateBase: 0, fargateWeight: 1, fargateSpotWeight: 3 },
  },
  scaling: { minCapacity: 1, maxCapacity: 3, desiredCount: 1 },
  database: {
    instanceClass: "db.t4g.micro",
    multiAz: false,
    backupRetentionDays: 1,
    deletionProtection: false,
    readReplica: true,
    monitoringIntervalSeconds: 0,
    logRetentionDays: 7,
  },
  // Nothing in dev blocks a destroy.
  loadBalancer: { deletionProtection: false },
  waf: { enabled: false },
  failover: {
    enabled: true,
    network: {
      region: "us-west-2",
      vpcCidr: "10.40.0.0/16",
      natGateways: "single",
      interfaceEndpoints: false,
      flowLogRetentionDays: 14,
    },
    standbyTasks: 0,
    backupReplicationRetentionDays: 1,
    // Dev is where the automatic promotion is tried, and the emulated rehearsal exercises it.
    automatic: true,
  },
  // Who the automatic promotion pages before it promotes (the rule automatic-pages-someone).
  alarms: { emails: ["oncall@example.com"] },
};
