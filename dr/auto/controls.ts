/**
 * What the automatic promotion reads and writes beside the promote steps: its three SSM
 * parameters in region B (switch, latch, state) and the page to region B's alarm topic. An
 * interface, so the specs run the whole handler in memory; the SDK one is below.
 */
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { clientSettings } from "../aws/clients";

export interface AutoControls {
  /** A parameter's value, or undefined when it does not exist. */
  read(name: string): Promise<string | undefined>;
  write(name: string, value: string): Promise<void>;
  page(subject: string, message: string): Promise<void>;
}

/** SNS subjects are at most 100 characters. */
const SUBJECT_MAX = 100;

export function sdkControls(
  region: string,
  topicArn: string,
  env: Readonly<Record<string, string | undefined>>,
): AutoControls {
  const settings = clientSettings(region, env);
  const ssm = new SSMClient(settings);
  const sns = new SNSClient(settings);
  return {
    async read(name) {
      try {
        const out = await ssm.send(new GetParameterCommand({ Name: name }));
        return out.Parameter?.Value;
      } catch (error) {
        if (error instanceof Error && error.name === "ParameterNotFound") return undefined;
        throw error;
      }
    },
    async write(name, value) {
      await ssm.send(new PutParameterCommand({ Name: name, Value: value, Overwrite: true }));
    },
    async page(subject, message) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: subject.slice(0, SUBJECT_MAX),
          Message: message,
        }),
      );
    },
  };
}
