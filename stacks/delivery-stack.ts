import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { DeliveryConfig } from "../config/schema";
import { workspaceName } from "../config/state";
import { DeployRole, GITHUB_AUDIENCE, type RolloutTarget } from "../constructs/deploy-role";
import { OidcProvider } from "../constructs/oidc-provider";
import { TerraformCloudRoles } from "../constructs/terraform-cloud-roles";
import { BaseStack, type BaseStackProps, type StackId } from "./base-stack";
import type { FailoverStack } from "./failover-stack";
import type { PrimaryStack } from "./primary-stack";

export interface DeliveryStackProps extends Omit<BaseStackProps, "region"> {
  readonly primary: PrimaryStack;
  /** Absent when `failover.enabled` is false: the pipeline then rolls out region A only. */
  readonly failover?: FailoverStack;
}

const GITHUB_ACTIONS_HOST = "token.actions.githubusercontent.com";

/**
 * The AWS side of delivery: what lets the app's own repository roll out an image, and Terraform
 * Cloud run this project. The OIDC providers, the app's deploy role and a role per Terraform
 * Cloud workspace; AWS only, so it needs AWS credentials only. Reads the services' ARNs from
 * `primary` and `failover`, so it deploys after them. The GitHub side (the app repository's
 * environment and the variables its workflow reads) is `delivery-github`, which reads this one.
 */
export class DeliveryStack extends BaseStack {
  readonly githubOidc: OidcProvider;
  readonly deployRole: DeployRole;
  readonly terraformCloudRoles?: TerraformCloudRoles;
  /** The deployment environment of the app repository that the deploy role trusts. */
  readonly githubEnvironmentName: string;

  constructor(scope: Construct, props: DeliveryStackProps) {
    super(scope, "delivery", { ...props, region: props.config.network.region });
    const { config, naming } = this;
    const delivery = config.delivery;
    const { primary, failover } = props;
    const environment = delivery.githubEnvironment ?? config.environment;
    this.githubEnvironmentName = environment;

    this.githubOidc = new OidcProvider(this, "github-oidc", {
      host: GITHUB_ACTIONS_HOST,
      audiences: [GITHUB_AUDIENCE],
      mode: delivery.githubOidcProvider,
    });
    const regions = [primary, ...(failover ? [failover] : [])];
    this.deployRole = new DeployRole(this, "deploy-role", {
      naming,
      oidcProvider: this.githubOidc,
      subject: { repository: delivery.appRepository, environment },
      // The writer's region migrates: A, or B once promoted.
      targets: regions.map((stack) =>
        rolloutTarget(stack, (stack === failover) === (config.failover.promoted && !!failover)),
      ),
    });

    if (delivery.terraformCloud.enabled) this.terraformCloudRoles = this.terraformCloud(props);
    this.outputs();
  }

  private terraformCloud(props: DeliveryStackProps): TerraformCloudRoles {
    const { config, naming } = this;
    const tfc = config.delivery.terraformCloud;
    checkBackendAgrees(props, tfc);
    const oidc = new OidcProvider(this, "terraform-cloud-oidc", {
      host: tfc.hostname,
      audiences: [tfc.audience],
      mode: tfc.oidcProvider,
    });
    // No role for `delivery-github`: it creates nothing in AWS and reads the others' outputs
    // through Terraform Cloud's remote state sharing, so its runs need a GitHub token only.
    const stacks: StackId[] = [
      "primary",
      ...(props.failover ? (["failover", "link"] as const) : []),
      "delivery",
    ];
    return new TerraformCloudRoles(this, "terraform-cloud-roles", {
      naming,
      oidcProvider: oidc,
      organization: tfc.organization!,
      project: tfc.project,
      audience: tfc.audience,
      policyArns: tfc.policyArns,
      workspaces: Object.fromEntries(
        stacks.map((s) => [s, workspaceName(config.project, config.environment, s)]),
      ),
    });
  }

  private outputs(): void {
    new TerraformOutput(this, "deploy_role_arn", {
      value: this.deployRole.role.arn,
      description: "Role the app's deploy workflow assumes (also its AWS_ROLE_ARN variable)",
    });
    for (const [stack, role] of Object.entries(this.terraformCloudRoles?.roles ?? {})) {
      new TerraformOutput(this, `tfc_role_arn_${stack}`, {
        value: role.arn,
        description: `TFC_AWS_RUN_ROLE_ARN of the ${stack} workspace`,
      });
    }
  }
}

function rolloutTarget(
  stack: PrimaryStack | FailoverStack,
  runsMigrations: boolean,
): RolloutTarget {
  const { service } = stack;
  return {
    serviceArn: service.service.arn,
    taskFamilyArn: service.taskDefinition.arnWithoutRevision,
    passRoleArns: [service.roles.executionRole.arn, service.roles.taskRole.arn],
    clusterArn: service.cluster.arn,
    taskArnPrefix: service.taskArnPrefix,
    logGroupArn: service.logGroup.arn,
    runsMigrations,
  };
}

/**
 * The roles trust exactly the organization, project and host configured; a backend pointing
 * elsewhere would leave every run without credentials, so say so at synth.
 */
function checkBackendAgrees(
  props: DeliveryStackProps,
  tfc: DeliveryConfig["terraformCloud"],
): void {
  const { backend } = props;
  if (backend.kind !== "cloud") return;
  const pairs: [string, string | undefined, string, string][] = [
    ["TF_CLOUD_ORGANIZATION", backend.organization, "organization", tfc.organization ?? ""],
    ["TF_CLOUD_PROJECT", backend.project, "project", tfc.project],
    ["TF_CLOUD_HOSTNAME", backend.hostname, "hostname", tfc.hostname],
  ];
  for (const [variable, actual, setting, configured] of pairs) {
    if (actual !== undefined && actual !== configured) {
      throw new Error(
        `DeliveryStack: ${variable} is "${actual}" but delivery.terraformCloud.${setting} is "${configured}"; the workspace roles would trust runs that never happen. Make them equal.`,
      );
    }
  }
}
