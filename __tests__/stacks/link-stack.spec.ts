import { FENCE_PATH, FENCE_RESPONSES, recoveryNames } from "../../naming/recovery";
import { configWith, listOf, type SynthJson, synthApp } from "../helpers";

const prod = synthApp(configWith(undefined, "prod"));
const dev = synthApp(configWith(undefined, "dev"));
const link = prod.link!;
const devLink = dev.link!;

/** What the recovery tool derives for prod from config alone. */
const names = recoveryNames({
  project: "hello-you",
  environment: "prod",
  primaryRegion: "us-east-1",
  failoverRegion: "us-west-2",
  serviceName: "hello-you",
});

const providers = (json: SynthJson) =>
  (json.provider?.aws ?? []).map((p) => [p.alias ?? "default", p.region]);

/** What `${data.terraform_remote_state.<input>.outputs.<name>}` reads: that stack's output. */
function remoteValue(reference: unknown, stacks: Record<string, SynthJson>): unknown {
  const match =
    /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-(\w+)\.outputs\.([^}]+)\}$/.exec(
      String(reference),
    );
  if (!match) throw new Error(`not a remote-state output: ${String(reference)}`);
  return stacks[match[1]].output?.[match[2]]?.value;
}
const fromStacks = { primary: prod.primary, failover: prod.failover! };
/** `${aws_lb.<id>.dns_name}` of a stack's ALB. */
const albName = (json: SynthJson) => `\${aws_lb.${Object.keys(json.resource!.aws_lb)[0]}.dns_name}`;

