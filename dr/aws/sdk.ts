/** Region B through the AWS SDK: the real implementation of `RegionB`. */
import type { RegionB } from "./aws";
import { type Clients, createClients } from "./clients";
import { alarmsAdapter, databaseAdapter, parametersAdapter, secretsAdapter } from "./sdk-data";
import {
  imagesAdapter,
  loadBalancingAdapter,
  logsAdapter,
  networkAdapter,
  serviceAdapter,
} from "./sdk-service";

/** `RegionB` over the given clients (each already built for region B). */
export function regionBFromClients(region: string, clients: Clients): RegionB {
  return {
    region,
    database: databaseAdapter(clients),
    alarms: alarmsAdapter(clients),
    secrets: secretsAdapter(clients),
    parameters: parametersAdapter(clients),
    service: serviceAdapter(clients),
    images: imagesAdapter(clients),
    loadBalancing: loadBalancingAdapter(clients),
    network: networkAdapter(clients),
    logs: logsAdapter(clients),
  };
}

/** `RegionB` with SDK clients for `region`, honouring the emulator override variables of `env`. */
export function sdkRegionB(region: string, env: Readonly<Record<string, string | undefined>>) {
  return regionBFromClients(region, createClients(region, env));
}
