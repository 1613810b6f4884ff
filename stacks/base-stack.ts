import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  App,
  CloudBackend,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformElement,
  TerraformStack,
} from "cdktf";
import type { Construct, Node } from "constructs";
// cdktf's own logical-ID function, so that a kept address is exactly the one it would allocate.
// Not public API; cdktf is archived at 0.21.0, so it will not change under us.
import { makeUniqueId } from "cdktf/lib/private/unique";
import { addressPath } from "../constructs/addresses";
import { type AwsContext, AwsContextLookup } from "../constructs/aws-context";
import { type BackendChoice, s3StackState } from "../config/backend";
import { Naming } from "../naming/naming";
import type { AppConfig } from "../config/schema";
import { provideStackContext } from "../constructs/stack-context";
import { localStatePath, s3StateKey, workspaceName } from "../config/state";

/**
 * The stacks users deploy. `failover` is region B on its own; `link` ties the regions together
 * (peering, DNS failover). `delivery` holds the AWS side of delivery (OIDC providers, roles);
 * `delivery-github` the GitHub side (the app repository's environment and variables).
 */
export type StackId = "primary" | "failover" | "link" | "delivery" | "delivery-github";

export interface BaseStackProps {
  readonly config: AppConfig;
  readonly backend: BackendChoice;
  /** Region of the stack's default AWS provider. */
  readonly region: string;
}

/**
 * What every stack shares: the backend, a tagged default AWS provider for its region, and the
 * naming for that region. Stacks add composition only.
 */
export abstract class BaseStack extends TerraformStack {
  readonly config: AppConfig;
  readonly naming: Naming;
  readonly provider: AwsProvider;
  private context?: AwsContext;

  protected constructor(scope: Construct, id: StackId, props: BaseStackProps) {
    super(scope, id);
    this.config = props.config;
    this.naming = new Naming(props.config.project, props.config.environment, props.region);
    applyBackend(this, id, props);
    this.provider = this.awsProvider("aws", props.region);
    provideStackContext(this, this);
  }

  /**
   * Account, partition and region of the default provider, looked up once, on first use (a stack
   * that needs none of them, such as `delivery`, looks up nothing). The lookups keep the
   * addresses they had when the region's key made them (`key/account`, ...).
   */
  get aws(): AwsContext {
    this.context ??= new AwsContextLookup(this, "aws-context", { formerPath: ["key"] });
    return this.context;
  }

  /** cdktf's allocation, except under groups that keep their parts' addresses (`keepAddresses`). */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const scopes = node.scopes.slice(node.scopes.indexOf(this) + 1);
    return scopes.length ? makeUniqueId(addressPath(scopes)) : "";
  }

  /**
   * A tagged AWS provider. Without `alias` it is the stack's default provider; with one it places
   * resources in another region (peering acceptance in A).
   */
  awsProvider(id: string, region: string, alias?: string): AwsProvider {
    return new AwsProvider(this, id, { region, alias, defaultTags: [{ tags: this.providerTags }] });
  }

  /** Tags every AWS provider of the stack puts on what it creates. */
  get providerTags(): Record<string, string> {
    const { project, environment, repository } = this.config;
    return { project, environment, stack: this.node.id, "managed-by": "cdktf", repository };
  }
}

/**
 * The stack's state: local, Terraform Cloud or S3, per environment and stack. Every stack calls
 * it, including `delivery-github`, which is no `BaseStack` (it has no AWS provider).
 */
export function applyBackend(
  stack: TerraformStack,
  id: StackId,
  props: Pick<BaseStackProps, "config" | "backend">,
): void {
  const { backend, config } = props;
  const { project, environment } = config;
  switch (backend.kind) {
    case "local":
      // cdktf's default is terraform.<stack>.tfstate in the directory synth ran from: the same
      // file for every environment, so deploying prod after dev would plan to destroy dev.
      // The app runs from the project directory (cdktf's own assumption for that default).
      new LocalBackend(stack, {
        path: localStatePath(process.cwd(), App.of(stack).outdir, environment, id),
      });
      return;
    case "cloud":
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(
          workspaceName(project, environment, id),
          backend.project,
        ),
      });
      return;
    case "s3": {
      const { bucket, region, lockTable } = s3StackState(backend, id, config.network.region);
      const s3 = new S3Backend(stack, {
        bucket,
        key: s3StateKey(project, environment, id),
        region,
        encrypt: true,
        dynamodbTable: lockTable,
      });
      // S3-native lock files (Terraform 1.10+) when no DynamoDB table is given: never unlocked.
      if (!lockTable) s3.addOverride("use_lockfile", true);
      return;
    }
  }
}
