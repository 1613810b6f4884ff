import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { VpcPeering } from "../../constructs/vpc-peering";
import { listOf, synthJson, testStack } from "../helpers";

describe("VpcPeering", () => {
  function build(accepterTables = ["rtb-a-data"]) {
    const { stack, naming } = testStack("us-west-2");
    const peer = new AwsProvider(stack, "a", { region: "us-east-1", alias: "primary" });
    new VpcPeering(stack, "peering", {
      naming,
      peerProvider: peer,
      requester: {
        vpcId: "vpc-b",
        routeTableIds: ["rtb-b-app-0", "rtb-b-app-1"],
        destinationCidrs: ["10.10.128.0/20", "10.10.144.0/20"],
      },
      accepter: {
        region: "us-east-1",
        vpcId: "vpc-a",
        routeTableIds: accepterTables,
        destinationCidrs: ["10.20.64.0/20", "10.20.80.0/20"],
      },
    });
    return synthJson(stack);
  }

  it("is requested in B and accepted in A with A's provider", () => {
    const json = build();
    expect(listOf(json, "aws_vpc_peering_connection")[0]).toMatchObject({
      vpc_id: "vpc-b",
      peer_vpc_id: "vpc-a",
      peer_region: "us-east-1",
      auto_accept: false,
    });
    expect(listOf(json, "aws_vpc_peering_connection_accepter")[0]).toMatchObject({
      auto_accept: true,
      provider: "aws.primary",
    });
  });

  it("resolves private DNS names across the peering, each side set from its own region", () => {
    const options = listOf(build(), "aws_vpc_peering_connection_options");
    expect(options).toContainEqual(
      expect.objectContaining({ requester: { allow_remote_vpc_dns_resolution: true } }),
    );
    expect(options).toContainEqual(
      expect.objectContaining({
        accepter: { allow_remote_vpc_dns_resolution: true },
        provider: "aws.primary",
      }),
    );
  });

  it("routes B's app subnets to A's data subnets and back, nothing wider", () => {
    const routes = listOf(build(), "aws_route").map((r) => [
      r.route_table_id,
      r.destination_cidr_block,
      r.provider ?? "B",
    ]);
    expect(routes).toEqual(
      [
        ["rtb-b-app-0", "10.10.128.0/20", "B"],
        ["rtb-b-app-0", "10.10.144.0/20", "B"],
        ["rtb-b-app-1", "10.10.128.0/20", "B"],
        ["rtb-b-app-1", "10.10.144.0/20", "B"],
        ["rtb-a-data", "10.20.64.0/20", "aws.primary"],
        ["rtb-a-data", "10.20.80.0/20", "aws.primary"],
      ].sort(),
    );
  });

  it("refuses a side without routes", () => {
    expect(() => build([])).toThrow(
      "VpcPeering: accepter needs routeTableIds and destinationCidrs",
    );
  });
});
