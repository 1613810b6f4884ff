import { DataAwsSecretsmanagerSecret } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { ConstructError } from "./stack-context";

export interface ReplicaSecretsProps extends CommonProps {
  /** Names of secrets replicated into this construct's region by another stack. */
  readonly names: Record<string, string>;
}

/**
 * Finds, by name, the read-only replicas that Secrets Manager keeps in this region. Looking them
 * up (rather than rewriting the source ARN) yields plain references, and fails the plan early if
 * replication has not happened yet.
 */
export class ReplicaSecrets extends Construct {
  /** ARN of each replica, by the key given in `names`. */
  readonly arns: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: ReplicaSecretsProps) {
    super(scope, id);
    for (const [key, name] of Object.entries(props.names)) {
      if (!name) throw new ConstructError(this, `ReplicaSecrets: names.${key} is empty`);
      this.arns[key] = new DataAwsSecretsmanagerSecret(this, key, {
        provider: props.provider,
        name,
      }).arn;
    }
  }
}
