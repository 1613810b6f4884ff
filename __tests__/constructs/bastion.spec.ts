import { Bastion, type BastionProps } from "../../constructs/bastion";
import { listOf, networkFixture, policiesOf, synthJson } from "../helpers";

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

  it("is reached through Session Manager only: no inbound rule at all", () => {
    const json = build();
    expect(listOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(listOf(json, "aws_iam_role_policy_attachment")[0].policy_arn).toMatch(
      /AmazonSSMManagedInstanceCore$/,
    );
  });

  it("logs every session: its own Session document, encrypted, streaming to an encrypted log group", () => {
    const json = build();
    const [group] = listOf(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({
      name: "/ssm/hello-you-test-use1-bastion-sessions",
      retention_in_days: 365,
      kms_key_id: expect.stringContaining("aws_kms_key"),
    });
    const [doc] = listOf(json, "aws_ssm_document");
    expect(doc).toMatchObject({
      name: "hello-you-test-use1-bastion-session",
      document_type: "Session",
    });
    const content = JSON.parse(String(doc.content));
    expect(content.inputs).toMatchObject({
      cloudWatchLogGroupName: expect.stringContaining("aws_cloudwatch_log_group"),
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      kmsKeyId: expect.stringContaining("aws_kms_key"),
      runAsEnabled: false,
      idleSessionTimeout: "20",
      maxSessionDuration: "60",
    });
    const [agent] = policiesOf(json, "aws_iam_role_policy");
    expect(agent.Statement.map((s) => s.Sid)).toEqual([
      "WriteSessionTranscripts",
      "FindSessionLogGroup",
      "DecryptSessionData",
    ]);
  });

  it("gives operators one policy: logged sessions on this host only", () => {
    const [policy] = policiesOf(build(), "aws_iam_policy");
    const start = policy.Statement.find((s) => s.Sid === "StartLoggedSessionsOnTheBastionOnly")!;
    expect(start).toMatchObject({
      Action: "ssm:StartSession",
      Resource: [
        expect.stringMatching(/:instance\/\$\{aws_instance\.[^}]+\.id\}$/),
        expect.stringContaining("aws_ssm_document"),
      ],
      Condition: { BoolIfExists: { "ssm:SessionDocumentAccessCheck": "true" } },
    });
    // IAM's own variable, escaped for Terraform.
    expect(JSON.stringify(policy)).toContain(":session/$${aws:userid}-*");
  });

  it("picks the x86 image for x86 types", () => {
    const json = build({ instanceType: "t3.micro" });
    expect(Object.values(json.data?.aws_ssm_parameter ?? {})[0].name).toMatch(/x86_64$/);
  });

  it.each([
    [{ instanceType: "big" }, 'Bastion: instanceType "big" is not an EC2 type'],
    [
      { sessionLogRetentionDays: 100 },
      "Bastion: sessionLogRetentionDays 100 is not a CloudWatch Logs retention",
    ],
  ])("rejects %j", (patch, message) => {
    expect(() => build(patch)).toThrow(message);
  });
});
