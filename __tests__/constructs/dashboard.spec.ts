import { Dashboard } from "../../constructs/dashboard";
import { listOf, synthJson, testStack } from "../helpers";

function build(databaseIdentifiers: string[]) {
  const { stack, naming } = testStack();
  new Dashboard(stack, "dash", {
    naming,
    region: "us-east-1",
    albArnSuffix: "app/alb/1",
    targetGroupArnSuffix: "targetgroup/tg/2",
    clusterName: "cluster",
    serviceName: "service",
    databaseIdentifiers,
  });
  return synthJson(stack);
}

describe("Dashboard", () => {
  it("charts the ALB, the service and every database, with replica lag for replicas only", () => {
    const [dashboard] = listOf(build(["writer", "replica"]), "aws_cloudwatch_dashboard");
    const body = JSON.parse(String(dashboard.dashboard_body)) as {
      widgets: { properties: { title: string; metrics: unknown[][] } }[];
    };
    const titles = body.widgets.map((w) => w.properties.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        "Requests and 5xx",
        "Target response time",
        "Service CPU, memory and tasks",
        "Database CPU",
        "Replica lag (s)",
      ]),
    );
    const cpu = body.widgets.find((w) => w.properties.title === "Database CPU")!;
    expect(cpu.properties.metrics.map((m) => m[3])).toEqual(["writer", "replica"]);
    const lag = body.widgets.find((w) => w.properties.title === "Replica lag (s)")!;
    expect(lag.properties.metrics.map((m) => m[3])).toEqual(["replica"]);
  });

  it("needs at least the writer", () => {
    expect(() => build([])).toThrow("Dashboard: databaseIdentifiers is empty");
  });
});
