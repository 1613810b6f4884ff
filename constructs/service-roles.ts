import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import {
  assumeRolePolicy,
  type CommonProps,
  type PolicyStatement,
  policyDocument,
  buildContext,
} from "./common";
import type { EncryptionKey } from "./encryption-key";
import { ConstructError } from "./stack-context";
import { NameCatalogue } from "../naming/catalogue";

export interface ServiceRolesProps extends CommonProps {
  /**
   * Account, partition and region of the provider.
   * @default the stack's, found from the scope
   */
  readonly aws?: AwsContext;
  /** Decrypts this service's secrets and ECS Exec sessions. */
  readonly kmsKey: EncryptionKey;
  /** Exactly the secrets the container is given; nothing else is readable. */
  readonly secretArns: string[];
  /**
   * Keys besides `kmsKey` that encrypt some of those secrets, decrypted the same way.
   * @default none
   */
  readonly otherSecretKeyArns?: string[];
  /** The service's log group. */
  readonly logGroupArn: string;
  /** Grant the task what ECS Exec needs. */
  readonly enableExecuteCommand: boolean;
  /**
   * ECR repository the image comes from.
   * @default undefined: the image is outside ECR (GHCR), so no ECR permission is granted
   */
  readonly ecrRepositoryArn?: string;
  /**
   * `ecrRepositoryArn` is a pull-through cache's: the first pull of a tag or digest imports it
   * from upstream, creating the repository on the very first (ECR User Guide, "IAM permissions
   * required to sync an upstream registry").
   * @default false
   */
  readonly importsUpstreamImage?: boolean;
}

/**
 * The two roles of a Fargate service, kept apart: the execution role (ECS itself: pull the image,
 * read the secrets, write logs) and the task role (the app: nothing, unless ECS Exec is on).
 */
export class ServiceRoles extends Construct {
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;
  /** What ECS needs to start a task: pull, read the secrets, write logs. */
  readonly executionPolicy: IamRolePolicy;
  /** The app's own permissions (ECS Exec); absent when it needs none. */
  readonly taskPolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ServiceRolesProps) {
    super(scope, id);
    const { kmsKey } = props;
    const { naming, provider, aws } = buildContext(this, props);
    if (props.secretArns.length === 0) {
      throw new ConstructError(
        this,
        "ServiceRoles: secretArns is empty; the service needs at least DATABASE_URL and SECRET_KEY",
      );
    }
    const trust = assumeRolePolicy("ecs-tasks.amazonaws.com", aws.accountId);
    const execution: PolicyStatement[] = [
      {
        Sid: "ReadThisServicesSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: props.secretArns,
      },
      {
        Sid: "DecryptSecretsThroughSecretsManagerOnly",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: props.otherSecretKeyArns?.length
          ? [kmsKey.arn, ...props.otherSecretKeyArns]
          : kmsKey.arn,
        Condition: {
          StringEquals: { "kms:ViaService": `secretsmanager.${aws.region}.amazonaws.com` },
        },
      },
      {
        Sid: "WriteContainerLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${props.logGroupArn}:*`,
      },
    ];
    if (props.ecrRepositoryArn) {
      execution.push(
        // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
        { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
          Sid: "PullTheImage",
          Effect: "Allow",
          Action: [
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchCheckLayerAvailability",
          ],
          Resource: props.ecrRepositoryArn,
        },
      );
      if (props.importsUpstreamImage) {
        execution.push({
          Sid: "FillTheImageCache",
          Effect: "Allow",
          Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
          Resource: props.ecrRepositoryArn,
        });
      }
    }
    this.executionRole = new IamRole(this, "execution", {
      provider,
      name: new NameCatalogue(naming).taskExecutionRole,
      description: "ECS pulls the image, reads this service's secrets and writes its logs",
      assumeRolePolicy: trust,
    });
    this.executionPolicy = new IamRolePolicy(this, "execution-policy", {
      provider,
      name: "pull-read-secrets-write-logs",
      role: this.executionRole.id,
      policy: policyDocument(execution),
    });

    this.taskRole = new IamRole(this, "task", {
      provider,
      name: new NameCatalogue(naming).taskRole,
      description: "The application's own permissions: none beyond what enabled features need",
      assumeRolePolicy: trust,
    });
    if (props.enableExecuteCommand) {
      this.taskPolicy = new IamRolePolicy(this, "exec-policy", {
        provider,
        name: "ecs-exec",
        role: this.taskRole.id,
        policy: policyDocument([
          {
            // Session Manager channels have no resource-level permissions: AWS requires "*".
            Sid: "EcsExecChannels",
            Effect: "Allow",
            Action: [
              "ssmmessages:CreateControlChannel",
              "ssmmessages:CreateDataChannel",
              "ssmmessages:OpenControlChannel",
              "ssmmessages:OpenDataChannel",
            ],
            Resource: "*",
          },
          {
            Sid: "LogExecSessions",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: `${props.logGroupArn}:*`,
          },
          {
            // The ECS agent checks the destination exists; DescribeLogGroups cannot be scoped.
            Sid: "FindExecLogGroup",
            Effect: "Allow",
            Action: "logs:DescribeLogGroups",
            Resource: "*",
          },
          {
            Sid: "DecryptExecSessions",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: kmsKey.arn,
          },
        ]),
      });
    }
  }
}
