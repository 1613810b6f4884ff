import type { EnvironmentInput } from "../../config/schema";
import { configWith } from "../helpers";

type Delivery = NonNullable<EnvironmentInput["delivery"]>;
const withDelivery = (delivery: Delivery) =>
  configWith((c) => ({ ...c, delivery: { ...c.delivery, ...delivery } }));
const problemsOf = (delivery: Delivery): string => {
  try {
    withDelivery(delivery);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("delivery config", () => {
  it("is off by default in every environment, so synth and tests need no GitHub token", () => {
    for (const env of ["dev", "prod"]) {
      expect(configWith(undefined, env).delivery).toMatchObject({
        enabled: false,
        appRepository: "diogo-pessoa/hello-you-api",
        githubAuth: "token",
        deploymentBranches: "protected",
        githubOidcProvider: "create",
        terraformCloud: { enabled: false, hostname: "app.terraform.io" },
      });
    }
  });

  it("gates prod rollouts on a reviewer and protected branches", () => {
    expect(configWith(undefined, "prod").delivery).toMatchObject({
      reviewers: { users: [], teams: ["platform"] },
      deploymentBranches: "protected",
      preventSelfReview: true,
      adminsBypass: false,
    });
  });

  it("refuses production deployments nobody approves, naming the field and the fix", () => {
    const prod = (reviewers: Delivery["reviewers"]) => () =>
      configWith((c) => ({ ...c, delivery: { enabled: true, reviewers } }), "prod");
    expect(prod({})).toThrow(
      'delivery.reviewers: is empty in "prod": any run of the app\'s deploy workflow would roll out to production without approval; name who approves, such as reviewers: { teams: ["platform"] }',
    );
    expect(prod({ users: ["octocat"] })).not.toThrow();
    // Outside production it is a warning (delivery-github's annotations), and off it is moot.
    expect(() =>
      configWith((c) => ({ ...c, delivery: { enabled: true, reviewers: {} } }), "dev"),
    ).not.toThrow();
    expect(() =>
      configWith((c) => ({ ...c, delivery: { enabled: false, reviewers: {} } }), "prod"),
    ).not.toThrow();
  });

  it("names the setting, the bad value and a good example", () => {
    expect(problemsOf({ appRepository: "hello-you-api" })).toContain(
      'delivery.appRepository: "hello-you-api" is not valid: must be owner/name of a GitHub repository, such as diogo-pessoa/hello-you-api',
    );
    expect(problemsOf({ githubEnvironment: "prod:ref" })).toContain(
      'delivery.githubEnvironment: "prod:ref" is not valid',
    );
    expect(problemsOf({ reviewers: { users: ["-bad"] } })).toContain(
      'delivery.reviewers.users.0: "-bad" is not valid: must be a GitHub login',
    );
    expect(problemsOf({ deploymentBranches: ["main", "a b"] })).toContain(
      'delivery.deploymentBranches.1: "a b" is not valid',
    );
    expect(problemsOf({ terraformCloud: { hostname: "https://tfe.example.com" } })).toContain(
      'delivery.terraformCloud.hostname: "https://tfe.example.com" is not valid: must be a host name without scheme',
    );
  });

  it("caps required reviewers at GitHub's six", () => {
    expect(
      problemsOf({ reviewers: { users: ["a", "b", "c", "d"], teams: ["e", "f", "g"] } }),
    ).toContain("delivery.reviewers: lists 7 users and teams; GitHub allows at most 6");
    expect(
      withDelivery({ reviewers: { users: ["a", "b", "c"], teams: ["d", "e", "f"] } }).delivery
        .reviewers.teams,
    ).toHaveLength(3);
  });

  it("needs an organization and each workspace's policies before Terraform Cloud roles are built", () => {
    expect(problemsOf({ terraformCloud: { enabled: true } })).toContain(
      "delivery.terraformCloud.organization: is required when",
    );
    const message = problemsOf({
      enabled: true,
      terraformCloud: { enabled: true, organization: "acme" },
    });
    // dev has failover on: four workspaces, each asking for its own policies.
    for (const stack of ["primary", "failover", "link", "delivery"]) {
      expect(message).toContain(
        `delivery.terraformCloud.policyArns.${stack}: is empty; the ${stack} workspace's apply role could change nothing`,
      );
    }
    const arn = (stack: string) => [
      `arn:aws:iam::123456789012:policy/hello-you-terraform-${stack}`,
    ];
    const tfc = withDelivery({
      terraformCloud: {
        enabled: true,
        organization: "acme",
        policyArns: {
          primary: arn("primary"),
          failover: arn("failover"),
          link: arn("link"),
          delivery: arn("delivery"),
        },
      },
    }).delivery.terraformCloud;
    expect(tfc.project).toBe("Default Project");
    expect(tfc.policyArns.link).toEqual(arn("link"));
  });
});
