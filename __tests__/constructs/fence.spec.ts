import { Fence, type FenceProps } from "../../constructs/fence";
import { FENCE_PATH, type FenceState } from "../../naming/recovery";
import { listOf, synthJson, testStack } from "../helpers";

const LISTENER = "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/b/1/2";
const ALB = "b-123.us-west-2.elb.amazonaws.com";

describe("Fence", () => {
  function build(state: FenceState, patch: Partial<FenceProps> = {}) {
    const { stack, naming } = testStack("us-west-2");
    new Fence(stack, "fence", { naming, listenerArn: LISTENER, albDnsName: ALB, state, ...patch });
    return listOf(synthJson(stack), "aws_lb_listener_rule");
  }

  it("is one listener rule, evaluated first, for the fence path on the ALB's own name only", () => {
    expect(build("open")).toEqual([
      expect.objectContaining({
        listener_arn: LISTENER,
        priority: 1,
        condition: [{ path_pattern: { values: [FENCE_PATH] } }, { host_header: { values: [ALB] } }],
        tags: { Name: "hello-you-test-usw2-fence" },
      }),
    ]);
  });

  it.each([
    ["open", "200", "open"],
    // 200 too: Route53's inverted string match reads the body, and only in a 2xx answer.
    ["fenced", "200", "fenced"],
  ] as const)("answers %s with a fixed %s %j, no task involved", (state, status, body) => {
    expect(build(state)[0].action).toEqual([
      {
        type: "fixed-response",
        fixed_response: { content_type: "text/plain", status_code: status, message_body: body },
      },
    ]);
  });

  it("leaves the answer to npm run dr after creation: no apply can reopen a fence", () => {
    expect(build("open")[0].lifecycle).toEqual({ ignore_changes: ["action"] });
  });

  it("refuses a state it has no answer for", () => {
    expect(() => build("closed" as FenceState)).toThrow(
      'Fence: state "closed" must be one of open, fenced',
    );
  });
});
