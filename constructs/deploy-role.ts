import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct, type IConstruct } from "constructs";
import { type CommonProps, type PolicyStatement, policyDocument, buildContext } from "./common";
import { ConstructError } from "./stack-context";

/** One region's service, as the rollout touches it. */
export interface RolloutTarget {
  /** The ECS service's ARN (`arn:...:service/<cluster>/<service>`). */
  readonly serviceArn: string;
  /** The task definition family's ARN without a revision (`arn:...:task-definition/<family>`). */
  readonly taskFamilyArn: string;
  /** The execution and task roles its task definitions name: the only roles it may pass. */
  readonly passRoleArns: string[];
}

/** Who may assume the role: one repository's workflows in one GitHub deployment environment. */
export interface GithubSubject {
  /** `owner/name` of the repository. */
  readonly repository: string;
  /** The deployment environment its job declares (`environment:` in the workflow). */
  readonly environment: string;
}

export interface DeployRoleProps extends CommonProps {
  /** The GitHub Actions OIDC provider (`token.actions.githubusercontent.com`). */
  readonly oidcProvider: { readonly arn: string; readonly host: string };
  readonly subject: GithubSubject;
  /** Every service the pipeline rolls out, one per region. */
  readonly targets: RolloutTarget[];
  /**
   * Audience the workflow requests its token for.
   * @default "sts.amazonaws.com" (what aws-actions/configure-aws-credentials asks for)
   */
  readonly audience?: string;
}

export const GITHUB_AUDIENCE = "sts.amazonaws.com";
const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;

/**
 * The role the app's deploy workflow assumes through GitHub's OIDC token: trusted only for
 * one repository's jobs in one deployment environment, allowed only what an image rollout needs
 * (docs/adr/0001-image-rollout.md): read the current task definition, register a revision of
 * the same family naming the same roles, point the service at it and watch it settle.
 */
export class DeployRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  /** The exact `sub` claim the trust policy accepts. */
  readonly subjectClaim: string;

  constructor(scope: Construct, id: string, props: DeployRoleProps) {
    super(scope, id);
    validate(this, props);
    const { oidcProvider, subject, targets } = props;
    const { naming, provider } = buildContext(this, props);
    this.subjectClaim = `repo:${subject.repository}:environment:${subject.environment}`;
    const host = oidcProvider.host;

    this.role = new IamRole(this, "role", {
      provider,
      name: naming.name("iamRole", "github-deploy"),
      description: `GitHub Actions in ${subject.repository} (environment ${subject.environment}) roll out new images`,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument([
        {
          Sid: "AppRepositoryInItsEnvironmentOnly",
          Effect: "Allow",
          Principal: { Federated: oidcProvider.arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          // StringEquals, never StringLike: no other repository, branch or environment matches.
          Condition: {
            StringEquals: {
              [`${host}:aud`]: props.audience ?? GITHUB_AUDIENCE,
              [`${host}:sub`]: this.subjectClaim,
            },
          },
        },
      ]),
    });

    const families = targets.map((t) => `${t.taskFamilyArn}:*`);
    const services = targets.map((t) => t.serviceArn);
    const statements: PolicyStatement[] = [
      {
        // DescribeTaskDefinition has no resource-level permissions: AWS requires "*".
        Sid: "ReadTaskDefinitions",
        Effect: "Allow",
        Action: "ecs:DescribeTaskDefinition",
        Resource: "*",
      },
      {
        Sid: "RegisterRevisionsOfTheServiceFamilies",
        Effect: "Allow",
        Action: "ecs:RegisterTaskDefinition",
        Resource: families,
      },
      // One statement per region, so that a service can only move to its own family.
      ...targets.map((t, i): PolicyStatement => ({
        Sid: `PointService${i}AtItsOwnFamily`,
        Effect: "Allow",
        Action: "ecs:UpdateService",
        Resource: t.serviceArn,
        Condition: { ArnLike: { "ecs:task-definition": `${t.taskFamilyArn}:*` } },
      })),
      {
        Sid: "WatchTheRollouts",
        Effect: "Allow",
        Action: "ecs:DescribeServices",
        Resource: services,
      },
      {
        Sid: "PassOnlyTheServiceRolesToEcsTasks",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: targets.flatMap((t) => t.passRoleArns),
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    ];
    this.policy = new IamRolePolicy(this, "rollout", {
      provider,
      name: "roll-out-images",
      role: this.role.id,
      policy: policyDocument(statements),
    });
  }
}

function validate(scope: IConstruct, props: DeployRoleProps): void {
  const { repository, environment } = props.subject;
  if (!REPOSITORY.test(repository)) {
    throw new ConstructError(
      scope,
      `DeployRole: subject.repository "${repository}" must be owner/name without wildcards, such as diogo-pessoa/hello-you-api`,
    );
  }
  if (!ENVIRONMENT.test(environment)) {
    throw new ConstructError(
      scope,
      `DeployRole: subject.environment "${environment}" must be a GitHub environment name of letters, digits, ., - and _ (no * or :), such as prod`,
    );
  }
  if (props.targets.length === 0) {
    throw new ConstructError(
      scope,
      "DeployRole: targets is empty; list the service of every region to roll out",
    );
  }
  props.targets.forEach((t, i) => {
    if (t.passRoleArns.length === 0) {
      throw new ConstructError(
        scope,
        `DeployRole: targets[${i}].passRoleArns is empty; list the task's execution and task roles`,
      );
    }
    for (const [field, value] of Object.entries(t)) {
      if ([value].flat().some((v: string) => v.includes("*"))) {
        throw new ConstructError(
          scope,
          `DeployRole: targets[${i}].${field} contains "*"; name the exact ARN of the service, family or role`,
        );
      }
    }
  });
}
