import { ActionsEnvironmentVariable } from "@cdktf/provider-github/lib/actions-environment-variable";
import { DataGithubTeam } from "@cdktf/provider-github/lib/data-github-team";
import { DataGithubUser } from "@cdktf/provider-github/lib/data-github-user";
import type { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { Token } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { ConstructError } from "./stack-context";

export interface GithubDeployEnvironmentProps {
  /** Repository name, without its owner (the provider's `owner` supplies that). */
  readonly repository: string;
  /** Deployment environment name; the deploy role's trust names it too. */
  readonly environment: string;
  /** Plain configuration for the deploy workflow (`vars.<NAME>`): ARNs, names, URLs. */
  readonly variables: Readonly<Record<string, string>>;
  /**
   * Who must approve a deployment: GitHub logins and team slugs, at most six in all.
   * @default no reviewers: deployments start without approval
   */
  readonly reviewers?: { readonly users: readonly string[]; readonly teams: readonly string[] };
  /**
   * The person who started a deployment cannot approve it (only with reviewers).
   * @default true
   */
  readonly preventSelfReview?: boolean;
  /**
   * Repository administrators may skip the approval.
   * @default false
   */
  readonly adminsBypass?: boolean;
  /**
   * Minutes to wait after approval before the job runs.
   * @default 0
   */
  readonly waitTimerMinutes?: number;
  /**
   * Branches that may deploy: `protected` ones, `all`, or name patterns.
   * @default "protected"
   */
  readonly deploymentBranches?: "protected" | "all" | readonly string[];
  /**
   * GitHub provider to create the resources with.
   * @default the stack's default GitHub provider
   */
  readonly provider?: GithubProvider;
}

const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** Variables are plain text in the repository settings and in logs. */
const SECRET_LOOKING = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/;

/**
 * The app repository's deployment environment: required reviewers, which branches may deploy,
 * and the variables its deploy workflow reads. Variables only: the workflow authenticates with
 * its OIDC token, so the environment holds no secret.
 */
export class GithubDeployEnvironment extends Construct {
  readonly environment: RepositoryEnvironment;
  readonly variables: Record<string, ActionsEnvironmentVariable>;
  readonly branchPolicies: RepositoryEnvironmentDeploymentPolicy[];

  constructor(scope: Construct, id: string, props: GithubDeployEnvironmentProps) {
    super(scope, id);
    validate(this, props);
    const { provider, repository } = props;
    const branches = props.deploymentBranches ?? "protected";
    const users = (props.reviewers?.users ?? []).map(
      (login) => new DataGithubUser(this, `user-${login}`, { provider, username: login }),
    );
    const teams = (props.reviewers?.teams ?? []).map(
      (slug) => new DataGithubTeam(this, `team-${slug}`, { provider, slug, summaryOnly: true }),
    );
    const hasReviewers = users.length + teams.length > 0;

    this.environment = new RepositoryEnvironment(this, "environment", {
      provider,
      repository,
      environment: props.environment,
      waitTimer: props.waitTimerMinutes ?? 0,
      canAdminsBypass: props.adminsBypass ?? false,
      preventSelfReview: hasReviewers ? (props.preventSelfReview ?? true) : false,
      reviewers: hasReviewers
        ? [
            {
              users: users.map((u) => Token.asNumber(u.id)),
              teams: teams.map((t) => Token.asNumber(t.id)),
            },
          ]
        : undefined,
      deploymentBranchPolicy:
        branches === "all"
          ? undefined
          : {
              protectedBranches: branches === "protected",
              customBranchPolicies: branches !== "protected",
            },
    });
    this.branchPolicies = Array.isArray(branches)
      ? branches.map(
          (pattern, i) =>
            new RepositoryEnvironmentDeploymentPolicy(this, `branch-${i}`, {
              provider,
              repository,
              environment: this.environment.environment,
              branchPattern: pattern,
            }),
        )
      : [];
    this.variables = Object.fromEntries(
      Object.keys(props.variables)
        .sort()
        .map((name) => [
          name,
          new ActionsEnvironmentVariable(this, `var-${name}`, {
            provider,
            repository,
            environment: this.environment.environment,
            variableName: name,
            value: props.variables[name],
          }),
        ]),
    );
  }
}

function validate(scope: IConstruct, props: GithubDeployEnvironmentProps): void {
  const names = Object.keys(props.variables);
  if (names.length === 0) {
    throw new ConstructError(
      scope,
      "GithubDeployEnvironment: variables is empty; the deploy workflow needs them",
    );
  }
  for (const name of names) {
    if (!VARIABLE_NAME.test(name) || name.startsWith("GITHUB_")) {
      throw new ConstructError(
        scope,
        `GithubDeployEnvironment: variable "${name}" must be upper case letters, digits and _, not starting with GITHUB_ (reserved by GitHub)`,
      );
    }
    if (SECRET_LOOKING.test(name)) {
      throw new ConstructError(
        scope,
        `GithubDeployEnvironment: variable "${name}" looks like a secret; variables are plain text, and the deploy workflow needs no secret (it signs in with OIDC)`,
      );
    }
    if (props.variables[name] === "") {
      throw new ConstructError(scope, `GithubDeployEnvironment: variable "${name}" is empty`);
    }
  }
  const count = (props.reviewers?.users.length ?? 0) + (props.reviewers?.teams.length ?? 0);
  if (count > 6) {
    throw new ConstructError(
      scope,
      `GithubDeployEnvironment: ${count} reviewers; GitHub allows at most 6 users and teams per environment`,
    );
  }
  const minutes = props.waitTimerMinutes ?? 0;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 43200) {
    throw new ConstructError(
      scope,
      `GithubDeployEnvironment: waitTimerMinutes ${minutes} must be an integer from 0 to 43200`,
    );
  }
  if (Array.isArray(props.deploymentBranches) && props.deploymentBranches.length === 0) {
    throw new ConstructError(
      scope,
      'GithubDeployEnvironment: deploymentBranches is an empty list; list patterns, or use "protected" or "all"',
    );
  }
}
