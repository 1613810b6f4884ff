import { readFileSync } from "node:fs";
import type { AwsContext } from "./aws-context";
import { type PolicyStatement, shippedFile } from "./common";

/**
 * The script region A's tasks run before the app (constructs/fence-start-check/check.py):
 * Python's standard library only, since it runs in the app's own image.
 */
export const FENCE_START_CHECK_SCRIPT = shippedFile("constructs/fence-start-check/check.py");

/** Name of the container that checks the fence; the app container waits for it to succeed. */
export const FENCE_CHECK_CONTAINER = "fence-check";

/** Where region B's fence is and how to read it: the same inputs as the fence enforcer's. */
export interface FenceStartCheckSpec {
  /**
   * SSM parameter in the service's region holding region B's ALB DNS name (`link` writes it).
   * Until it exists every task starts.
   */
  readonly fenceLocationParameter: string;
  /** Path of the fence on B's ALB. */
  readonly fencePath: string;
  /**
   * The name B's certificate carries: the fence is read over HTTPS with it as TLS name.
   * @default undefined: plain HTTP (an environment without a DNS zone), which also opens port 80
   * outbound from the tasks
   */
  readonly tlsServerName?: string;
  /** Key of the SecureString parameter, decrypted through SSM only. */
  readonly parameterKeyArn: string;
  /**
   * Python interpreter in the app's image.
   * @default "python3"
   */
  readonly interpreter?: string;
}

/** What the check container shares with the app container. */
export interface CheckContainerBase {
  readonly image: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly readonlyRootFilesystem: boolean;
}

/**
 * A non-essential container of the app's image that exits 1 only when region B's fence reads
 * "fenced"; the app container depends on its SUCCESS, so a fenced region's task stops before
 * the app starts.
 */
export function fenceCheckContainer(
  spec: FenceStartCheckSpec,
  base: CheckContainerBase,
): Record<string, unknown> {
  const environment: Record<string, string> = {
    AWS_REGION: base.region,
    FENCE_LOCATION_PARAMETER: spec.fenceLocationParameter,
    FENCE_PATH: spec.fencePath,
    FENCE_PROTOCOL: spec.tlsServerName ? "https:" : "http:",
    ...(spec.tlsServerName ? { FENCE_SERVER_NAME: spec.tlsServerName } : {}),
  };
  return {
    name: FENCE_CHECK_CONTAINER,
    image: base.image,
    // -I: no user site or environment paths, so nothing in the image changes what runs.
    entryPoint: [spec.interpreter ?? "python3", "-I", "-c"],
    command: [readFileSync(FENCE_START_CHECK_SCRIPT, "utf8")],
    essential: false,
    environment: Object.keys(environment)
      .sort()
      .map((name) => ({ name, value: environment[name] })),
    readonlyRootFilesystem: base.readonlyRootFilesystem,
    privileged: false,
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": base.logGroupName,
        "awslogs-region": base.region,
        "awslogs-stream-prefix": FENCE_CHECK_CONTAINER,
      },
    },
  };
}

/** The task role's part: read that one parameter, decrypting through SSM only. */
export function fenceCheckStatements(
  spec: FenceStartCheckSpec,
  aws: AwsContext,
): PolicyStatement[] {
  return [
    {
      Sid: "ReadWhereRegionBsFenceIs",
      Effect: "Allow",
      Action: "ssm:GetParameter",
      Resource: `arn:${aws.partition}:ssm:${aws.region}:${aws.accountId}:parameter${spec.fenceLocationParameter}`,
    },
    {
      Sid: "DecryptItThroughSsmOnly",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: spec.parameterKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `ssm.${aws.region}.amazonaws.com` } },
    },
  ];
}
