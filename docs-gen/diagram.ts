/**
 * The architecture diagram, drawn from the synthesized stacks rather than by hand: every node is
 * a resource (or a group of like resources) found in the Terraform JSON, placed in its stack,
 * VPC and subnet tier as its references say, and every edge is a reference between them (within
 * a stack, or across stacks through remote state and derived ARNs). Graphviz lays it out
 * (`renderSvg`). `npm run docs:diagram` writes images/architecture.svg; a spec fails when the
 * committed picture no longer matches what the stacks synthesize.
 */

/** A resource's synthesized arguments. */
type Res = Readonly<Record<string, unknown>>;

export interface SynthStack {
  readonly name: string;
  readonly json: {
    readonly resource?: Readonly<Record<string, Readonly<Record<string, Res>>>>;
    readonly provider?: Readonly<Record<string, readonly Res[]>>;
  };
}

type Tier = "public" | "app" | "data";

interface Kind {
  /** The node's label for `resources` (all of one kind, stack and place). */
  readonly label: (resources: Res[]) => string;
  /** Where traffic and data flow: an edge points from the lower to the higher. */
  readonly flow: number;
  /** Drawn beside the VPC even when it references subnets (alarms name what they watch). */
  readonly unplaced?: boolean;
  readonly shape?: string;
  /** Drawn, but its references make no edges (it references nearly everything). */
  readonly quiet?: boolean;
  /** Edges only to these kinds. */
  readonly only?: readonly string[];
}

const count = (rs: Res[], one: string, many = `${one}s`) =>
  rs.length === 1 ? one : `${rs.length} ${many}`;

/** Kinds of node, by a resource's type (and, for a few, its arguments). */
function kindOf(type: string, r: Res): string | undefined {
  switch (type) {
    case "aws_db_instance":
      return r.replicate_source_db
        ? String(r.replicate_source_db).startsWith("arn:")
          ? "cross-region-replica"
          : "replica"
        : "writer";
    case "aws_instance":
      return r.source_dest_check === false ? "nat-instance" : "bastion";
    case "aws_vpc_endpoint":
      return r.vpc_endpoint_type === "Interface" ? "interface-endpoint" : "gateway-endpoint";
    case "aws_route53_record":
      // Alias records carry traffic; the certificate's validation CNAME does not.
      return r.alias ? "record" : undefined;
    default:
      return type in TYPE_KINDS ? TYPE_KINDS[type] : undefined;
  }
}

const TYPE_KINDS: Readonly<Record<string, string>> = {
  aws_lb: "alb",
  aws_wafv2_web_acl: "waf",
  aws_ecs_service: "service",
  aws_nat_gateway: "nat-gateway",
  aws_internet_gateway: "igw",
  aws_secretsmanager_secret: "secret",
  aws_kms_key: "kms",
  aws_sns_topic: "topic",
  aws_cloudwatch_metric_alarm: "alarm",
  aws_route53_health_check: "health-check",
  aws_vpc_peering_connection: "peering",
  aws_s3_bucket: "bucket",
  aws_ssm_parameter: "parameter",
  aws_db_instance_automated_backups_replication: "backups",
  aws_lb_listener_rule: "fence",
};

/** `secretsmanager` from `com.amazonaws.<region>.secretsmanager`, the region interpolated or not. */
const endpointService = (name: unknown) =>
  String(name)
    .replace(/^.*\}\./, "")
    .replace(/^com\.amazonaws\.[a-z0-9-]+\./, "");

