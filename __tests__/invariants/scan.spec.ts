import type { SynthJson } from "../helpers";
import {
  autoscaledServicesResetCount,
  nameCollisions,
  namesOverLimit,
  openIngress,
  secretLiterals,
  unencrypted,
  wildcardStatements,
} from "./scan";

/** Each rule, fed a crafted violation, must report it: the invariants can fail. */
const res = (resource: SynthJson["resource"]): SynthJson => ({ resource });
const policy = (statement: object) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("invariant scanners catch what they are for", () => {
  it("wildcard actions and resources, unless allow-listed; Deny is fine", () => {
    const json = res({
      aws_iam_role_policy: {
        bad: {
          policy: policy({
            Sid: "Anything",
            Effect: "Allow",
            Action: "s3:*",
            Resource: "arn:aws:s3:::b",
          }),
        },
        star: { policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) },
        listed: {
          policy: policy({
            Sid: "EcrLogin",
            Effect: "Allow",
            Action: "ecr:GetAuthorizationToken",
            Resource: "*",
          }),
        },
        deny: { policy: policy({ Effect: "Deny", Action: "*", Resource: "*" }) },
      },
    });
    expect(wildcardStatements(json)).toEqual([
      "aws_iam_role_policy.bad: statement Anything allows a wildcard action",
      "aws_iam_role_policy.star: statement (no Sid) allows resource *",
    ]);
  });

  it("internet ingress outside the ALB's 80/443", () => {
    const json = res({
      aws_vpc_security_group_ingress_rule: {
        alb: {
          security_group_id: "${aws_security_group.load-balancer_sg_1.id}",
          cidr_ipv4: "0.0.0.0/0",
          from_port: 443,
          to_port: 443,
        },
        ssh: {
          security_group_id: "${aws_security_group.bastion_sg_1.id}",
          cidr_ipv4: "0.0.0.0/0",
          from_port: 22,
          to_port: 22,
        },
        v6: {
          security_group_id: "${aws_security_group.load-balancer_sg_1.id}",
          cidr_ipv6: "::/0",
          from_port: 0,
          to_port: 65535,
        },
      },
      aws_security_group: {
        inline: { ingress: [{ cidr_blocks: ["0.0.0.0/0"], from_port: 5432, to_port: 5432 }] },
      },
    });
    expect(openIngress(json)).toEqual([
      "aws_vpc_security_group_ingress_rule.ssh: ingress from the internet on 22-22",
      "aws_vpc_security_group_ingress_rule.v6: ingress from the internet on 0-65535",
      "aws_security_group.inline: ingress from the internet on 5432-5432",
    ]);
  });

  it("secrets: a customer key, but for pull-through cache credentials, which use AWS's", () => {
    const json = res({
      aws_secretsmanager_secret: {
        aws: { name: "db", kms_key_id: "alias/aws/secretsmanager" },
        cmk: { name: "db2", kms_key_id: "${aws_kms_key.k.arn}" },
        cache: { name: "ecr-pullthroughcache/x", kms_key_id: "alias/aws/secretsmanager" },
        cacheCmk: { name: "ecr-pullthroughcache/y", kms_key_id: "${aws_kms_key.k.arn}" },
      },
    });
    expect(unencrypted(json)).toEqual([
      "aws_secretsmanager_secret.aws: no customer KMS key",
      "aws_secretsmanager_secret.cacheCmk: pull-through cache credentials not on alias/aws/secretsmanager",
    ]);
  });

  it("missing encryption, retention, and public databases", () => {
    const json = res({
      aws_cloudwatch_log_group: { g: { name: "g" } },
      aws_db_instance: { db: { storage_encrypted: false, publicly_accessible: true } },
      aws_secretsmanager_secret: { s: { name: "s" } },
      aws_sns_topic: { t: { name: "t" } },
      aws_s3_bucket: { b: { bucket_prefix: "b-" } },
      aws_instance: { i: { root_block_device: { encrypted: false } } },
    });
    expect(unencrypted(json)).toEqual([
      "aws_cloudwatch_log_group.g: no retention",
      "aws_cloudwatch_log_group.g: not encrypted with a KMS key",
      "aws_db_instance.db: storage not encrypted with a KMS key",
      "aws_db_instance.db: publicly accessible",
      "aws_secretsmanager_secret.s: no customer KMS key",
      "aws_sns_topic.t: not encrypted",
      "aws_s3_bucket.b: no encryption configuration",
      "aws_instance.i: root volume not encrypted",
    ]);
  });

  it("autoscaled services that would reset the count", () => {
    const json = res({
      aws_ecs_service: { svc: { name: "svc" } },
      aws_appautoscaling_target: { t: { resource_id: "service/c/${aws_ecs_service.svc.name}" } },
    });
    expect(autoscaledServicesResetCount(json)).toEqual([
      "aws_ecs_service.svc: autoscaled but desired_count is not ignored",
    ]);
  });

  it("names over their limit or unknowable", () => {
    const json = res({
      aws_lb: { alb: { name: "a".repeat(33) } },
      aws_iam_role: { r: { name: "${var.x}" } },
    });
    expect(namesOverLimit(json)).toEqual([
      `aws_lb.alb.name: "${"a".repeat(33)}" is 33 characters, over AWS's 32`,
      "aws_iam_role.r.name: computed at apply time, so its length cannot be checked",
    ]);
  });

  it("secret-looking literals, but not references", () => {
    const found = secretLiterals({
      resource: {
        aws_db_instance: { db: { password: "hunter22", other: "AKIAABCDEFGHIJKLMNOP" } },
        ok: { x: { password: "${random_password.p.result}" } },
        url: { y: { value: "postgresql://app:plaintext@db:5432/app" } },
      },
    });
    expect(found).toEqual([
      "resource.aws_db_instance.db.password: literal value",
      "resource.aws_db_instance.db.other: looks like an AWS access key id",
      "resource.url.y.value: looks like a connection string with a literal password",
    ]);
  });

  it("names claimed twice in one region, or twice anywhere for IAM", () => {
    const a: SynthJson = {
      provider: { aws: [{ region: "us-east-1" }] },
      resource: {
        aws_kms_alias: { k: { name: "alias/x-main" } },
        aws_iam_role: { r: { name: "role" } },
      },
    };
    const b: SynthJson = {
      provider: { aws: [{ region: "us-west-2" }, { region: "us-east-1", alias: "use1" }] },
      resource: {
        aws_kms_alias: {
          mine: { name: "alias/x-main" },
          there: { name: "alias/x-main", provider: "aws.use1" },
        },
        aws_iam_role: { r: { name: "role" } },
      },
    };
    expect(nameCollisions([a, b])).toEqual([
      'aws_kms_alias "alias/x-main" in us-east-1: stack 0 aws_kms_alias.k and stack 1 aws_kms_alias.there',
      'aws_iam_role "role" in global: stack 0 aws_iam_role.r and stack 1 aws_iam_role.r',
    ]);
  });
});
