import { DataAwsDbInstance } from "@cdktf/provider-aws/lib/data-aws-db-instance";
import { DataAwsDbInstances } from "@cdktf/provider-aws/lib/data-aws-db-instances";
import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import type { CommonProps } from "./common";

export interface PromotionGuardProps extends CommonProps {
  /** Identifier of region B's cross-region replica, as Terraform describes it (not promoted). */
  readonly replicaIdentifier: string;
  /** The settings file to fix, named in the error. */
  readonly settingsFile: string;
}

/**
 * Fails the plan of a `failover` stack that still describes region B's database as a replica
 * when RDS says it is a writer: a promotion happened (`npm run dr -- promote`) and the
 * repository does not know yet (`failover.promoted: false`). Applying that configuration would
 * shrink region B back to its pilot light and point its tasks at region A's old writer. A
 * postcondition on a data source fails the plan; a `check` block would only warn.
 *
 * The instance is listed first (a list is empty, not an error, before the first deploy), and
 * read only when it exists.
 */
export class PromotionGuard extends Construct {
  readonly instances: DataAwsDbInstances;
  readonly replica: DataAwsDbInstance;

  constructor(scope: Construct, id: string, props: PromotionGuardProps) {
    super(scope, id);
    const { provider } = props;
    this.instances = new DataAwsDbInstances(this, "instances", {
      provider,
      filter: [{ name: "db-instance-id", values: [props.replicaIdentifier] }],
    });
    this.replica = new DataAwsDbInstance(this, "replica", {
      provider,
      count: Token.asNumber(Fn.lengthOf(this.instances.instanceIdentifiers)),
      dbInstanceIdentifier: props.replicaIdentifier,
      lifecycle: {
        postcondition: [
          {
            // Written out: cdktf's Op.neq renders "" as undefined. The provider reads a writer's
            // source as "".
            condition: '${self.replicate_source_db != null && self.replicate_source_db != ""}',
            errorMessage: `${props.replicaIdentifier} is a writer, not a replica: region B was promoted (npm run dr -- promote) and failover.promoted is false. Applying would shrink region B to its pilot light and point it at region A's old writer. Set failover.promoted: true in ${props.settingsFile} and deploy from that commit; pause other deploys until then (docs/disaster-recovery.md).`,
          },
        ],
      },
    });
  }
}
