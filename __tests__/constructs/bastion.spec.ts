import { Bastion, type BastionProps } from "../../constructs/bastion";
import { listOf, networkFixture, synthJson } from "../helpers";

function build(patch: Partial<BastionProps> = {}) {
  const { stack, naming, aws, key, network } = networkFixture();
  new Bastion(stack, "bastion", {
    naming,
    kmsKey: key,
    aws,
    vpcId: network.vpcId,
    subnetId: network.appSubnetIds[0],
    instanceType: "t4g.nano",
    databaseCidrs: network.dataSubnetCidrs,
    ...patch,
  });
  return synthJson(stack);
}

describe("Bastion", () => {
  it("is a private, IMDSv2-only host with an encrypted disk and a stable AMI", () => {
    const json = build();
    expect(listOf(json, "aws_instance")[0]).toMatchObject({
      associate_public_ip_address: false,
      subnet_id: expect.stringContaining("aws_subnet.network_app-0"),
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      root_block_device: { encrypted: true, kms_key_id: expect.stringContaining("aws_kms_key") },
      monitoring: true,
      lifecycle: { ignore_changes: ["ami"] },
    });
    expect(listOf(json, "aws_instance")[0]).not.toHaveProperty("key_name");
    expect(Object.values(json.data?.aws_ssm_parameter ?? {})[0].name).toBe(
      "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
  });

  it("is reached through Session Manager: no inbound rule by default", () => {
    const json = build();
    expect(listOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(listOf(json, "aws_iam_role_policy_attachment")[0].policy_arn).toMatch(
      /AmazonSSMManagedInstanceCore$/,
    );
  });

  it("admits SSH only from listed single addresses", () => {
    const json = build({ sshAllowedCidrs: ["203.0.113.10/32"] });
    expect(listOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ from_port: 22, cidr_ipv4: "203.0.113.10/32" }),
    ]);
  });

  it("picks the x86 image for x86 types", () => {
    const json = build({ instanceType: "t3.micro" });
    expect(Object.values(json.data?.aws_ssm_parameter ?? {})[0].name).toMatch(/x86_64$/);
  });

  it.each([
    [
      { sshAllowedCidrs: ["0.0.0.0/0"] },
      "Bastion: sshAllowedCidrs entry 0.0.0.0/0 must be a single address (/32)",
    ],
    [
      { sshAllowedCidrs: ["10.0.0.0/8"] },
      "Bastion: sshAllowedCidrs entry 10.0.0.0/8 must be a single address (/32)",
    ],
    [{ instanceType: "big" }, 'Bastion: instanceType "big" is not an EC2 type'],
  ])("rejects %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });
});
