import { TerraformStack, Testing } from "cdktf";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import {
  GithubDeployEnvironment,
  type GithubDeployEnvironmentProps,
} from "../../constructs/github-deploy-environment";
import { listOf, type SynthJson } from "../helpers";

function build(patch: Partial<GithubDeployEnvironmentProps> = {}): SynthJson {
  const stack = new TerraformStack(Testing.app(), "test");
  new GithubProvider(stack, "github", { owner: "diogo-pessoa" });
  new GithubDeployEnvironment(stack, "env", {
    repository: "hello-you-api",
    environment: "prod",
    variables: { AWS_REGION: "us-east-1", AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/deploy" },
    ...patch,
  });
  return JSON.parse(Testing.synth(stack));
}

describe("GithubDeployEnvironment", () => {
  it("protects the environment with reviewers looked up by name, and protected branches only", () => {
    const json = build({ reviewers: { users: ["octocat"], teams: ["platform"] } });
    const [environment] = listOf(json, "github_repository_environment");
    expect(environment).toMatchObject({
      repository: "hello-you-api",
      environment: "prod",
      prevent_self_review: true,
      can_admins_bypass: false,
      wait_timer: 0,
      deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
      reviewers: [
        {
          users: [expect.stringContaining("data.github_user.env_user-octocat")],
          teams: [expect.stringContaining("data.github_team.env_team-platform")],
        },
      ],
    });
    expect(Object.values(json.data!.github_user)[0]).toMatchObject({ username: "octocat" });
    expect(Object.values(json.data!.github_team)[0]).toMatchObject({ slug: "platform" });
  });

  it("creates one plain variable per entry in the environment, and no secret", () => {
    const json = build();
    const variables = listOf(json, "github_actions_environment_variable");
    expect(variables.map((v) => [v.variable_name, v.value])).toEqual([
      ["AWS_REGION", "us-east-1"],
      ["AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy"],
    ]);
    for (const v of variables) {
      expect(v.environment).toMatch(
        /github_repository_environment\.env_environment_\w+\.environment/,
      );
    }
    expect(json.resource?.github_actions_environment_secret).toBeUndefined();
  });

  it("lets listed branch patterns deploy through custom policies", () => {
    const json = build({ deploymentBranches: ["main", "release/*"] });
    expect(listOf(json, "github_repository_environment")[0].deployment_branch_policy).toEqual({
      protected_branches: false,
      custom_branch_policies: true,
    });
    expect(
      listOf(json, "github_repository_environment_deployment_policy").map((p) => p.branch_pattern),
    ).toEqual(["main", "release/*"]);
  });

  it("without reviewers or branch policy, asks for neither", () => {
    const [environment] = listOf(
      build({ deploymentBranches: "all" }),
      "github_repository_environment",
    );
    expect(environment.reviewers).toBeUndefined();
    expect(environment.deployment_branch_policy).toBeUndefined();
    expect(environment.prevent_self_review).toBe(false);
  });

  it("rejects secret-looking, reserved and empty variables, and too many reviewers", () => {
    expect(() => build({ variables: { DEPLOY_TOKEN: "x" } })).toThrow(
      'GithubDeployEnvironment: variable "DEPLOY_TOKEN" looks like a secret',
    );
    expect(() => build({ variables: { GITHUB_SHA: "x" } })).toThrow(
      'GithubDeployEnvironment: variable "GITHUB_SHA" must be upper case',
    );
    expect(() => build({ variables: { AWS_REGION: "" } })).toThrow(
      'GithubDeployEnvironment: variable "AWS_REGION" is empty',
    );
    expect(() => build({ variables: {} })).toThrow("GithubDeployEnvironment: variables is empty");
    expect(() =>
      build({ reviewers: { users: ["a", "b", "c", "d"], teams: ["e", "f", "g"] } }),
    ).toThrow("GithubDeployEnvironment: 7 reviewers; GitHub allows at most 6");
    expect(() => build({ deploymentBranches: [] })).toThrow(
      "GithubDeployEnvironment: deploymentBranches is an empty list",
    );
    expect(() => build({ waitTimerMinutes: -1 })).toThrow(
      "GithubDeployEnvironment: waitTimerMinutes -1 must be an integer from 0 to 43200",
    );
  });
});
