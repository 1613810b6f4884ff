import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { Construct } from "constructs";
import type { CommonProps } from "./common";
import { buildContext } from "./common";
import { ConstructError } from "./stack-context";

export interface DashboardProps extends CommonProps {
  /** Region the metrics live in. */
  readonly region: string;
  readonly albArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** RDS instances to chart (writer first). */
  readonly databaseIdentifiers: string[];
}

type Metric = (string | Record<string, string>)[];

/** One page for an on-call engineer: traffic and errors, latency, tasks, database. */
export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    if (props.databaseIdentifiers.length === 0) {
      throw new ConstructError(
        this,
        "Dashboard: databaseIdentifiers is empty; pass at least the writer",
      );
    }
    const lb = ["LoadBalancer", props.albArnSuffix];
    const tg = [...lb, "TargetGroup", props.targetGroupArnSuffix];
    const ecs = ["ClusterName", props.clusterName, "ServiceName", props.serviceName];
    const alb = (name: string, dims: string[], stat = "Sum"): Metric => [
      "AWS/ApplicationELB",
      name,
      ...dims,
      { stat },
    ];
    const perDb = (name: string): Metric[] =>
      props.databaseIdentifiers.map((db) => ["AWS/RDS", name, "DBInstanceIdentifier", db]);
    let y = 0;
    const widget = (title: string, metrics: Metric[], x: number) => {
      const w = {
        type: "metric",
        x,
        y,
        width: 12,
        height: 6,
        properties: { title, region: props.region, metrics, period: 60, view: "timeSeries" },
      };
      if (x === 12) y += 6;
      return w;
    };
    const widgets = [
      widget(
        "Requests and 5xx",
        [
          alb("RequestCount", lb),
          alb("HTTPCode_ELB_5XX_Count", lb),
          alb("HTTPCode_Target_5XX_Count", lb),
        ],
        0,
      ),
      widget(
        "Target response time",
        [alb("TargetResponseTime", lb, "p50"), alb("TargetResponseTime", lb, "p99")],
        12,
      ),
      widget(
        "Healthy and unhealthy targets",
        [alb("HealthyHostCount", tg, "Maximum"), alb("UnHealthyHostCount", tg, "Maximum")],
        0,
      ),
      widget(
        "Service CPU, memory and tasks",
        [
          ["AWS/ECS", "CPUUtilization", ...ecs],
          ["AWS/ECS", "MemoryUtilization", ...ecs],
          ["ECS/ContainerInsights", "RunningTaskCount", ...ecs],
        ],
        12,
      ),
      widget("Database CPU", perDb("CPUUtilization"), 0),
      widget("Database connections", perDb("DatabaseConnections"), 12),
      widget("Database free storage", perDb("FreeStorageSpace"), 0),
      widget("Replica lag (s)", perDb("ReplicaLag").slice(1), 12),
    ];
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      provider: props.provider,
      dashboardName: buildContext(this, props).naming.name("dashboard", "service"),
      dashboardBody: JSON.stringify({ widgets }),
    });
  }
}
