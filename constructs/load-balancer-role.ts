import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import type { AwsContext } from "./aws-context";
import { assumeRolePolicy, type CommonProps, policyDocument, buildContext } from "./common";
import { ConstructError } from "./stack-context";

export interface LoadBalancerRoleProps extends CommonProps {
  /** Account of the provider: only ECS acting for it may assume the role. */
  readonly aws: AwsContext;
  /** The production and alternate target groups ECS registers tasks in. */
  readonly targetGroupArns: string[];
  /** The serving listener. */
  readonly listenerArn: string;
  /** The production and test rules whose weights ECS moves. */
  readonly ruleArns: string[];
}

/**
 * The role ECS assumes to shift traffic in a blue/green deployment. The same actions as AWS's
 * managed `AmazonECSInfrastructureRolePolicyForLoadBalancers` (v6), but on this service's target
 * groups, listener and rules only, where the managed policy allows every load balancer of the
 * account.
 */
export class LoadBalancerRole extends Construct {
  readonly role: IamRole;
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: LoadBalancerRoleProps) {
    super(scope, id);
    const { naming, provider, aws } = buildContext(this, props);
    if (props.targetGroupArns.length === 0 || props.ruleArns.length === 0) {
      throw new ConstructError(
        this,
        "LoadBalancerRole: targetGroupArns and ruleArns must name the service's target groups and listener rules",
      );
    }
    this.role = new IamRole(this, "role", {
      provider,
      name: naming.name("iamRole", "ecs-traffic-shift"),
      description: "ECS moves this service's traffic between its two target groups (blue/green)",
      assumeRolePolicy: assumeRolePolicy("ecs.amazonaws.com", aws.accountId),
    });
    this.policy = new IamRolePolicy(this, "policy", {
      provider,
      name: "shift-traffic",
      role: this.role.id,
      policy: policyDocument([
        {
          // The Describe* calls of ELBv2 have no resource-level permissions: AWS requires "*".
          Sid: "ReadLoadBalancing",
          Effect: "Allow",
          Action: [
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth",
          ],
          Resource: "*",
        },
        {
          Sid: "RegisterTasksInTheServiceTargetGroups",
          Effect: "Allow",
          Action: [
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:DeregisterTargets",
          ],
          Resource: props.targetGroupArns,
        },
        {
          Sid: "MoveWeightsOfTheServiceRules",
          Effect: "Allow",
          Action: "elasticloadbalancing:ModifyRule",
          Resource: props.ruleArns,
        },
        {
          Sid: "ModifyTheServingListener",
          Effect: "Allow",
          Action: "elasticloadbalancing:ModifyListener",
          Resource: props.listenerArn,
        },
      ]),
    });
  }
}
