import { FENCE_RESPONSES } from "../../../naming/recovery";
import { describeFence, fenceAnswer, fenceResponse, findFence } from "../../../dr/promote/fence";
import { harness } from "../harness";

/** The fence as findFence reads it after the rule was made to answer `statusCode` `body`. */
async function fenceAnswering(statusCode: string, body: string) {
  const h = harness();
  h.aws.rules[0] = {
    ...h.aws.rules[0],
    fixedResponse: { statusCode, body, contentType: "text/plain" },
  };
  return findFence(h.aws, h.ctx.names.loadBalancer);
}

describe("dr fence", () => {
  // The contract this file guards: both answers share a status, so the body must decide.
  it("reads open and fenced apart by the body when their status is equal", async () => {
    const { open, fenced } = FENCE_RESPONSES;
    expect(open.statusCode).toBe(fenced.statusCode);
    expect((await fenceAnswering(open.statusCode, open.body)).state).toBe("open");
    expect((await fenceAnswering(fenced.statusCode, fenced.body)).state).toBe("fenced");
  });

  it("reads neither when the body or the status is not the contract's", async () => {
    const { fenced } = FENCE_RESPONSES;
    // The contract before the fence check matched the body: now a rule left behind, not a fence.
    expect((await fenceAnswering("503", fenced.body)).state).toBeUndefined();
    expect((await fenceAnswering(fenced.statusCode, "Fenced")).state).toBeUndefined();
    expect((await fenceAnswering(fenced.statusCode, "")).state).toBeUndefined();
  });

  it("sets and describes the answers the contract gives", async () => {
    for (const state of ["open", "fenced"] as const) {
      const { statusCode, body } = FENCE_RESPONSES[state];
      expect(fenceResponse(state)).toEqual({ statusCode, body, contentType: "text/plain" });
      expect(fenceAnswer(state)).toBe(`${statusCode} "${body}"`);
      const fence = await fenceAnswering(statusCode, body);
      expect(describeFence(fence)).toBe(`${state} (port 80 rule answers ${statusCode} "${body}")`);
    }
  });
});
