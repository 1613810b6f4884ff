import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AwsContextLookup } from "../../constructs/aws-context";
import { EncryptionKey } from "../../constructs/encryption-key";
import { Network, type NetworkProps } from "../../constructs/network";
import { Naming } from "../../naming/naming";
import { listOf, policiesOf, synthJson, testStack } from "../helpers";

function build(overrides: Partial<NetworkProps> = {}) {
  const { stack, naming, aws } = testStack();
  const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
  const network = new Network(stack, "network", {
    naming,
    vpcCidr: "10.10.0.0/16",
    azCount: 3,
    natGateways: "perAz",
    interfaceEndpoints: true,
    flowLogRetentionDays: 365,
    kmsKey,
    aws,
    ...overrides,
  });
  return { stack, network, json: synthJson(stack) };
}

describe("Network", () => {
  it("creates public, app and data subnets per AZ, none assigning public IPs", () => {
    const { json, network } = build();
    const subnets = listOf(json, "aws_subnet");
    expect(subnets).toHaveLength(9);
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual(
      [
        ...network.appSubnetCidrs,
        ...network.dataSubnetCidrs,
        "10.10.0.0/20",
        "10.10.16.0/20",
        "10.10.32.0/20",
      ].sort(),
    );
    expect(listOf(json, "aws_vpc")[0]).toMatchObject({
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("routes each AZ's app subnet through its own NAT gateway when perAz", () => {
    const { json } = build();
    expect(listOf(json, "aws_nat_gateway")).toHaveLength(3);
    const natRoutes = listOf(json, "aws_route").filter((r) => r.nat_gateway_id);
    expect(natRoutes.map((r) => /network_nat-(\d)_/.exec(String(r.nat_gateway_id))?.[1])).toEqual([
      "0",
      "1",
      "2",
    ]);
    expect(
      natRoutes.map((r) => /network_app-rt-(\d)_/.exec(String(r.route_table_id))?.[1]),
    ).toEqual(["0", "1", "2"]);
  });

  it("shares one NAT gateway when single", () => {
    const { json } = build({ natGateways: "single" });
    expect(listOf(json, "aws_nat_gateway")).toHaveLength(1);
    const targets = new Set(
      listOf(json, "aws_route")
        .filter((r) => r.nat_gateway_id)
        .map((r) => r.nat_gateway_id),
    );
    expect(targets.size).toBe(1);
  });

  it("routes every app subnet through one NAT instance, and makes no NAT gateway, when asked", () => {
    const { json, network } = build({ natInstanceType: "t4g.nano" });
    expect(listOf(json, "aws_nat_gateway")).toEqual([]);
    expect(network.natGateways).toEqual([]);
    expect(listOf(json, "aws_instance")[0]).toMatchObject({
      instance_type: "t4g.nano",
      source_dest_check: false,
      subnet_id: expect.stringContaining("aws_subnet.network_public-0"),
    });
    const defaults = listOf(json, "aws_route").filter((r) =>
      String(r.route_table_id).includes("app-rt"),
    );
    expect(defaults).toHaveLength(3);
    for (const route of defaults) {
      expect(route).toMatchObject({
        destination_cidr_block: "0.0.0.0/0",
        network_interface_id: expect.stringMatching(
          /aws_instance\.network_nat-instance_\w+\.primary_network_interface_id/,
        ),
      });
      expect(route).not.toHaveProperty("nat_gateway_id");
    }
  });

  it("gives the data tier no route out of the VPC", () => {
    const { json } = build();
    const dataTable = Object.entries(json.resource!.aws_route_table).find(([id]) =>
      id.includes("data-rt"),
    )![0];
    const dataRoutes = listOf(json, "aws_route").filter((r) =>
      String(r.route_table_id).includes(dataTable),
    );
    expect(dataRoutes).toEqual([]);
  });

  it("closes the default security group", () => {
    const { json } = build();
    expect(listOf(json, "aws_default_security_group")[0]).toMatchObject({
      ingress: [],
      egress: [],
    });
  });

  it("sends all flow logs to an encrypted log group with retention, through a scoped role", () => {
    const { json } = build();
    expect(listOf(json, "aws_flow_log")[0]).toMatchObject({
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
    });
    expect(listOf(json, "aws_cloudwatch_log_group")[0]).toMatchObject({
      retention_in_days: 365,
      kms_key_id: expect.stringContaining("aws_kms_key"),
    });
    const [policy] = policiesOf(json, "aws_iam_role_policy");
    expect(policy.Statement[0].Resource).toEqual([
      expect.stringContaining("aws_cloudwatch_log_group"),
      expect.stringMatching(/aws_cloudwatch_log_group.+:\*$/),
    ]);
    const [trust] = policiesOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: "vpc-flow-logs.amazonaws.com" },
    });
  });

  it("admits PostgreSQL into the data tier only from app subnets and peers", () => {
    const { json, network } = build({ peerAppCidrs: ["10.20.64.0/20"] });
    const acl = listOf(json, "aws_network_acl")[0] as {
      ingress: Record<string, unknown>[];
      egress: Record<string, unknown>[];
    };
    const postgres = acl.ingress.filter((r) => r.from_port === 5432);
    expect(postgres.map((r) => r.cidr_block)).toEqual([...network.appSubnetCidrs, "10.20.64.0/20"]);
    expect(
      postgres.every((r) => r.to_port === 5432 && r.protocol === "tcp" && r.action === "allow"),
    ).toBe(true);
    const others = acl.ingress.filter((r) => r.from_port !== 5432);
    expect(others.map((r) => r.cidr_block)).toEqual(network.dataSubnetCidrs);
    expect(acl.ingress.some((r) => r.cidr_block === "0.0.0.0/0")).toBe(false);
    expect(acl.egress.some((r) => r.cidr_block === "0.0.0.0/0")).toBe(false);
  });

  it("adds an S3 gateway endpoint always and interface endpoints when asked", () => {
    const on = listOf(build().json, "aws_vpc_endpoint");
    expect(on.map((e) => e.vpc_endpoint_type).sort()).toEqual([
      "Gateway",
      "Interface",
      "Interface",
      "Interface",
      "Interface",
    ]);
    expect(
      on.filter((e) => e.vpc_endpoint_type === "Interface").every((e) => e.private_dns_enabled),
    ).toBe(true);
    const off = listOf(build({ interfaceEndpoints: false }).json, "aws_vpc_endpoint");
    expect(off.map((e) => e.vpc_endpoint_type)).toEqual(["Gateway"]);
  });

  it("places every resource with the given provider", () => {
    const { stack, naming } = testStack();
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    const aws = new AwsContextLookup(stack, "aws-west", { provider: west });
    const kmsKey = new EncryptionKey(stack, "key", { naming, provider: west, aws });
    new Network(stack, "network", {
      naming,
      provider: west,
      vpcCidr: "10.20.0.0/16",
      azCount: 2,
      natGateways: "single",
      interfaceEndpoints: true,
      flowLogRetentionDays: 7,
      kmsKey,
      aws,
    });
    const json = synthJson(stack);
    const all = Object.values(json.resource!).flatMap((byId) => Object.values(byId));
    expect(all.every((r) => r.provider === "aws.west")).toBe(true);
  });

  it("pins zones by name when given, so a new AWS zone never shifts a subnet", () => {
    const { json, network } = build({
      availabilityZones: ["us-east-1f", "us-east-1d", "us-east-1b"],
    });
    expect(network.availabilityZones).toEqual(["us-east-1f", "us-east-1d", "us-east-1b"]);
    const appZones = listOf(json, "aws_subnet")
      .filter((s) => (s.tags as Record<string, string>).tier === "app")
      .map((s) => s.availability_zone);
    expect(appZones).toEqual(["us-east-1f", "us-east-1d", "us-east-1b"]);
    expect(() => build({ availabilityZones: ["us-east-1a"] })).toThrow(
      "Network: availabilityZones lists 1 zones but azCount is 3",
    );
  });

  it("takes the region's first zones by name, with no plan-time lookup", () => {
    const { json, network } = build();
    expect(network.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(json.data?.aws_availability_zones).toBeUndefined();
    const zones = listOf(json, "aws_subnet").map((s) => s.availability_zone);
    expect(new Set(zones)).toEqual(new Set(network.availabilityZones));
  });

  it("refuses more AZs than the region offers instead of reusing a zone", () => {
    const { stack, aws } = testStack("us-west-1");
    const naming = new Naming("hello-you", "test", "us-west-1");
    const kmsKey = new EncryptionKey(stack, "key", { naming, aws });
    expect(
      () =>
        new Network(stack, "network", {
          naming,
          vpcCidr: "10.10.0.0/16",
          azCount: 3,
          availabilityZones: ["us-west-1a", "us-west-1b", "us-west-1c"],
          natGateways: "single",
          interfaceEndpoints: false,
          flowLogRetentionDays: 7,
          kmsKey,
          aws,
        }),
    ).toThrow("Network: azCount is 3, but us-west-1 offers an account 2 availability zones");
  });

  it("rejects a peer block that overlaps the VPC", () => {
    expect(() => build({ peerAppCidrs: ["10.10.64.0/20"] })).toThrow(
      "Network: peerAppCidrs entry 10.10.64.0/20 overlaps vpcCidr 10.10.0.0/16; peered VPCs need disjoint blocks",
    );
  });

  it("rejects a bad layout and a non-positive retention", () => {
    expect(() => build({ azCount: 4 })).toThrow("subnetLayout: azCount 4 must be 2 or 3");
    expect(() => build({ flowLogRetentionDays: 0 })).toThrow(
      "Network: flowLogRetentionDays 0 must be positive",
    );
  });
});
