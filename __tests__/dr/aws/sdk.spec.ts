import { FENCE_RESPONSES } from "../../../naming/recovery";
import type { Clients } from "../../../dr/aws/clients";
import { fenceResponse } from "../../../dr/promote/fence";
import { regionBFromClients } from "../../../dr/aws/sdk";

type Answer = (input: Record<string, unknown>) => unknown;

/** Clients whose `send` answers by command name, recording each command and its input. */
function clients(answers: Record<string, Answer>) {
  const sent: [string, Record<string, unknown>][] = [];
  const send = async (command: {
    constructor: { name: string };
    input: Record<string, unknown>;
  }) => {
    const name = command.constructor.name;
    sent.push([name, command.input]);
    const answer = answers[name];
    if (!answer) throw new Error(`unexpected ${name}`);
    return answer(command.input);
  };
  const fake = { send } as unknown;
  const all = Object.fromEntries(
    ["rds", "cloudWatch", "secrets", "ssm", "ecs", "autoScaling", "elb", "logs", "ec2"].map((k) => [
      k,
      fake,
    ]),
  ) as unknown as Clients;
  return { aws: regionBFromClients("us-west-2", all), sent };
}

const notFound = (name: string) => () => {
  throw Object.assign(new Error("not found"), { name });
};

describe("region B over the SDK", () => {
  it("reads the endpoint parameter decrypted (the link stack writes a SecureString)", async () => {
    const { aws, sent } = clients({
      GetParameterCommand: (input) =>
        input.Name === "/p" ? { Parameter: { Value: "a.elb" } } : notFound("ParameterNotFound")(),
    });
    expect(await aws.parameters.read("/p")).toBe("a.elb");
    expect(await aws.parameters.read("/gone")).toBeUndefined();
    expect(sent[0]).toEqual(["GetParameterCommand", { Name: "/p", WithDecryption: true }]);
  });

  it("maps a replica's description and treats DBInstanceNotFound as absent", async () => {
    const { aws } = clients({
      DescribeDBInstancesCommand: (input) =>
        input.DBInstanceIdentifier === "r"
          ? {
              DBInstances: [
                {
                  DBInstanceIdentifier: "r",
                  DBInstanceArn: "arn:r",
                  DBInstanceStatus: "available",
                  ReadReplicaSourceDBInstanceIdentifier: "arn:a",
                  Endpoint: { Address: "r.host", Port: 5432 },
                },
              ],
            }
          : notFound("DBInstanceNotFoundFault")(),
    });
    expect(await aws.database.describe("r")).toEqual({
      identifier: "r",
      arn: "arn:r",
      status: "available",
      source: "arn:a",
      address: "r.host",
      port: 5432,
    });
    expect(await aws.database.describe("gone")).toBeUndefined();
  });

  it("reads the Multi-AZ state, and makes an instance Multi-AZ with ApplyImmediately", async () => {
    const { aws, sent } = clients({
      DescribeDBInstancesCommand: () => ({
        DBInstances: [
          {
            DBInstanceIdentifier: "w",
            DBInstanceStatus: "modifying",
            MultiAZ: false,
            PendingModifiedValues: { MultiAZ: true },
          },
        ],
      }),
      ModifyDBInstanceCommand: () => ({}),
    });
    expect(await aws.database.describe("w")).toMatchObject({
      multiAz: false,
      pendingMultiAz: true,
    });
    await aws.database.makeMultiAz("w");
    expect(sent[1]).toEqual([
      "ModifyDBInstanceCommand",
      { DBInstanceIdentifier: "w", MultiAZ: true, ApplyImmediately: true },
    ]);
  });

  it("gives the newest ReplicaLag of the last 3 hours with its time, and alarm states", async () => {
    const at = new Date("2024-05-01T11:58:00Z");
    const { aws, sent } = clients({
      GetMetricStatisticsCommand: () => ({
        Datapoints: [
          { Timestamp: new Date("2024-05-01T11:00:00Z"), Maximum: 40 },
          { Timestamp: at, Maximum: 3 },
        ],
      }),
      DescribeAlarmsCommand: (input) =>
        (input.AlarmNames as string[])[0] === "a"
          ? { MetricAlarms: [{ StateValue: "ALARM", StateUpdatedTimestamp: at }] }
          : { MetricAlarms: [] },
    });
    expect(await aws.database.lastReplicaLag("r")).toEqual({ value: 3, at });
    const input = sent[0][1] as { StartTime: Date; EndTime: Date };
    expect(input.EndTime.getTime() - input.StartTime.getTime()).toBe(180 * 60_000);
    expect(await aws.alarms.state("a")).toEqual({ state: "ALARM", since: at });
    expect(await aws.alarms.state("b")).toBeUndefined();
  });

  it("lets other errors through: absence and failure are not the same", async () => {
    const { aws } = clients({ GetSecretValueCommand: notFound("AccessDeniedException") });
    await expect(aws.secrets.read("s")).rejects.toThrow("not found");
  });

  it("reads listener rules in both condition shapes and their fixed response", async () => {
    const { aws } = clients({
      DescribeRulesCommand: (input) =>
        input.Marker
          ? { Rules: [{ RuleArn: "arn:2", Priority: "default", Conditions: [], Actions: [] }] }
          : {
              NextMarker: "m",
              Rules: [
                {
                  RuleArn: "arn:1",
                  Priority: "1",
                  Conditions: [
                    { Field: "path-pattern", PathPatternConfig: { Values: ["/fence"] } },
                    { Field: "host-header", Values: ["b.elb"] },
                  ],
                  Actions: [
                    {
                      Type: "fixed-response",
                      FixedResponseConfig: {
                        StatusCode: "200",
                        MessageBody: "open",
                        ContentType: "text/plain",
                      },
                    },
                  ],
                },
              ],
            },
    });
    expect(await aws.loadBalancing.rules("arn:listener")).toEqual([
      {
        arn: "arn:1",
        priority: "1",
        pathPatterns: ["/fence"],
        hostHeaders: ["b.elb"],
        fixedResponse: { statusCode: "200", body: "open", contentType: "text/plain" },
      },
      {
        arn: "arn:2",
        priority: "default",
        pathPatterns: [],
        hostHeaders: [],
        fixedResponse: undefined,
      },
    ]);
  });

  it("sets the fence with one fixed-response action", async () => {
    const { aws, sent } = clients({ ModifyRuleCommand: () => ({}) });
    await aws.loadBalancing.setFixedResponse("arn:1", fenceResponse("fenced"));
    expect(sent).toEqual([
      [
        "ModifyRuleCommand",
        {
          RuleArn: "arn:1",
          Actions: [
            {
              Type: "fixed-response",
              FixedResponseConfig: {
                StatusCode: FENCE_RESPONSES.fenced.statusCode,
                ContentType: "text/plain",
                MessageBody: FENCE_RESPONSES.fenced.body,
              },
            },
          ],
        },
      ],
    ]);
  });

  it("counts healthy targets of the target group found by name", async () => {
    const { aws } = clients({
      DescribeTargetGroupsCommand: () => ({ TargetGroups: [{ TargetGroupArn: "arn:tg" }] }),
      DescribeTargetHealthCommand: () => ({
        TargetHealthDescriptions: [
          { TargetHealth: { State: "healthy" } },
          { TargetHealth: { State: "draining" } },
        ],
      }),
    });
    expect(await aws.loadBalancing.targetHealth("tg")).toEqual({ healthy: 1, total: 2 });
  });

  it("registers the ECS service's scalable target by resource id", async () => {
    const { aws, sent } = clients({ RegisterScalableTargetCommand: () => ({}) });
    await aws.service.registerScalableTarget("service/c/s", { min: 2, max: 6 });
    expect(sent[0][1]).toEqual({
      ServiceNamespace: "ecs",
      ScalableDimension: "ecs:service:DesiredCount",
      ResourceId: "service/c/s",
      MinCapacity: 2,
      MaxCapacity: 6,
    });
  });

  it("finds peerings on either side of the VPC tagged with its name", async () => {
    const { aws } = clients({
      DescribeVpcsCommand: () => ({ Vpcs: [{ VpcId: "vpc-b" }] }),
      DescribeVpcPeeringConnectionsCommand: () => ({
        VpcPeeringConnections: [{ VpcPeeringConnectionId: "pcx-1", Status: { Code: "active" } }],
      }),
    });
    expect(await aws.network.peerings("b-vpc")).toEqual({
      vpcId: "vpc-b",
      peerings: [{ id: "pcx-1", status: "active" }],
    });
  });
});
