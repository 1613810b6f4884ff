/**
 * The serving half of region B's adapter: ECS, Application Auto Scaling, the load balancer and
 * its fence rule, the VPC peering and the audit log stream.
 */
import {
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeVpcPeeringConnectionsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { DescribeImagesCommand } from "@aws-sdk/client-ecr";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyRuleCommand,
  type Rule,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Listener, ListenerRule, Peering, RegionB } from "./aws";
import type { Clients } from "./clients";
import { allPages, unlessMissing } from "./sdk-data";

const SCALING = { ServiceNamespace: "ecs", ScalableDimension: "ecs:service:DesiredCount" } as const;

export function serviceAdapter(c: Clients): RegionB["service"] {
  return {
    async describe(cluster, service) {
      const out = await unlessMissing(["ClusterNotFoundException"], () =>
        c.ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
      );
      const s = out?.services?.[0];
      if (!s) return undefined;
      return {
        status: s.status ?? "unknown",
        desiredCount: s.desiredCount ?? 0,
        runningCount: s.runningCount ?? 0,
        deployments: (s.deployments ?? []).map((d) => ({
          status: d.status ?? "unknown",
          rolloutState: d.rolloutState,
          createdAt: d.createdAt,
          desiredCount: d.desiredCount ?? 0,
          runningCount: d.runningCount ?? 0,
        })),
      };
    },
    async image(cluster, service) {
      const out = await unlessMissing(["ClusterNotFoundException"], () =>
        c.ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
      );
      const taskDefinition = out?.services?.[0]?.taskDefinition;
      if (!taskDefinition) return undefined;
      const definition = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
      return definition.taskDefinition?.containerDefinitions?.[0]?.image;
    },
    async update(cluster, service, change) {
      await c.ecs.send(new UpdateServiceCommand({ cluster, service, ...change }));
    },
    async scalableTarget(resourceId) {
      const out = await c.autoScaling.send(
        new DescribeScalableTargetsCommand({ ...SCALING, ResourceIds: [resourceId] }),
      );
      const t = out.ScalableTargets?.[0];
      return t ? { min: t.MinCapacity ?? 0, max: t.MaxCapacity ?? 0 } : undefined;
    },
    async registerScalableTarget(resourceId, target) {
      await c.autoScaling.send(
        new RegisterScalableTargetCommand({
          ...SCALING,
          ResourceId: resourceId,
          MinCapacity: target.min,
          MaxCapacity: target.max,
        }),
      );
    },
  };
}

/** Values of a rule condition, in either of the shapes ELB answers with. */
function conditionValues(rule: Rule, field: string): string[] {
  const condition = rule.Conditions?.find((x) => x.Field === field);
  if (!condition) return [];
  const typed =
    field === "path-pattern"
      ? condition.PathPatternConfig?.Values
      : condition.HostHeaderConfig?.Values;
  return [...(condition.Values ?? []), ...(typed ?? [])];
}

function toRule(rule: Rule): ListenerRule {
  const fixed = rule.Actions?.find((a) => a.Type === "fixed-response")?.FixedResponseConfig;
  return {
    arn: rule.RuleArn ?? "",
    priority: rule.Priority ?? "",
    pathPatterns: conditionValues(rule, "path-pattern"),
    hostHeaders: conditionValues(rule, "host-header"),
    fixedResponse: fixed && {
      statusCode: fixed.StatusCode ?? "",
      body: fixed.MessageBody,
      contentType: fixed.ContentType,
    },
  };
}

export function loadBalancingAdapter(c: Clients): RegionB["loadBalancing"] {
  return {
    async findLoadBalancer(name) {
      const out = await unlessMissing(["LoadBalancerNotFoundException"], () =>
        c.elb.send(new DescribeLoadBalancersCommand({ Names: [name] })),
      );
      const lb = out?.LoadBalancers?.[0];
      return lb ? { arn: lb.LoadBalancerArn ?? "", dnsName: lb.DNSName ?? "" } : undefined;
    },
    listeners: (loadBalancerArn) =>
      allPages(async (marker) => {
        const out = await c.elb.send(
          new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }),
        );
        const items: Listener[] = (out.Listeners ?? []).map((l) => ({
          arn: l.ListenerArn ?? "",
          port: l.Port ?? 0,
          protocol: l.Protocol ?? "",
        }));
        return { items, next: out.NextMarker };
      }),
    rules: (listenerArn) =>
      allPages(async (marker) => {
        const out = await c.elb.send(
          new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }),
        );
        return { items: (out.Rules ?? []).map(toRule), next: out.NextMarker };
      }),
    async setFixedResponse(ruleArn, response) {
      await c.elb.send(
        new ModifyRuleCommand({
          RuleArn: ruleArn,
          Actions: [
            {
              Type: "fixed-response",
              FixedResponseConfig: {
                StatusCode: response.statusCode,
                ContentType: response.contentType,
                MessageBody: response.body,
              },
            },
          ],
        }),
      );
    },
    async targetHealth(targetGroupName) {
      const groups = await unlessMissing(["TargetGroupNotFoundException"], () =>
        c.elb.send(new DescribeTargetGroupsCommand({ Names: [targetGroupName] })),
      );
      const arn = groups?.TargetGroups?.[0]?.TargetGroupArn;
      if (!arn) return undefined;
      const out = await c.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      const targets = out.TargetHealthDescriptions ?? [];
      const healthy = targets.filter((t) => t.TargetHealth?.State === "healthy").length;
      return { healthy, total: targets.length };
    },
  };
}

export function networkAdapter(c: Clients): RegionB["network"] {
  return {
    async peerings(vpcName) {
      const vpcs = await c.ec2.send(
        new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: [vpcName] }] }),
      );
      const vpcId = vpcs.Vpcs?.[0]?.VpcId;
      if (!vpcId) return { peerings: [] };
      const found = new Map<string, Peering>();
      for (const side of ["requester-vpc-info.vpc-id", "accepter-vpc-info.vpc-id"]) {
        const out = await c.ec2.send(
          new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: side, Values: [vpcId] }] }),
        );
        for (const p of out.VpcPeeringConnections ?? []) {
          const id = p.VpcPeeringConnectionId ?? "";
          found.set(id, { id, status: p.Status?.Code ?? "unknown" });
        }
      }
      return { vpcId, peerings: [...found.values()] };
    },
  };
}

export function logsAdapter(c: Clients): RegionB["logs"] {
  return {
    async createStream(group, stream) {
      await c.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    },
    async put(group, stream, events) {
      await c.logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          logEvents: [...events],
        }),
      );
    },
  };
}

export function imagesAdapter(c: Clients): RegionB["images"] {
  return {
    async holds(repositoryName, reference) {
      const imageId = reference.startsWith("sha256:")
        ? { imageDigest: reference }
        : { imageTag: reference };
      const out = await unlessMissing(
        ["ImageNotFoundException", "RepositoryNotFoundException"],
        () => c.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [imageId] })),
      );
      return Boolean(out?.imageDetails?.length);
    },
  };
}