const KINDS: Readonly<Record<string, Kind>> = {
  record: {
    label: (rs) =>
      `Route53 failover records\n${rs.map((r) => String((r.failover_routing_policy as Res | undefined)?.type ?? "alias")).join(" / ")}`,
    shape: "hexagon",
    flow: 0,
  },
  "health-check": {
    label: (rs) =>
      `${count(rs, "Route53 health check")}\n${rs.map((r) => String(r.type)).join(", ")}`,
    shape: "hexagon",
    flow: 1,
  },
  waf: { label: (rs) => `WAF web ACL\n${(rs[0].rule as unknown[]).length} rules`, flow: 2 },
  alb: { label: () => "Application Load Balancer", flow: 3 },
  fence: { label: () => "Fence listener rule", flow: 4, only: ["alb"] },
  bucket: { label: () => "S3 access logs", shape: "folder", flow: 5 },
  service: {
    label: (rs) => `ECS Fargate service\n${String(rs[0].desired_count)} task(s) at creation`,
    flow: 6,
  },
  bastion: { label: (rs) => `Bastion\n${String(rs[0].instance_type)}`, flow: 6 },
  secret: { label: (rs) => count(rs, "Secrets Manager secret"), shape: "note", flow: 7 },
  parameter: { label: () => "SSM parameter", shape: "note", flow: 2 },
  "interface-endpoint": {
    label: (rs) =>
      `${count(rs, "interface endpoint")}\n${rs.map((r) => endpointService(r.service_name)).join(", ")}`,
    flow: 7,
  },
  "gateway-endpoint": { label: () => "S3 gateway endpoint", flow: 7 },
  "nat-gateway": { label: (rs) => count(rs, "NAT gateway"), flow: 8 },
  "nat-instance": {
    label: (rs) => `NAT instance\n${String(rs[0].instance_type)}, HTTPS only`,
    flow: 8,
  },
  igw: { label: () => "Internet gateway", flow: 9 },
  peering: { label: () => "VPC peering", shape: "cds", flow: 9 },
  writer: {
    label: (rs) =>
      `RDS PostgreSQL writer\n${String(rs[0].instance_class)}${rs[0].multi_az ? ", Multi-AZ" : ""}`,
    shape: "cylinder",
    flow: 10,
  },
  replica: {
    label: (rs) => `In-region read replica\n${String(rs[0].instance_class)}`,
    shape: "cylinder",
    flow: 11,
  },
  "cross-region-replica": {
    label: (rs) => `Cross-region replica\n${String(rs[0].instance_class)}`,
    shape: "cylinder",
    flow: 11,
  },
  backups: { label: () => "Automated backups\nreplicated", shape: "folder", flow: 11 },
  alarm: {
    label: (rs) => count(rs, "CloudWatch alarm"),
    only: ["topic"],
    unplaced: true,
    flow: 12,
  },
  topic: { label: () => "SNS alarm topic", flow: 13 },
  kms: { label: () => "KMS key", quiet: true, shape: "component", flow: 14 },
};

/** Types a reference path may pass through between two nodes: wiring, not hubs. */
const CONNECTORS = new Set([
  "aws_lb_target_group",
  "aws_lb_listener",
  "aws_wafv2_web_acl_association",
  "aws_route",
  "aws_eip",
  "aws_security_group",
  "aws_vpc_security_group_ingress_rule",
  "aws_ecs_task_definition",
  "aws_db_subnet_group",
]);

/** Wiring resources an edge may pass through. */
const MAX_CONNECTORS = 3;

interface Located {
  readonly stack: string;
  readonly type: string;
  readonly id: string;
  readonly res: Res;
  readonly kind?: string;
  readonly vpc?: string;
  readonly tier?: Tier;
  readonly region: string;
}

