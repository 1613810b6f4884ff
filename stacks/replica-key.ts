import type { Naming } from "../facts/naming";

/**
 * The customer-managed key in region B that encrypts B's copies of region A's secrets. The
 * primary stack owns it (it replicates the secrets, and is deployed before the failover stack,
 * which owns B's own key); the failover stack finds it by this alias, in B, without reading A.
 */
export const REPLICA_KEY_SUFFIX = "replicas";

/** The replica key's alias, from region B's naming. */
export function replicaKeyAlias(naming: Naming): string {
  return naming.kmsAlias(REPLICA_KEY_SUFFIX);
}
