import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { Annotations, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { AppConfig } from "../config/schema";
import { GithubDeployEnvironment } from "../constructs/github-deploy-environment";
import { applyBackend, type BaseStackProps } from "./base-stack";
import type { DeliveryStack } from "./delivery-stack";
import type { FailoverStack } from "./failover-stack";
import type { PrimaryStack } from "./primary-stack";
import type { ServiceNames } from "./service-names";
import { configWarnings } from "./warnings";

export interface DeliveryGithubStackProps extends Omit<BaseStackProps, "region"> {
  readonly primary: PrimaryStack;
  /** Absent when `failover.enabled` is false: the pipeline then rolls out region A only. */
  readonly failover?: FailoverStack;
  /** Holds the deploy role whose ARN the workflow assumes. */
  readonly delivery: DeliveryStack;
}

/**
 * The GitHub side of delivery: the app repository's deployment environment (reviewers, branch
 * policy) and the variables its deploy workflow reads. GitHub only, with no AWS provider: it
 * needs a GitHub token only. Reads the deploy role's ARN and the health URL from `delivery` (a
 * cross-stack reference) and derives the services' names from config: it reads no state of
 * `primary` or `failover`, whose state holds secrets, yet deploys after them.
 * Kept apart from `delivery` so that the AWS stacks can be validated and planned with the
 * providers this project builds (the GitHub provider is not among them).
 */
export class DeliveryGithubStack extends TerraformStack {
  readonly config: AppConfig;
  readonly github: GithubProvider;
  readonly githubEnvironment: GithubDeployEnvironment;

  constructor(scope: Construct, props: DeliveryGithubStackProps) {
    super(scope, "delivery-github");
    applyBackend(this, "delivery-github", props);
    const { config, primary, failover, delivery: aws } = props;
    this.addDependency(primary);
    if (failover) this.addDependency(failover);
    this.config = config;
    const delivery = config.delivery;
    const [owner, repository] = delivery.appRepository.split("/");

    // The token or app key comes from the environment at plan time, never from config.
    this.github = new GithubProvider(this, "github", { owner });
    if (delivery.githubAuth === "app") this.github.addOverride("app_auth", {});

    this.githubEnvironment = new GithubDeployEnvironment(this, "github-environment", {
      repository,
      environment: aws.githubEnvironmentName,
      reviewers: delivery.reviewers,
      preventSelfReview: delivery.preventSelfReview,
      adminsBypass: delivery.adminsBypass,
      waitTimerMinutes: delivery.waitTimerMinutes,
      deploymentBranches: delivery.deploymentBranches,
      variables: {
        AWS_ROLE_ARN: aws.deployRole.role.arn,
        IMAGE_REPOSITORY: config.service.image,
        ECS_CONTAINER_NAME: config.service.name,
        HEALTH_URL: aws.healthUrl,
        // Migrations run once, where the database is the writer: A, or B once promoted.
        MIGRATION_REGION:
          failover && config.failover.promoted
            ? config.failover.network.region
            : config.network.region,
        MIGRATION_COMMAND: JSON.stringify(config.service.migrationCommand),
        ...aws.regions.reduce(
          (vars, names, i) => ({ ...vars, ...serviceVariables(i === 0 ? "" : "FAILOVER_", names) }),
          {},
        ),
      },
    });

    for (const warning of configWarnings(config, "delivery-github"))
      Annotations.of(this).addWarning(warning);
  }
}

/** What the deploy workflow needs about one region's service, `prefix` telling regions apart. */
function serviceVariables(prefix: string, names: ServiceNames): Record<string, string> {
  return {
    [`${prefix}AWS_REGION`]: names.region,
    [`${prefix}ECS_CLUSTER`]: names.cluster,
    [`${prefix}ECS_SERVICE`]: names.service,
    [`${prefix}ECS_TASK_FAMILY`]: names.taskFamily,
  };
}
