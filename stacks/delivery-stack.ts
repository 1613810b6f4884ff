import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { Annotations, TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { DeliveryConfig } from "../config/schema";
import { workspaceName } from "../config/state";
import { DeployRole, GITHUB_AUDIENCE, type RolloutTarget } from "../constructs/deploy-role";
import { GithubDeployEnvironment } from "../constructs/github-deploy-environment";
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
 * What lets the app's own repository roll out an image, and Terraform Cloud run this project:
 * the OIDC providers, the app's deploy role, its GitHub deployment environment with the
 * variables its workflow reads, and a role per Terraform Cloud workspace. Reads the services'
 * names and ARNs from `primary` and `failover`, so it deploys after them.
 */
export class DeliveryStack extends BaseStack {
  readonly github: GithubProvider;
  readonly githubOidc: OidcProvider;
  readonly deployRole: DeployRole;
  readonly githubEnvironment: GithubDeployEnvironment;
  readonly terraformCloudRoles?: TerraformCloudRoles;

  constructor(scope: Construct, props: DeliveryStackProps) {
    super(scope, "delivery", { ...props, region: props.config.network.region });
    const { config, naming } = this;
    const delivery = config.delivery;
    const { primary, failover } = props;
    const [owner, repository] = delivery.appRepository.split("/");
    const environment = delivery.githubEnvironment ?? config.environment;

    // The token or app key comes from the environment at plan time, never from config.
    this.github = new GithubProvider(this, "github", { owner });
    if (delivery.githubAuth === "app") this.github.addOverride("app_auth", {});

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
      targets: regions.map(rolloutTarget),
    });

    this.githubEnvironment = new GithubDeployEnvironment(this, "github-environment", {
      repository,
      environment,
      reviewers: delivery.reviewers,
      preventSelfReview: delivery.preventSelfReview,
      adminsBypass: delivery.adminsBypass,
      waitTimerMinutes: delivery.waitTimerMinutes,
      deploymentBranches: delivery.deploymentBranches,
      variables: {
        AWS_ROLE_ARN: this.deployRole.role.arn,
        IMAGE_REPOSITORY: config.service.image,
        ECS_CONTAINER_NAME: config.service.name,
        HEALTH_URL: `${primary.loadBalancer.url}${config.service.healthCheckPath}`,
        ...serviceVariables("", config.network.region, primary),
        ...(failover
          ? serviceVariables("FAILOVER_", config.failover.network.region, failover)
          : {}),
      },
    });

    if (delivery.terraformCloud.enabled) this.terraformCloudRoles = this.terraformCloud(props);
    this.outputs();
    for (const warning of deliveryWarnings(this)) Annotations.of(this).addWarning(warning);
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
    const stacks: StackId[] = [
      "primary",
      ...(props.failover ? ["failover" as const] : []),
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

function rolloutTarget(stack: PrimaryStack | FailoverStack): RolloutTarget {
  const { service } = stack;
  return {
    serviceArn: service.service.arn,
    taskFamilyArn: service.taskDefinition.arnWithoutRevision,
    passRoleArns: [service.roles.executionRole.arn, service.roles.taskRole.arn],
  };
}

/** What the deploy workflow needs about one region's service, `prefix` telling regions apart. */
function serviceVariables(
  prefix: string,
  region: string,
  stack: PrimaryStack | FailoverStack,
): Record<string, string> {
  return {
    [`${prefix}AWS_REGION`]: region,
    [`${prefix}ECS_CLUSTER`]: stack.service.clusterName,
    [`${prefix}ECS_SERVICE`]: stack.service.serviceName,
    [`${prefix}ECS_TASK_FAMILY`]: stack.service.taskDefinition.family,
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

function deliveryWarnings(stack: DeliveryStack): string[] {
  const d = stack.config.delivery;
  const warnings: string[] = [];
  if (d.reviewers.users.length + d.reviewers.teams.length === 0) {
    warnings.push(
      "delivery.reviewers is empty: any run of the app's deploy workflow in this environment rolls out without approval",
    );
  }
  if (d.deploymentBranches === "all") {
    warnings.push(
      'delivery.deploymentBranches is "all": a workflow on any branch of the app repository can deploy',
    );
  }
  return warnings;
}