describe("link stack", () => {
  it("works in region B by default, in region A for the peering's far half, in us-east-1 for Route53 metrics", () => {
    expect(providers(link)).toEqual([
      ["default", "us-west-2"],
      ["primary", "us-east-1"],
      ["route53_metrics", "us-east-1"],
    ]);
    expect(providers(devLink)).toEqual([
      ["default", "us-west-2"],
      ["primary", "us-east-1"],
    ]);
  });

  it("deploys after both regions, reading their outputs; no stack depends on it", () => {
    expect([...prod.manifest.stacks.link.dependencies].sort()).toEqual(["failover", "primary"]);
    expect(Object.keys(link.data?.terraform_remote_state ?? {}).sort()).toEqual([
      "cross-stack-reference-input-failover",
      "cross-stack-reference-input-primary",
    ]);
    for (const stack of ["primary", "failover"]) {
      expect(prod.manifest.stacks[stack].dependencies).not.toContain("link");
    }
  });

  it("peers B with A: requested from B, accepted and routed with A's provider, routes both ways", () => {
    const [request] = listOf(link, "aws_vpc_peering_connection");
    expect(request).toMatchObject({ peer_region: "us-east-1" });
    expect(request).not.toHaveProperty("provider");
    expect(remoteValue(request.vpc_id, fromStacks)).toMatch(/^\$\{aws_vpc\.network_vpc_\w+\.id\}$/);
    expect(request.vpc_id).toContain("input-failover");
    expect(request.peer_vpc_id).toContain("input-primary");
    expect(listOf(link, "aws_vpc_peering_connection_accepter")[0]).toMatchObject({
      provider: "aws.primary",
      auto_accept: true,
    });
    const routes = listOf(link, "aws_route").filter((r) => r.vpc_peering_connection_id);
    const toA = routes.filter((r) => !r.provider);
    const toB = routes.filter((r) => r.provider === "aws.primary");
    expect(new Set(toA.map((r) => r.destination_cidr_block))).toEqual(
      new Set(["10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"]),
    );
    expect(toA.every((r) => String(r.route_table_id).includes("input-failover"))).toBe(true);
    expect(toB.map((r) => [r.destination_cidr_block, r.route_table_id])).toEqual([
      ["10.20.64.0/20", expect.stringContaining("input-primary")],
      ["10.20.80.0/20", expect.stringContaining("input-primary")],
    ]);
  });

  it("admits B's app subnets to A's database, with A's provider", () => {
    const rules = link.resource?.aws_vpc_security_group_ingress_rule ?? {};
    expect(Object.keys(rules)).toEqual(["primary-db-from-b-0", "primary-db-from-b-1"]);
    expect(Object.values(rules)).toEqual([
      expect.objectContaining({
        provider: "aws.primary",
        from_port: 5432,
        to_port: 5432,
        cidr_ipv4: "10.20.64.0/20",
        security_group_id: expect.stringContaining("input-primary"),
      }),
      expect.objectContaining({
        provider: "aws.primary",
        from_port: 5432,
        cidr_ipv4: "10.20.80.0/20",
      }),
    ]);
    const primaryDbGroup = remoteValue(Object.values(rules)[0].security_group_id, fromStacks);
    expect(primaryDbGroup).toMatch(/^\$\{aws_security_group\.database_sg_\w+\.id\}$/);
  });

  const parameterNamed = (json: SynthJson, name: string) =>
    listOf(json, "aws_ssm_parameter").filter((p) => p.name === name);

  it("notes A's ALB name in B, where the recovery tool reads it", () => {
    expect(parameterNamed(link, names.primaryEndpointParameter)).toEqual([
      expect.objectContaining({
        name: "/hello-you/prod/dr/primary-endpoint",
        // Encrypted with region B's own key (checkov CKV2_AWS_34), which B's stack creates.
        type: "SecureString",
        key_id: "alias/hello-you-prod-usw2-main",
        value: expect.stringContaining("input-primary"),
      }),
    ]);
    const [parameter] = parameterNamed(link, names.primaryEndpointParameter);
    expect(parameter).not.toHaveProperty("provider");
    expect(remoteValue(parameter.value, fromStacks)).toBe(albName(prod.primary));
    expect(listOf(devLink, "aws_ssm_parameter")).toHaveLength(2);
  });

  it("notes B's ALB name in A, where A's fence enforcer reads the fence", () => {
    const [parameter] = parameterNamed(link, names.fenceLocationParameter);
    expect(parameter).toMatchObject({
      name: "/hello-you/prod/dr/fence-location",
      provider: "aws.primary",
      type: "SecureString",
      key_id: "alias/hello-you-prod-use1-main",
    });
    expect(remoteValue(parameter.value, fromStacks)).toBe(albName(prod.failover!));
  });

  it("checks A's ALB over HTTPS on the health path, and B's fence where B's listener rule answers", () => {
    const checks = Object.fromEntries(
      listOf(link, "aws_route53_health_check").map((c) => [
        (c.tags as { Name: string }).Name.replace("hello-you-prod-usw2-", ""),
        c,
      ]),
    );
    expect(checks["primary-health"]).toMatchObject({
      type: "HTTPS",
      port: 443,
      request_interval: 10,
      failure_threshold: 3,
      resource_path: "/health",
      measure_latency: true,
      fqdn: expect.stringContaining("input-primary"),
    });
    expect(checks.fence).toMatchObject({
      type: "HTTPS_STR_MATCH",
      search_string: FENCE_RESPONSES.fenced.body,
      invert_healthcheck: true,
      port: 443,
      resource_path: FENCE_PATH,
      fqdn: expect.stringContaining("input-failover"),
    });
    expect(remoteValue(checks["primary-health"].fqdn, fromStacks)).toBe(albName(prod.primary));
    // The fence check asks for B's ALB by name: the host B's fence rule answers for.
    const [rule] = listOf(prod.failover!, "aws_lb_listener_rule");
    const conditions = rule.condition as { host_header?: { values: string[] } }[];
    expect([remoteValue(checks.fence.fqdn, fromStacks)]).toEqual(
      conditions.find((c) => c.host_header)!.host_header!.values,
    );
  });

  it("answers with A only while A's check AND the fence pass; B has no check of its own", () => {
    const ids = Object.keys(link.resource?.aws_route53_health_check ?? {});
    const ref = (part: string) =>
      `\${aws_route53_health_check.${ids.find((id) => id.startsWith(`dns-failover_${part}_`))}.id}`;
    expect(listOf(link, "aws_route53_health_check")).toContainEqual(
      expect.objectContaining({
        type: "CALCULATED",
        child_healthchecks: [ref("primary-check"), ref("fence-check")],
        child_health_threshold: 2,
      }),
    );
    const records = listOf(link, "aws_route53_record");
    expect(records).toEqual([
      expect.objectContaining({
        name: "api.example.com",
        failover_routing_policy: { type: "PRIMARY" },
        health_check_id: ref("primary-gate"),
      }),
      expect.objectContaining({
        name: "api.example.com",
        failover_routing_policy: { type: "SECONDARY" },
        alias: expect.objectContaining({ evaluate_target_health: false }),
      }),
    ]);
    expect(records[1]).not.toHaveProperty("health_check_id");
    const target = (r: Record<string, unknown>) => (r.alias as { name: string }).name;
    expect(remoteValue(target(records[0]), fromStacks)).toBe(albName(prod.primary));
    expect(remoteValue(target(records[1]), fromStacks)).toBe(albName(prod.failover!));
    expect(records.every((r) => String(r.zone_id).includes("input-primary"))).toBe(true);
  });

  it("alarms in us-east-1 when Route53 declares A down, to its own topic there", () => {
    const [alarm] = listOf(link, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({
      provider: "aws.route53_metrics",
      namespace: "AWS/Route53",
      dimensions: {
        HealthCheckId: expect.stringMatching(
          /^\$\{aws_route53_health_check\.dns-failover_primary-check_\w+\.id\}$/,
        ),
      },
    });
    expect(listOf(link, "aws_sns_topic")).toEqual([
      expect.objectContaining({
        provider: "aws.route53_metrics",
        name: "hello-you-prod-use1-dns-failover",
      }),
    ]);
  });

  it("outputs the peering and both health checks", () => {
    expect(Object.keys(link.output ?? {}).sort()).toEqual([
      "fence_check_id",
      "health_check_id",
      "peering_id",
    ]);
  });

  it("without a zone: the peering, rules and endpoint note only, no Route53 and no us-east-1", () => {
    expect(listOf(devLink, "aws_route53_health_check")).toEqual([]);
    expect(listOf(devLink, "aws_route53_record")).toEqual([]);
    expect(listOf(devLink, "aws_vpc_peering_connection")).toHaveLength(1);
    expect(listOf(devLink, "aws_vpc_security_group_ingress_rule")).toHaveLength(2);
    expect(Object.keys(devLink.output ?? {})).toEqual(["peering_id"]);
  });
});