const REF = /\$\{([^}]*)\}/g;
const RESOURCE_REF = /\b((?:aws|random|github)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;
const REMOTE =
  /data\.terraform_remote_state\.cross-stack-reference-input-([a-z-]+)\.outputs\.cross-stack-output-([A-Za-z0-9_-]+)/g;

/** Every resource of every stack, with the references it makes, as `stack/type.id` keys. */
function index(stacks: readonly SynthStack[]) {
  const all = new Map<string, Located>();
  const refs = new Map<string, Set<string>>();
  const byStack = new Map(stacks.map((s) => [s.name, s]));
  for (const stack of stacks) {
    const regions: Record<string, string> = {};
    for (const p of stack.json.provider?.aws ?? []) {
      regions[p.alias ? `aws.${String(p.alias)}` : "aws"] = String(p.region);
    }
    for (const [type, byId] of Object.entries(stack.json.resource ?? {})) {
      for (const [id, res] of Object.entries(byId)) {
        all.set(`${stack.name}/${type}.${id}`, {
          stack: stack.name,
          type,
          id,
          res,
          kind: kindOf(type, res),
          region: regions[String(res.provider ?? "aws")] ?? "",
        });
      }
    }
  }
  for (const [key, r] of all) {
    const out = new Set<string>();
    const text = JSON.stringify(r.res);
    // `depends_on` lists addresses as plain strings.
    for (const dep of (r.res.depends_on as string[] | undefined) ?? []) {
      if (all.has(`${r.stack}/${dep}`)) out.add(`${r.stack}/${dep}`);
    }
    for (const [, expr] of text.matchAll(REF)) {
      for (const [, type, id] of expr.matchAll(RESOURCE_REF)) {
        if (all.has(`${r.stack}/${type}.${id}`)) out.add(`${r.stack}/${type}.${id}`);
      }
      for (const [, producer, output] of expr.matchAll(REMOTE)) {
        const target = remoteTarget(byStack.get(producer), output);
        if (target) out.add(`${producer}/${target}`);
      }
    }
    // Region B's replica and backup copies name A's writer by a derived ARN, not a reference.
    for (const [, identifier] of text.matchAll(/:rds:[a-z0-9-]+:[^:"]*:db:([a-z0-9-]+)/g)) {
      for (const [other, o] of all) {
        if (o.type === "aws_db_instance" && o.res.identifier === identifier) out.add(other);
      }
    }
    refs.set(key, out);
  }
  return { all, refs };
}

/** `type.id` of the producer's resource a cross-stack output (`<type><id><attribute>`) names. */
function remoteTarget(producer: SynthStack | undefined, output: string): string | undefined {
  for (const [type, byId] of Object.entries(producer?.json.resource ?? {})) {
    if (!output.startsWith(type)) continue;
    for (const id of Object.keys(byId)) {
      if (output.startsWith(`${type}${id}`)) return `${type}.${id}`;
    }
  }
  return undefined;
}

/** The VPC and subnet tier a resource sits in, from the subnets and VPC it references. */
function placement(key: string, all: Map<string, Located>, refs: Map<string, Set<string>>) {
  const tiers = new Set<Tier>();
  let vpc: string | undefined;
  const seen = new Set<string>();
  const walk = (k: string, depth: number) => {
    if (seen.has(k) || depth > 2) return;
    seen.add(k);
    for (const target of refs.get(k) ?? []) {
      const t = all.get(target)!;
      if (t.stack !== all.get(key)!.stack) continue;
      if (t.type === "aws_subnet") {
        tiers.add((t.res.tags as Res | undefined)?.tier as Tier);
        vpc ??= [...(refs.get(target) ?? [])].find((v) => all.get(v)?.type === "aws_vpc");
      } else if (t.type === "aws_vpc") vpc ??= target;
      else if (!t.kind) walk(target, depth + 1);
    }
  };
  walk(key, 0);
  return { vpc, tier: tiers.size === 1 ? [...tiers][0] : undefined };
}

interface Node {
  readonly id: string;
  readonly stack: string;
  readonly kind: string;
  readonly vpc?: string;
  readonly tier?: Tier;
  readonly members: Located[];
}

/** The graph: nodes (like resources grouped per stack and place) and edges between them. */
export function architectureModel(stacks: readonly SynthStack[]) {
  const { all, refs } = index(stacks);
  const nodes = new Map<string, Node>();
  const nodeOf = new Map<string, string>();
  for (const [key, r] of all) {
    if (!r.kind) continue;
    const { vpc, tier } = KINDS[r.kind].unplaced ? {} : placement(key, all, refs);
    const id = [r.stack, r.kind, vpc ?? "", tier ?? ""].join("|");
    const node = nodes.get(id) ?? { id, stack: r.stack, kind: r.kind, vpc, tier, members: [] };
    node.members.push({ ...r, vpc, tier });
    nodes.set(id, node);
    nodeOf.set(key, id);
  }
  // References both ways: a connector joins what it references and what references it.
  const adjacent = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!adjacent.has(a)) adjacent.set(a, new Set());
    adjacent.get(a)!.add(b);
  };
  for (const [from, targets] of refs) {
    for (const to of targets) {
      link(from, to);
      link(to, from);
    }
  }
  const edges = new Map<string, [string, string]>();
  for (const [key, from] of nodeOf) {
    const kind = KINDS[nodes.get(from)!.kind];
    if (kind.quiet) continue;
    // Breadth-first through at most MAX_CONNECTORS wiring resources, never through hubs (VPC,
    // subnets, roles, keys), which would join unrelated parts.
    let frontier = [key];
    const seen = new Set(frontier);
    for (let depth = 0; depth <= MAX_CONNECTORS && frontier.length; depth++) {
      const next: string[] = [];
      for (const k of frontier) {
        for (const n of adjacent.get(k) ?? []) {
          if (seen.has(n)) continue;
          seen.add(n);
          const to = nodeOf.get(n);
          if (to) {
            const target = nodes.get(to)!;
            const allowed = (a: Kind, b: string) => !a.only || a.only.includes(b);
            const tk = KINDS[target.kind];
            if (
              to !== from &&
              !tk.quiet &&
              allowed(kind, target.kind) &&
              allowed(tk, nodes.get(from)!.kind)
            ) {
              const [a, b] = kind.flow <= tk.flow ? [from, to] : [to, from];
              edges.set([a, b].sort().join("\u0000"), [a, b]);
            }
          } else if (CONNECTORS.has(all.get(n)!.type)) next.push(n);
        }
      }
      frontier = next;
    }
  }
  // The peering references the two VPCs, which are clusters rather than nodes: an edge to each
  // VPC's internet gateway, clipped at the VPC's border.
  const peerings: { from: string; vpc: string; to: string }[] = [];
  for (const [key, from] of nodeOf) {
    if (nodes.get(from)!.kind !== "peering") continue;
    for (const vpc of refs.get(key) ?? []) {
      const gateway = [...nodes.values()].find((n) => n.kind === "igw" && n.vpc === vpc);
      if (gateway) peerings.push({ from, vpc, to: gateway.id });
    }
  }
  const regionOf = (stack: string) =>
    [...all.values()].find((r) => r.stack === stack && r.kind)?.region ?? "";
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()].sort(
      ([a1, b1], [a2, b2]) => a1.localeCompare(a2) || b1.localeCompare(b2),
    ),
    peerings,
    cidrOf: (vpc: string) => String(all.get(vpc)?.res.cidr_block ?? ""),
    regionOf,
  };
}

