import { NatInstance, type NatInstanceProps, natUserData } from "../../constructs/nat-instance";
import { listOf, networkFixture, synthJson } from "../helpers";

function build(patch: Partial<NatInstanceProps> = {}) {
  const { stack, naming, key, network } = networkFixture("us-west-2");
  new NatInstance(stack, "nat", {
    naming,
    kmsKey: key,
    vpcId: network.vpcId,
    vpcCidr: network.vpcCidr,
    subnetId: network.publicSubnetIds[0],
    sourceCidrs: network.appSubnetCidrs,
    instanceType: "t4g.nano",
    internetGateway: network.internetGateway,
    ...patch,
  });
  return synthJson(stack);
}

describe("NatInstance", () => {
  const json = build();

  it("forwards from a public subnet: no source/destination check, an Elastic IP, no key or role", () => {
    const [instance] = listOf(json, "aws_instance");
    expect(instance).toMatchObject({
      instance_type: "t4g.nano",
      subnet_id: expect.stringContaining("aws_subnet.network_public-0"),
      source_dest_check: false,
      associate_public_ip_address: false,
      ebs_optimized: true,
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      maintenance_options: { auto_recovery: "default" },
      root_block_device: {
        encrypted: true,
        kms_key_id: expect.stringContaining("aws_kms_key"),
        volume_size: 8,
      },
      user_data_replace_on_change: true,
      lifecycle: { ignore_changes: ["ami"] },
      depends_on: [expect.stringMatching(/^aws_internet_gateway\./)],
    });
    expect(instance).not.toHaveProperty("key_name");
    expect(instance).not.toHaveProperty("iam_instance_profile");
    expect(listOf(json, "aws_eip")).toContainEqual(
      expect.objectContaining({
        domain: "vpc",
        instance: expect.stringContaining("aws_instance.nat_instance"),
      }),
    );
  });

  it("takes the arm64 image for Graviton types and x86_64 for others", () => {
    const image = (j: ReturnType<typeof build>) =>
      Object.values(j.data?.aws_ssm_parameter ?? {}).map((p) => p.name);
    expect(image(json)).toEqual([
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    ]);
    expect(image(build({ instanceType: "t3.nano" }))).toEqual([
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    ]);
  });

  it("admits HTTPS from the app subnets only, and sends HTTPS out only", () => {
    const ingress = listOf(json, "aws_vpc_security_group_ingress_rule").filter((r) =>
      String(r.security_group_id).includes("nat_sg"),
    );
    expect(ingress.map((r) => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port])).toEqual([
      ["10.30.64.0/20", "tcp", 443, 443],
      ["10.30.80.0/20", "tcp", 443, 443],
    ]);
    const egress = listOf(json, "aws_vpc_security_group_egress_rule").filter((r) =>
      String(r.security_group_id).includes("nat_sg"),
    );
    expect(egress.map((r) => [r.cidr_ipv4, r.from_port, r.to_port])).toEqual([
      ["0.0.0.0/0", 443, 443],
    ]);
  });

  it("masquerades the sources' HTTPS through the default interface, kept across reboots", () => {
    const script = natUserData(["10.0.64.0/20", "10.0.80.0/20"]);
    expect(script).toMatch(/^#!\/bin\/bash\nset -euo pipefail\n/);
    expect(script).toContain("net.ipv4.ip_forward = 1");
    expect(script).toContain(
      'oifname "$iface" ip saddr { 10.0.64.0/20, 10.0.80.0/20 } tcp dport 443 masquerade',
    );
    expect(script).toContain("systemctl enable --now nftables");
    expect(listOf(json, "aws_instance")[0].user_data).toBe(
      natUserData(["10.30.64.0/20", "10.30.80.0/20"]),
    );
  });

  it.each([
    [
      { instanceType: "nano" },
      'NatInstance: instanceType "nano" is not an EC2 type such as t4g.nano',
    ],
    [{ sourceCidrs: [] }, "NatInstance: sourceCidrs is empty; list the app subnets it serves"],
    [
      { sourceCidrs: ["10.99.0.0/20"] },
      "NatInstance: sourceCidrs entry 10.99.0.0/20 is outside vpcCidr 10.30.0.0/16; it translates its own VPC's subnets only",
    ],
  ])("rejects %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });
});
