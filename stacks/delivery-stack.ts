import { DataAwsLb } from "@cdktf/provider-aws/lib/data-aws-lb";
import { TerraformOutput, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { DeliveryConfig } from "../config/schema";
import { workspaceName } from "../config/state";
import { DeployRole, GITHUB_AUDIENCE, type RolloutTarget } from "../constructs/deploy-role";
import { OidcProvider } from "../constructs/oidc-provider";
import { TerraformCloudRoles } from "../constructs/terraform-cloud-roles";
import { BaseStack, type BaseStackProps, type StackId } from "./base-stack";
import type { FailoverStack } from "./failover-stack";
import type { LinkStack } from "./link-stack";
import type { PrimaryStack } from "./primary-stack";
import { deliveredRegions, type ServiceNames } from "./service-names";
import { workspaceScope } from "./workspace-scope";

export interface DeliveryStackProps extends Omit<BaseStackProps, "region"> {
  readonly primary: PrimaryStack;
  /** Absent when `failover.enabled` is false: the pipeline then rolls out region A only. */
  readonly failover?: FailoverStack;
  /** Present with `failover`: its workspace gets roles scoped to what it manages. */
  readonly link?: LinkStack;
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
  /** The services the pipeline rolls out, by name: A's, and B's with failover. */
  readonly regions: ServiceNames[];
  /** Where the deploy workflow checks health after a rollout. */
  readonly healthUrl: string;

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
    // By the names config derives, not by reference: a reference would make this stack (and
    // delivery-github, which reads this one) read primary's and failover's state, secrets and
    // all. The explicit dependencies keep the order: the roles name services that exist.
    this.regions = deliveredRegions(config);
    this.addDependency(primary);
    if (failover) this.addDependency(failover);
    this.deployRole = new DeployRole(this, "deploy-role", {
      naming,
      oidcProvider: this.githubOidc,
      subject: { repository: delivery.appRepository, environment },
      // The writer's region migrates: A, or B once promoted.
      targets: this.regions.map((r, i) =>
        rolloutTarget(r, this.aws, (i === 1) === (config.failover.promoted && !!failover)),
      ),
    });
    const path = config.service.healthCheckPath;
    this.healthUrl = config.dns
      ? `https://${config.dns.recordName}.${config.dns.zoneName}${path}`
      : `http://${new DataAwsLb(this, "primary-alb", { name: this.regions[0].loadBalancer }).dnsName}${path}`;

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
    // Each workspace's scope is read from its stack; `delivery`'s leaves out the Terraform Cloud
    // roles and their OIDC provider, which only an administrator applies (docs/delivery.md).
    const stacks: [StackId, TerraformStack][] = [
      ["primary", props.primary],
      ...(props.failover && props.link
        ? ([
            ["failover", props.failover],
            ["link", props.link],
          ] as [StackId, TerraformStack][])
        : []),
      ["delivery", this],
    ];
    const secretsPrefix = `${config.project}-${config.environment}`;
    const workspaces = Object.fromEntries(
      stacks.map(([id, stack]) => [
        id,
        {
          name: workspaceName(config.project, config.environment, id),
          policyArns: tfc.policyArns[id as keyof typeof tfc.policyArns],
          ...workspaceScope(stack, this.aws, secretsPrefix, [oidc]),
        },
      ]),
    );
    return new TerraformCloudRoles(this, "terraform-cloud-roles", {
      naming,
      aws: this.aws,
      oidcProvider: oidc,
      organization: tfc.organization!,
      project: tfc.project,
      audience: tfc.audience,
      workspaces,
    });
  }

  private outputs(): void {
    new TerraformOutput(this, "deploy_role_arn", {
      value: this.deployRole.role.arn,
      description: "Role the app's deploy workflow assumes (also its AWS_ROLE_ARN variable)",
    });
    const tfc = this.terraformCloudRoles;
    for (const stack of Object.keys(tfc?.planRoles ?? {})) {
      new TerraformOutput(this, `tfc_plan_role_arn_${stack}`, {
        value: tfc!.planRoles[stack].arn,
        description: `TFC_AWS_PLAN_ROLE_ARN of the ${stack} workspace (read-only)`,
      });
      new TerraformOutput(this, `tfc_apply_role_arn_${stack}`, {
        value: tfc!.applyRoles[stack].arn,
        description: `TFC_AWS_APPLY_ROLE_ARN of the ${stack} workspace`,
      });
    }
  }
}

function rolloutTarget(
  names: ServiceNames,
  aws: { readonly accountId: string; readonly partition: string },
  runsMigrations: boolean,
): RolloutTarget {
  const ecs = `arn:${aws.partition}:ecs:${names.region}:${aws.accountId}`;
  const role = (name: string) => `arn:${aws.partition}:iam::${aws.accountId}:role/${name}`;
  return {
    region: names.region,
    serviceArn: `${ecs}:service/${names.cluster}/${names.service}`,
    taskFamilyArn: `${ecs}:task-definition/${names.taskFamily}`,
    passRoleArns: [role(names.executionRole), role(names.taskRole)],
    clusterArn: `${ecs}:cluster/${names.cluster}`,
    taskArnPrefix: `${ecs}:task/${names.cluster}`,
    logGroupArn: `arn:${aws.partition}:logs:${names.region}:${aws.accountId}:log-group:${names.logGroup}`,
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
