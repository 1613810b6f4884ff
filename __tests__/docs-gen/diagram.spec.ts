import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { architectureDot, architectureModel, type SynthStack } from "../../docs-gen/diagram";

const ROOT = join(__dirname, "..", "..");

/** Two small stacks: A with a VPC, an ALB and a service behind it, a writer; B's replica of it. */
function stacks(): SynthStack[] {
  const subnet = (tier: string) => ({ vpc_id: "${aws_vpc.vpc.id}", tags: { tier } });
  const a: SynthStack = {
    name: "primary",
    json: {
      provider: { aws: [{ region: "us-east-1" }] },
      resource: {
        aws_vpc: { vpc: { cidr_block: "10.10.0.0/16" } },
        aws_subnet: { pub: subnet("public"), app: subnet("app"), data: subnet("data") },
        aws_lb: { alb: { subnets: ["${aws_subnet.pub.id}"] } },
        aws_lb_target_group: { tg: { vpc_id: "${aws_vpc.vpc.id}" } },
        aws_lb_listener: {
          http: {
            load_balancer_arn: "${aws_lb.alb.arn}",
            default_action: [{ target_group_arn: "${aws_lb_target_group.tg.arn}" }],
          },
        },
        aws_ecs_service: {
          svc: {
            desired_count: 2,
            network_configuration: { subnets: ["${aws_subnet.app.id}"] },
            load_balancer: [{ target_group_arn: "${aws_lb_target_group.tg.arn}" }],
          },
        },
        aws_db_subnet_group: { dbs: { subnet_ids: ["${aws_subnet.data.id}"] } },
        aws_db_instance: {
          writer: {
            identifier: "app-use1-db",
            instance_class: "db.t4g.small",
            multi_az: true,
            db_subnet_group_name: "${aws_db_subnet_group.dbs.name}",
          },
        },
        aws_cloudwatch_metric_alarm: {
          a1: { dimensions: { LoadBalancer: "${aws_lb.alb.arn_suffix}" } },
          a2: { dimensions: { DBInstanceIdentifier: "${aws_db_instance.writer.identifier}" } },
        },
      },
    },
  };
  const b: SynthStack = {
    name: "failover",
    json: {
      provider: { aws: [{ region: "us-west-2" }] },
      resource: {
        aws_db_instance: {
          replica: {
            instance_class: "db.t4g.small",
            replicate_source_db:
              "arn:${data.aws_partition.p.partition}:rds:us-east-1:${data.aws_caller_identity.c.account_id}:db:app-use1-db",
          },
        },
      },
    },
  };
  const link: SynthStack = {
    name: "link",
    json: {
      provider: { aws: [{ region: "us-west-2" }] },
      resource: {
        aws_route53_health_check: {
          check: {
            type: "HTTPS",
            fqdn: "${data.terraform_remote_state.cross-stack-reference-input-primary.outputs.cross-stack-output-aws_lbalbdns_name}",
          },
        },
      },
    },
  };
  return [a, b, link];
}

const label = (model: ReturnType<typeof architectureModel>, id: string) =>
  model.nodes.find((n) => n.id === id)!.kind;

describe("architecture diagram", () => {
  it("places each resource in its stack, VPC and subnet tier, as its references say", () => {
    const model = architectureModel(stacks());
    const where = Object.fromEntries(model.nodes.map((n) => [n.kind, [n.stack, n.vpc, n.tier]]));
    expect(where).toEqual({
      alb: ["primary", "primary/aws_vpc.vpc", "public"],
      service: ["primary", "primary/aws_vpc.vpc", "app"],
      writer: ["primary", "primary/aws_vpc.vpc", "data"],
      alarm: ["primary", undefined, undefined],
      "cross-region-replica": ["failover", undefined, undefined],
      "health-check": ["link", undefined, undefined],
    });
    // Like resources of one stack and place are one node.
    expect(model.nodes.find((n) => n.kind === "alarm")!.members).toHaveLength(2);
  });

  it("draws an edge for each reference, through wiring only, across stacks too, in the flow's direction", () => {
    const model = architectureModel(stacks());
    const edges = model.edges.map(([from, to]) => `${label(model, from)} -> ${label(model, to)}`);
    expect(edges.sort()).toEqual(
      [
        // The listener and target group join the ALB and the service.
        "alb -> service",
        // Region B's replica names A's writer by a derived ARN.
        "writer -> cross-region-replica",
        // The link stack's check reads A's ALB through remote state.
        "health-check -> alb",
      ].sort(),
    );
    // Alarms reference what they watch, but only their topic makes an edge (none here).
    expect(edges.filter((e) => e.startsWith("alarm"))).toEqual([]);
  });

  it("writes the same DOT for the same stacks, with titled clusters per stack, VPC and tier", () => {
    const dot = architectureDot(stacks(), "title");
    expect(architectureDot(stacks(), "title")).toBe(dot);
    expect(dot).toContain('label="stack primary: region A (us-east-1)"');
    expect(dot).toContain('label="VPC 10.10.0.0/16"');
    expect(dot).toContain('label="app subnets"');
    expect(dot).toContain('label="RDS PostgreSQL writer\\ndb.t4g.small, Multi-AZ"');
    expect(dot).toMatch(/clients -> n\d+;/);
  });

  it("the committed images/architecture.svg is what the synthesized prod stacks draw", () => {
    const check = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/diagram.ts", "--check"],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});
