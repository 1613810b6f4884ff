import { FenceWatch, type FenceWatchProps } from "../../constructs/fence-watch";
import { listOf, synthJson, testStack } from "../helpers";

const ACCOUNT = "123456789012";
const RULE = `arn:aws:elasticloadbalancing:us-west-2:${ACCOUNT}:listener-rule/app/alb/1/2/3`;
const LISTENER = `arn:aws:elasticloadbalancing:us-west-2:${ACCOUNT}:listener/app/alb/1/2`;
const TOPIC = `arn:aws:sns:us-west-2:${ACCOUNT}:hello-you-test-usw2-alarms`;

function build(patch: Partial<FenceWatchProps> = {}) {
  const { stack, naming } = testStack("us-west-2");
  new FenceWatch(stack, "watch", {
    naming,
    aws: { accountId: ACCOUNT, partition: "aws" },
    fenceRuleArn: RULE,
    listenerArn: LISTENER,
    operatorRoleName: "hello-you-test-usw2-dr-operator",
    topicArn: TOPIC,
    ...patch,
  });
  return synthJson(stack);
}

describe("FenceWatch", () => {
  const json = build();
  const [rule] = listOf(json, "aws_cloudwatch_event_rule");
  const pattern = JSON.parse(String(rule.event_pattern));

  it("matches CloudTrail's record of every call that changes or removes the fence", () => {
    expect(rule.name).toBe("hello-you-test-usw2-fence-changed");
    expect(pattern).toMatchObject({
      source: ["aws.elasticloadbalancing"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["elasticloadbalancing.amazonaws.com"] },
    });
    expect(pattern.detail.$or).toEqual([
      { eventName: ["ModifyRule"], requestParameters: { ruleArn: [RULE] } },
      { eventName: ["DeleteRule"], requestParameters: { ruleArn: [RULE] } },
      {
        eventName: ["SetRulePriorities"],
        requestParameters: { rulePriorities: { ruleArn: [RULE] } },
      },
      { eventName: ["DeleteListener"], requestParameters: { listenerArn: [LISTENER] } },
    ]);
  });

  it("leaves out only the DR operator role's sessions, and pages the alarm topic", () => {
    expect(pattern.detail.userIdentity).toEqual({
      arn: [
        {
          "anything-but": {
            prefix: `arn:aws:sts::${ACCOUNT}:assumed-role/hello-you-test-usw2-dr-operator/`,
          },
        },
      ],
    });
    expect(listOf(json, "aws_cloudwatch_event_target")).toEqual([
      expect.objectContaining({
        arn: TOPIC,
        rule: expect.stringMatching(
          /^\$\{aws_cloudwatch_event_rule\.watch_rule_[0-9A-F]+\.name\}$/,
        ),
      }),
    ]);
  });

  it("refuses an operator role that is not one exact name", () => {
    expect(() => build({ operatorRoleName: "dr-*" })).toThrow(
      'FenceWatch: operatorRoleName "dr-*" must be an IAM role name',
    );
  });
});
