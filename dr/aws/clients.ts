/**
 * The SDK clients of `npm run dr`, every one for region B: when region A is lost, its APIs may
 * be gone too, so recovery must not need them.
 *
 * For the emulator rehearsal, `HELLO_YOU_DR_ENDPOINT` (a template such as
 * `http://{region}.aws.emulator`) replaces every service endpoint, and `HELLO_YOU_DR_PROXY`
 * (such as `http://127.0.0.1:45678`) sends the requests through that plain-HTTP forward proxy.
 *
 * Credentials come from the default chain (environment, SSO, web identity, profiles, container or
 * instance role), with every STS call the chain makes sent to region B's own regional endpoint
 * (`sts.<B>.amazonaws.com`): a profile that assumes a role, or a web-identity token, must not
 * need STS in region A, nor the global endpoint homed in us-east-1 (docs/disaster-recovery.md,
 * "Credentials when region A is gone").
 */
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export const ENDPOINT_VARIABLE = "HELLO_YOU_DR_ENDPOINT";
export const PROXY_VARIABLE = "HELLO_YOU_DR_PROXY";

type Env = Readonly<Record<string, string | undefined>>;
type HandlerRequest = Parameters<NodeHttpHandler["handle"]>[0];
type HandlerOptions = Parameters<NodeHttpHandler["handle"]>[1];

/**
 * Sends every request to a forward proxy in absolute form (`POST http://host/path`), keeping
 * the Host header the request was signed with, so the proxy knows where it was meant to go.
 */
export class ForwardProxyHandler extends NodeHttpHandler {
  constructor(private readonly proxy: URL) {
    super();
  }

  override handle(request: HandlerRequest, options?: HandlerOptions) {
    if (request.protocol !== "http:") {
      throw new Error(
        `${PROXY_VARIABLE}: the proxy carries plain HTTP only, and this request is for ${request.protocol}//${request.hostname}; set ${ENDPOINT_VARIABLE} to an http:// template`,
      );
    }
    const authority = `${request.hostname}${request.port ? `:${request.port}` : ""}`;
    const proxied: HandlerRequest = Object.assign(
      Object.create(Object.getPrototypeOf(request) as object) as HandlerRequest,
      request,
      {
        hostname: this.proxy.hostname,
        port: Number(this.proxy.port || 80),
        path: `http://${authority}${request.path}`,
        headers: { ...request.headers, host: request.headers.host ?? authority },
      },
    );
    return super.handle(proxied, options);
  }
}

export interface ClientSettings {
  readonly region: string;
  readonly endpoint?: string;
  readonly requestHandler?: NodeHttpHandler;
}

/** Region, endpoint and request handler for every client, from the override variables. */
export function clientSettings(region: string, env: Env): ClientSettings {
  const template = env[ENDPOINT_VARIABLE]?.trim();
  const proxy = env[PROXY_VARIABLE]?.trim();
  let endpoint: string | undefined;
  if (template) {
    endpoint = template.replaceAll("{region}", region);
    if (!URL.canParse(endpoint)) {
      throw new Error(
        `${ENDPOINT_VARIABLE}: "${template}" does not give a URL; use a template such as http://{region}.aws.emulator`,
      );
    }
  }
  if (!proxy) return { region, endpoint };
  if (!URL.canParse(proxy) || new URL(proxy).protocol !== "http:") {
    throw new Error(
      `${PROXY_VARIABLE}: "${proxy}" is not an http:// proxy URL such as http://127.0.0.1:45678`,
    );
  }
  if (!endpoint) {
    throw new Error(
      `${PROXY_VARIABLE} is set without ${ENDPOINT_VARIABLE}: the proxy carries plain HTTP only, so set ${ENDPOINT_VARIABLE} to an http:// template such as http://{region}.aws.emulator, or unset ${PROXY_VARIABLE}`,
    );
  }
  return { region, endpoint, requestHandler: new ForwardProxyHandler(new URL(proxy)) };
}

/**
 * The default credential chain, its STS client pinned to `settings.region`: the provider's own
 * `clientConfig.region` outranks a `region` in the profile and the caller's region (SDK v3
 * `resolveRegion`), and the SDK's STS endpoint rules give the regional endpoint for it.
 */
export function regionalCredentials(settings: ClientSettings) {
  const { region, endpoint, requestHandler } = settings;
  return defaultProvider({
    clientConfig: {
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(requestHandler ? { requestHandler } : {}),
    },
  });
}

export interface Clients {
  readonly rds: RDSClient;
  readonly cloudWatch: CloudWatchClient;
  readonly secrets: SecretsManagerClient;
  readonly ssm: SSMClient;
  readonly ecs: ECSClient;
  readonly autoScaling: ApplicationAutoScalingClient;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly logs: CloudWatchLogsClient;
  readonly ec2: EC2Client;
  readonly ecr: ECRClient;
}

/** One client per service, all for `region` (region B). */
export function createClients(region: string, env: Env): Clients {
  // The pinned SDK release runs on Node 20 (package.json engines); its notice is about later
  // releases, and in an incident it is only noise in front of the steps.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const base = clientSettings(region, env);
  // One provider for every client: one STS call, cached until the credentials near expiry.
  const settings = { ...base, credentials: regionalCredentials(base) };
  return {
    rds: new RDSClient(settings),
    cloudWatch: new CloudWatchClient(settings),
    secrets: new SecretsManagerClient(settings),
    ssm: new SSMClient(settings),
    ecs: new ECSClient(settings),
    autoScaling: new ApplicationAutoScalingClient(settings),
    elb: new ElasticLoadBalancingV2Client(settings),
    logs: new CloudWatchLogsClient(settings),
    ec2: new EC2Client(settings),
    ecr: new ECRClient(settings),
  };
}
