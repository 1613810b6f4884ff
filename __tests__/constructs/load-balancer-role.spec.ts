import { LoadBalancerRole, type LoadBalancerRoleProps } from "../../constructs/load-balancer-role";
import { listOf, policiesOf, synthJson, testStack } from "../helpers";

const ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012";
const props = {
  targetGroupArns: [`${ARN}:targetgroup/tg/1`, `${ARN}:targetgroup/tg-b/2`],
  listenerArn: `${ARN}:listener/app/alb/3/4`,
  ruleArns: [`${ARN}:listener-rule/app/alb/3/4/5`, `${ARN}:listener-rule/app/alb/3/4/6`],
};

function build(patch: Partial<LoadBalancerRoleProps> = {}) {
  const { stack, naming, aws } = testStack();
  new LoadBalancerRole(stack, "elb-role", { naming, aws, ...props, ...patch });
  return synthJson(stack);
}

describe("LoadBalancerRole", () => {
  const json = build();

  it("is assumed by ECS on behalf of this account only", () => {
    const [role] = listOf(json, "aws_iam_role");
    expect(role.name).toBe("hello-you-test-use1-ecs-traffic-shift");
    const [trust] = policiesOf(json, "aws_iam_role", "assume_role_policy");
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "ecs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": expect.stringContaining("account_id") } },
      }),
    ]);
  });

  it("changes only this service's target groups, rules and listener; reads with *", () => {
    const [policy] = policiesOf(json, "aws_iam_role_policy");
    const grants = Object.fromEntries(policy.Statement.map((s) => [s.Sid, [s.Action, s.Resource]]));
    expect(grants).toEqual({
      ReadLoadBalancing: [
        [
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetHealth",
        ],
        "*",
      ],
      RegisterTasksInTheServiceTargetGroups: [
        ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        props.targetGroupArns,
      ],
      MoveWeightsOfTheServiceRules: ["elasticloadbalancing:ModifyRule", props.ruleArns],
      ModifyTheServingListener: ["elasticloadbalancing:ModifyListener", props.listenerArn],
    });
  });

  it("refuses to be built without the target groups or the rules", () => {
    expect(() => build({ ruleArns: [] })).toThrow(
      "LoadBalancerRole: targetGroupArns and ruleArns must name the service's target groups and listener rules",
    );
    expect(() => build({ targetGroupArns: [] })).toThrow("LoadBalancerRole: targetGroupArns");
  });
});