const quote = (s: string) =>
  `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
const STACK_TITLES: Readonly<Record<string, string>> = {
  primary: "stack primary: region A",
  failover: "stack failover: region B, the pilot light",
  link: "stack link: both regions and Route53",
  delivery: "stack delivery",
};
const TIER_TITLES: Readonly<Record<Tier, string>> = {
  public: "public subnets",
  app: "app subnets",
  data: "data subnets",
};

/** Graphviz DOT for the stacks, with stable ids and order: the same stacks give the same text. */
export function architectureDot(stacks: readonly SynthStack[], title = ""): string {
  const model = architectureModel(stacks);
  const ids = new Map(model.nodes.map((n, i) => [n.id, `n${i}`]));
  const vpcClusters = new Map<string, string>();
  const lines = [
    "digraph architecture {",
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, compound=true, newrank=true, nodesep=0.25, ranksep=0.5];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
    '  edge [color="#555555", arrowsize=0.6];',
    '  clients [label="Clients", shape=oval];',
    `  label=${quote(title)}; labelloc=b; fontsize=10;`,
  ];
  const node = (n: Node, indent: string) => {
    const kind = KINDS[n.kind];
    const shape = kind.shape ? `, shape=${kind.shape}` : "";
    lines.push(
      `${indent}${ids.get(n.id)} [label=${quote(kind.label(n.members.map((m) => m.res)))}${shape}];`,
    );
  };
  const stackNames = stacks
    .map((s) => s.name)
    .filter((s) => model.nodes.some((n) => n.stack === s));
  stackNames.forEach((stack, si) => {
    const region = model.regionOf(stack);
    lines.push(
      `  subgraph cluster_s${si} {`,
      `    label=${quote(`${STACK_TITLES[stack] ?? `stack ${stack}`}${region ? ` (${region})` : ""}`)};`,
      '    style="rounded"; color="#888888"; labelloc=t; fontsize=12;',
    );
    const mine = model.nodes.filter((n) => n.stack === stack);
    const vpcs = [...new Set(mine.map((n) => n.vpc).filter((v): v is string => Boolean(v)))];
    vpcs.forEach((vpc, vi) => {
      vpcClusters.set(vpc, `cluster_s${si}_v${vi}`);
      lines.push(
        `    subgraph cluster_s${si}_v${vi} {`,
        `      label=${quote(`VPC ${model.cidrOf(vpc)}`)}; style="dashed"; labelloc=t;`,
      );
      for (const n of mine.filter((m) => m.vpc === vpc && !m.tier)) node(n, "      ");
      (["public", "app", "data"] as const).forEach((tier) => {
        const inTier = mine.filter((m) => m.vpc === vpc && m.tier === tier);
        if (!inTier.length) return;
        lines.push(
          `      subgraph cluster_s${si}_v${vi}_${tier} {`,
          `        label=${quote(TIER_TITLES[tier])}; style="filled"; fillcolor="#f3f6fa"; color="#c8d2dc"; labelloc=t;`,
        );
        for (const n of inTier) node(n, "        ");
        lines.push("      }");
      });
      lines.push("    }");
    });
    for (const n of mine.filter((m) => !m.vpc)) node(n, "    ");
    lines.push("  }");
  });
  // Clients reach the Route53 records when there are any, else the load balancers.
  const entry = model.nodes.filter((n) => n.kind === "record");
  for (const n of entry.length ? entry : model.nodes.filter((m) => m.kind === "alb")) {
    lines.push(`  clients -> ${ids.get(n.id)};`);
  }
  for (const [from, to] of model.edges) lines.push(`  ${ids.get(from)} -> ${ids.get(to)};`);
  for (const p of model.peerings) {
    lines.push(
      `  ${ids.get(p.from)} -> ${ids.get(p.to)} [lhead=${vpcClusters.get(p.vpc)}, dir=both, style=dashed];`,
    );
  }
  lines.push("}", "");
  return lines.join("\n");
}

/** SVG of `dot`, laid out by Graphviz (compiled to WebAssembly: @hpcc-js/wasm-graphviz). */
export async function renderSvg(dot: string): Promise<string> {
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, "svg");
}
