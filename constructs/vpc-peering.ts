import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import { VpcPeeringConnectionAccepterA } from "@cdktf/provider-aws/lib/vpc-peering-connection-accepter";
import { VpcPeeringConnectionOptions } from "@cdktf/provider-aws/lib/vpc-peering-connection-options";
import { Construct } from "constructs";
import { buildContext, type CommonProps } from "./common";
import { ConstructError } from "./stack-context";

/** One side of the peering: its VPC, and the routes it gets towards the other side. */
export interface PeeringSide {
  readonly vpcId: string;
  /** Route tables that get a route to each of `destinationCidrs` through the peering. */
  readonly routeTableIds: string[];
  /** Blocks on the other side this side may reach. */
  readonly destinationCidrs: string[];
}

export interface VpcPeeringProps extends CommonProps {
  /** This region's VPC (requests the peering; `provider` is its region). */
  readonly requester: PeeringSide;
  /** The other region's VPC (accepts; created with `peerProvider`). */
  readonly accepter: PeeringSide & { readonly region: string };
  /** Provider of the accepter's region. */
  readonly peerProvider: AwsProvider;
}

/**
 * Inter-region VPC peering, requested from one region and accepted in the other within the same
 * stack, with narrow routes both ways and DNS resolution of private names across it (so region
 * B resolves the region A database's host name to its private address).
 */
export class VpcPeering extends Construct {
  readonly connection: VpcPeeringConnection;
  readonly accepterConnection: VpcPeeringConnectionAccepterA;
  readonly routes: Route[] = [];
  readonly id: string;

  constructor(scope: Construct, id: string, props: VpcPeeringProps) {
    super(scope, id);
    const { peerProvider, requester, accepter } = props;
    const { naming, provider } = buildContext(this, props);
    for (const [name, side] of [
      ["requester", requester],
      ["accepter", accepter],
    ] as const) {
      if (side.routeTableIds.length === 0 || side.destinationCidrs.length === 0) {
        throw new ConstructError(
          this,
          `VpcPeering: ${name} needs routeTableIds and destinationCidrs; a peering without routes carries nothing`,
        );
      }
    }
    this.connection = new VpcPeeringConnection(this, "request", {
      provider,
      vpcId: requester.vpcId,
      peerVpcId: accepter.vpcId,
      peerRegion: accepter.region,
      // Cross-region peering cannot be auto-accepted by the requester; the accepter below does it.
      autoAccept: false,
      tags: { Name: naming.name("generic", "peering") },
    });
    this.id = this.connection.id;
    this.accepterConnection = new VpcPeeringConnectionAccepterA(this, "accept", {
      provider: peerProvider,
      vpcPeeringConnectionId: this.connection.id,
      autoAccept: true,
      tags: { Name: naming.name("generic", "peering") },
    });
    // Each side's DNS option can only be set from its own region, once the peering is active.
    new VpcPeeringConnectionOptions(this, "requester-dns", {
      provider,
      vpcPeeringConnectionId: this.accepterConnection.id,
      requester: { allowRemoteVpcDnsResolution: true },
    });
    new VpcPeeringConnectionOptions(this, "accepter-dns", {
      provider: peerProvider,
      vpcPeeringConnectionId: this.accepterConnection.id,
      accepter: { allowRemoteVpcDnsResolution: true },
    });
    const route = (side: PeeringSide, name: string, sideProvider: AwsProvider | undefined) =>
      side.routeTableIds.forEach((routeTableId, t) =>
        side.destinationCidrs.forEach((destinationCidrBlock, c) => {
          this.routes.push(
            new Route(this, `${name}-${t}-${c}`, {
              provider: sideProvider,
              routeTableId,
              destinationCidrBlock,
              vpcPeeringConnectionId: this.accepterConnection.id,
            }),
          );
        }),
      );
    route(requester, "requester-route", provider);
    route(accepter, "accepter-route", peerProvider);
  }
}
