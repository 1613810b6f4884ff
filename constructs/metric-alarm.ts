import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";

/** What differs between alarms; actions, naming and defaults are filled in by `metricAlarm`. */
export type AlarmSpec = Omit<
  CloudwatchMetricAlarmConfig,
  "alarmName" | "alarmActions" | "okActions" | "provider"
> & {
  readonly id: string;
};

/**
 * An alarm that notifies `topicArn` both when it fires and when it recovers: an alarm without
 * actions is seen by nobody, and the recovery tells the on-call engineer to stand down.
 */
export function metricAlarm(
  scope: Construct,
  spec: AlarmSpec,
  context: {
    name: (suffix: string) => string;
    topicArn: string;
    provider?: CloudwatchMetricAlarmConfig["provider"];
  },
): CloudwatchMetricAlarm {
  const { id, ...config } = spec;
  return new CloudwatchMetricAlarm(scope, id, {
    treatMissingData: "missing",
    ...config,
    provider: context.provider,
    alarmName: context.name(id),
    alarmActions: [context.topicArn],
    okActions: [context.topicArn],
  });
}
