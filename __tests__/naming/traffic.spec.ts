import { FENCE_RULE_PRIORITY } from "../../naming/recovery";
import {
  ALL_PATHS,
  MAINTENANCE_RESPONSE,
  PRODUCTION_RULE_PRIORITY,
  TEST_RULE_PRIORITY,
  productionPaths,
  serviceNames,
} from "../../naming/traffic";

describe("the serving listener's contract (naming/traffic.ts)", () => {
  it("orders the rules: fence first, test route, production last (ALB allows 1 to 50000)", () => {
    expect(FENCE_RULE_PRIORITY).toBeLessThan(TEST_RULE_PRIORITY);
    expect(TEST_RULE_PRIORITY).toBeLessThan(PRODUCTION_RULE_PRIORITY);
    expect(PRODUCTION_RULE_PRIORITY).toBeLessThanOrEqual(50000);
  });

  it("forwards every path, or in maintenance the health path alone", () => {
    expect(productionPaths(false, "/health")).toEqual([ALL_PATHS]);
    expect(productionPaths(true, "/health")).toEqual(["/health"]);
  });

  it("answers maintenance with what an ALB fixed response can hold: 503, a content type it allows, 1024 characters at most", () => {
    expect(MAINTENANCE_RESPONSE.statusCode).toBe("503");
    expect([
      "text/plain",
      "text/css",
      "text/html",
      "application/javascript",
      "application/json",
    ]).toContain(MAINTENANCE_RESPONSE.contentType);
    expect(MAINTENANCE_RESPONSE.messageBody.length).toBeLessThanOrEqual(1024);
    expect(Object.keys(MAINTENANCE_RESPONSE).sort()).toEqual([
      "contentType",
      "messageBody",
      "statusCode",
    ]);
  });

  it("derives a region's names from project, environment and service name", () => {
    expect(
      serviceNames(
        { project: "hello-you", environment: "prod", service: { name: "hello-you" } },
        "us-west-2",
      ),
    ).toEqual({
      cluster: "hello-you-prod-usw2-hello-you",
      service: "hello-you-prod-usw2-hello-you",
      family: "hello-you-prod-usw2-hello-you",
      loadBalancer: "hello-you-prod-usw2-alb",
    });
  });
});
