import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import {
  FargateService,
  type FargateServiceProps,
  imageReference,
} from "../../constructs/fargate-service";
import type { EnvironmentInput } from "../../config/schema";
import type { LoadBalancerProps } from "../../constructs/load-balancer";
import { configWith, listOf, loadBalancerFixture, policiesOf, synthJson } from "../helpers";

const secrets = {
  databaseUrlValueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:url::",
  secretKeyArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:key-AbCdEf",
  secretArns: [
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:key-AbCdEf",
  ],
};

type Fixture = ReturnType<typeof loadBalancerFixture>;
type Patch = Omit<Partial<FargateServiceProps>, "secrets"> & {
  secrets?: Partial<FargateServiceProps["secrets"]>;
};

function build(
  patch: Patch | ((fixture: Fixture) => Patch) = {},
  configPatch?: (c: EnvironmentInput) => EnvironmentInput,
  lbPatch: Partial<LoadBalancerProps> = {},
) {
  const config = configWith(configPatch);
  const fixture = loadBalancerFixture({ deletionProtection: false, ...lbPatch });
  const { stack, naming, aws, key, network, loadBalancer } = fixture;
  const databaseValue = new SecretsmanagerSecretVersion(stack, "database-value", {
    secretId: "db-AbCdEf",
    secretString: "{}",
  });
  const { secrets: secretsPatch, ...rest } = typeof patch === "function" ? patch(fixture) : patch;
  const service = new FargateService(stack, "svc", {
    naming,
    service: config.service,
    scaling: config.scaling,
    network,
    loadBalancer,
    kmsKey: key,
    aws,
    secrets: { ...secrets, valueResources: [databaseValue], ...secretsPatch },
    databaseCidrs: network.dataSubnetCidrs,
    ...rest,
  });
  return { service, json: synthJson(stack) };
}
const containerOf = (json: ReturnType<typeof synthJson>) =>
  JSON.parse(String(listOf(json, "aws_ecs_task_definition")[0].container_definitions))[0];

describe("FargateService", () => {
  it("runs in private subnets without public IPs, behind the ALB, with rollback and a grace period", () => {
    const [service] = listOf(build().json, "aws_ecs_service");
    expect(service).toMatchObject({
      network_configuration: {
        assign_public_ip: false,
        subnets: expect.arrayContaining([expect.stringContaining("aws_subnet.network_app-0")]),
      },
      load_balancer: [
        {
          container_name: "hello-you",
          container_port: 5000,
          target_group_arn: expect.stringContaining("aws_lb_target_group"),
        },
      ],
      deployment_circuit_breaker: { enable: true, rollback: true },
      health_check_grace_period_seconds: 120,
      desired_count: 1,
      enable_execute_command: true,
      lifecycle: { ignore_changes: ["desired_count"] },
    });
    expect(service).not.toHaveProperty("launch_type");
  });

  it("leaves the running revision to the pipeline when it owns rollouts (ADR 0001)", () => {
    const [service] = listOf(build({ taskDefinitionOwner: "pipeline" }).json, "aws_ecs_service");
    expect(service.lifecycle).toEqual({ ignore_changes: ["desired_count", "task_definition"] });
    expect(service.task_definition).toMatch(/aws_ecs_task_definition\.svc_task_\w+\.arn/);
  });

  it("starts after the secret values, its IAM policies, production rule and capacity providers", () => {
    const [service] = listOf(build().json, "aws_ecs_service");
    // Tasks read their secrets at start: a secret without a version has no value yet.
    expect(service.depends_on).toEqual(
      expect.arrayContaining([
        "aws_secretsmanager_secret_version.database-value",
        expect.stringMatching(/^aws_iam_role_policy\.svc_roles_execution-policy_\w+$/),
        expect.stringMatching(/^aws_iam_role_policy\.svc_roles_exec-policy_\w+$/),
        expect.stringMatching(/^aws_lb_listener_rule\.lb_production_/),
        expect.stringMatching(/^aws_ecs_cluster_capacity_providers\./),
      ]),
    );
  });

  it("starts after whatever else its first tasks need (startAfter)", () => {
    const [service] = listOf(
      build(({ network }) => ({ startAfter: [network.vpc] })).json,
      "aws_ecs_service",
    );
    expect(service.depends_on).toContainEqual(expect.stringMatching(/^aws_vpc\.network_vpc/));
  });

  it("waits for a steady service and fails the apply when the rollout was rolled back", () => {
    const [service] = listOf(build().json, "aws_ecs_service");
    expect(service.wait_for_steady_state).toBe(true);
    expect((service.lifecycle as { postcondition: unknown[] }).postcondition).toEqual([
      {
        condition: expect.stringMatching(
          /^\$\{\(self\.task_definition == aws_ecs_task_definition\.svc_task_\w+\.arn\)\}$/,
        ),
        error_message: expect.stringContaining("circuit breaker rolled it back"),
      },
    ]);
  });

  it("checks no rollout when the pipeline, not Terraform, picks the revision", () => {
    const [service] = listOf(build({ taskDefinitionOwner: "pipeline" }).json, "aws_ecs_service");
    expect(service.wait_for_steady_state).toBe(true);
    expect(service.lifecycle).not.toHaveProperty("postcondition");
  });

  it("without the steady-state wait, returns at once and checks no rollout", () => {
    const [service] = listOf(build({ waitForSteadyState: false }).json, "aws_ecs_service");
    expect(service.wait_for_steady_state).toBe(false);
    expect(service.lifecycle).not.toHaveProperty("postcondition");
  });

  it("weights FARGATE and FARGATE_SPOT from config, with the base on FARGATE", () => {
    const [service] = listOf(build().json, "aws_ecs_service");
    expect(service.capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 0, weight: 1 },
      { capacity_provider: "FARGATE_SPOT", weight: 3 },
    ]);
    const ondemand = listOf(
      build({}, (c) => ({ ...c, service: { ...c.service, capacity: { fargateSpotWeight: 0 } } }))
        .json,
      "aws_ecs_service",
    )[0];
    expect(ondemand.capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 1, weight: 1 },
    ]);
  });

  it("puts a base on FARGATE_SPOT when asked, and refuses a base on both providers", () => {
    const config = configWith();
    const capacity = { fargateBase: 0, fargateWeight: 1000, fargateSpotWeight: 1, spotBase: 2 };
    const [service] = listOf(
      build({ service: { ...config.service, capacity } }).json,
      "aws_ecs_service",
    );
    expect(service.capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", base: 0, weight: 1000 },
      { capacity_provider: "FARGATE_SPOT", base: 2, weight: 1 },
    ]);
    expect(() =>
      build({ service: { ...config.service, capacity: { ...capacity, fargateBase: 1 } } }),
    ).toThrow(
      "FargateService: capacity.spotBase 2 and capacity.fargateBase 1 are both set; ECS takes a base on one capacity provider only, so set one of them to 0",
    );
  });

  it("turns Container Insights off when asked", () => {
    const [cluster] = listOf(build({ containerInsights: false }).json, "aws_ecs_cluster");
    expect(cluster.setting).toEqual([{ name: "containerInsights", value: "disabled" }]);
  });

  it("enables Container Insights and logs ECS Exec sessions encrypted", () => {
    const [cluster] = listOf(build().json, "aws_ecs_cluster");
    expect(cluster).toMatchObject({
      setting: [{ name: "containerInsights", value: "enabled" }],
      configuration: {
        execute_command_configuration: {
          logging: "OVERRIDE",
          kms_key_id: expect.stringContaining("aws_kms_key"),
          log_configuration: { cloud_watch_encryption_enabled: true },
        },
      },
    });
  });

  it("defines the task: size, architecture, image, secrets, read-only root with a writable /tmp, awslogs", () => {
    const { json } = build();
    const [task] = listOf(json, "aws_ecs_task_definition");
    expect(task).toMatchObject({
      cpu: "256",
      memory: "512",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
      runtime_platform: { cpu_architecture: "X86_64", operating_system_family: "LINUX" },
      volume: [{ name: "tmp" }],
    });
    const container = containerOf(json);
    expect(container).toMatchObject({
      image: "ghcr.io/diogo-pessoa/hello-you-api/hello-you-api:latest",
      portMappings: [{ containerPort: 5000, protocol: "tcp" }],
      environment: [{ name: "LOG_LEVEL", value: "INFO" }],
      secrets: [
        { name: "DATABASE_URL", valueFrom: secrets.databaseUrlValueFrom },
        { name: "SECRET_KEY", valueFrom: secrets.secretKeyArn },
      ],
      readonlyRootFilesystem: true,
      mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
      privileged: false,
      logConfiguration: { logDriver: "awslogs" },
    });
    expect(container).not.toHaveProperty("repositoryCredentials");
  });

  it("runs the server only: gunicorn, never the image's migrate-then-serve command", () => {
    const container = containerOf(build().json);
    expect(container.command).toEqual([
      "gunicorn",
      "--bind",
      "0.0.0.0:5000",
      "--workers",
      "2",
      "--timeout",
      "60",
      "--access-logfile",
      "-",
      "--error-logfile",
      "-",
      "app:app",
    ]);
    expect(JSON.stringify(container)).not.toContain("db upgrade");
    expect(() =>
      build({}, (c) => ({ ...c, service: { ...c.service, serverCommand: [] } })),
    ).toThrow();
  });

  describe("blue/green", () => {
    const blueGreen = { bakeTimeMinutes: 15, alarmNames: ["a-5xx", "a-latency"] };
    const built = () => build({ blueGreen }, undefined, { blueGreen: true });

    it("deploys BLUE_GREEN with a bake time, rolling back on its alarms and on failed tasks", () => {
      const [service] = listOf(built().json, "aws_ecs_service");
      expect(service).toMatchObject({
        deployment_configuration: { strategy: "BLUE_GREEN", bake_time_in_minutes: "15" },
        alarms: { alarm_names: ["a-5xx", "a-latency"], enable: true, rollback: true },
        deployment_circuit_breaker: { enable: true, rollback: true },
        // The apply waits through the shift and the 15-minute bake: longer than the default 20m.
        timeouts: { create: "45m", update: "45m" },
        // ECS picks the serving target group; Terraform must not send its pair back.
        lifecycle: { ignore_changes: ["desired_count", "load_balancer"] },
      });
    });

    it("shifts traffic between the two target groups through the production and test rules", () => {
      const { json } = built();
      const [service] = listOf(json, "aws_ecs_service");
      expect(service.load_balancer).toEqual([
        expect.objectContaining({
          target_group_arn: expect.stringContaining("aws_lb_target_group.lb_tg_"),
          advanced_configuration: {
            alternate_target_group_arn: expect.stringContaining(
              "aws_lb_target_group.lb_tg-alternate_",
            ),
            production_listener_rule: expect.stringContaining(
              "aws_lb_listener_rule.lb_production_",
            ),
            test_listener_rule: expect.stringContaining("aws_lb_listener_rule.lb_test_"),
            role_arn: expect.stringContaining("aws_iam_role.svc_elb-role_"),
          },
        }),
      ]);
      expect(service.depends_on).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^aws_lb_listener_rule\.lb_test_/),
          expect.stringMatching(/^aws_iam_role_policy\.svc_elb-role_/),
        ]),
      );
    });

    it("gives ECS a role for this service's target groups, listener and rules only", () => {
      const { json } = built();
      const trust = policiesOf(json, "aws_iam_role", "assume_role_policy").find((p) =>
        JSON.stringify(p).includes("ecs.amazonaws.com"),
      );
      expect(trust?.Statement[0]).toMatchObject({
        Principal: { Service: "ecs.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": expect.stringContaining("account_id") } },
      });
      const policy = policiesOf(json, "aws_iam_role_policy").find((p) =>
        JSON.stringify(p).includes("ModifyRule"),
      )!;
      const byAction = Object.fromEntries(
        policy.Statement.flatMap((st) => [st.Action].flat().map((a) => [a, st.Resource])),
      );
      expect(byAction["elasticloadbalancing:ModifyRule"]).toEqual([
        expect.stringContaining("lb_production_"),
        expect.stringContaining("lb_test_"),
      ]);
      expect(byAction["elasticloadbalancing:RegisterTargets"]).toEqual([
        expect.stringContaining("lb_tg_"),
        expect.stringContaining("lb_tg-alternate_"),
      ]);
      expect(byAction["elasticloadbalancing:ModifyListener"]).toContain("aws_lb_listener.lb_http");
      const wildcards = policy.Statement.filter((st) => st.Resource === "*");
      expect(
        wildcards.flatMap((st) => [st.Action].flat()).every((a) => String(a).includes(":Describe")),
      ).toBe(true);
    });

    it("tracks CPU and memory only: requests per target would follow the idle target group", () => {
      const metrics = listOf(built().json, "aws_appautoscaling_policy").map(
        (p) =>
          (
            p.target_tracking_scaling_policy_configuration as {
              predefined_metric_specification: { predefined_metric_type: string };
            }
          ).predefined_metric_specification.predefined_metric_type,
      );
      expect(metrics).toEqual([
        "ECSServiceAverageCPUUtilization",
        "ECSServiceAverageMemoryUtilization",
      ]);
    });

    it("refuses a load balancer without the second target group, no alarms, a bad bake time", () => {
      expect(() => build({ blueGreen })).toThrow(
        "FargateService: blueGreen needs a load balancer built with blueGreen: true",
      );
      expect(() =>
        build({ blueGreen: { ...blueGreen, alarmNames: [] } }, undefined, { blueGreen: true }),
      ).toThrow("FargateService: blueGreen.alarmNames is empty");
      expect(() =>
        build({ blueGreen: { ...blueGreen, bakeTimeMinutes: 1441 } }, undefined, {
          blueGreen: true,
        }),
      ).toThrow(
        "FargateService: blueGreen.bakeTimeMinutes 1441 must be a whole number from 0 to 1440",
      );
    });

    it("rolls without them: no deployment configuration, no alarms, no ECS role", () => {
      const { json } = build();
      const [service] = listOf(json, "aws_ecs_service");
      expect(service).not.toHaveProperty("deployment_configuration");
      expect(service).not.toHaveProperty("alarms");
      expect(JSON.stringify(json)).not.toContain("ecs.amazonaws.com");
    });
  });

  it("passes registry credentials for a private image", () => {
    const registry = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-AbCdEf";
    const container = containerOf(
      build({
        secrets: {
          ...secrets,
          registryCredentialsArn: registry,
          secretArns: [...secrets.secretArns, registry],
        },
      }).json,
    );
    expect(container.repositoryCredentials).toEqual({ credentialsParameter: registry });
  });

  it("admits the container port only from the ALB and sends only HTTPS and PostgreSQL out", () => {
    const { json } = build();
    const ingress = listOf(json, "aws_vpc_security_group_ingress_rule").filter(
      (r) => r.from_port === 5000,
    );
    expect(ingress).toEqual([
      expect.objectContaining({ referenced_security_group_id: expect.stringContaining("lb_sg") }),
    ]);
    expect(ingress[0]).not.toHaveProperty("cidr_ipv4");
    const egress = listOf(json, "aws_vpc_security_group_egress_rule");
    expect(egress.map((r) => r.from_port).sort()).toEqual([443, 5000, 5432, 5432]);
  });

  it("scales between min and max on CPU, memory and requests per target, with cooldowns", () => {
    const { json } = build();
    expect(listOf(json, "aws_appautoscaling_target")[0]).toMatchObject({
      min_capacity: 1,
      max_capacity: 3,
      scalable_dimension: "ecs:service:DesiredCount",
    });
    const policies = listOf(json, "aws_appautoscaling_policy").map(
      (p) => p.target_tracking_scaling_policy_configuration as Record<string, unknown>,
    );
    expect(policies).toEqual([
      expect.objectContaining({
        target_value: 70,
        scale_in_cooldown: 300,
        scale_out_cooldown: 60,
        predefined_metric_specification: {
          predefined_metric_type: "ECSServiceAverageCPUUtilization",
        },
      }),
      expect.objectContaining({
        target_value: 80,
        predefined_metric_specification: {
          predefined_metric_type: "ECSServiceAverageMemoryUtilization",
        },
      }),
      expect.objectContaining({
        target_value: 1000,
        predefined_metric_specification: {
          predefined_metric_type: "ALBRequestCountPerTarget",
          resource_label: expect.stringMatching(/arn_suffix.*\/.*arn_suffix/),
        },
      }),
    ]);
  });

  it("takes a pilot-light minimum", () => {
    const { json } = build({ minCapacity: 0, desiredCount: 0 });
    expect(listOf(json, "aws_appautoscaling_target")[0]).toMatchObject({
      min_capacity: 0,
      max_capacity: 3,
    });
    expect(listOf(json, "aws_ecs_service")[0].desired_count).toBe(0);
  });

  it("lets the execution role read exactly its secrets and decrypt only through Secrets Manager", () => {
    const { json } = build();
    const policies = policiesOf(json, "aws_iam_role_policy");
    const execution = policies.find((p) =>
      p.Statement.some((s) => s.Sid === "ReadThisServicesSecrets"),
    )!;
    const bySid = Object.fromEntries(execution.Statement.map((s) => [s.Sid, s]));
    expect(bySid.ReadThisServicesSecrets).toMatchObject({
      Action: "secretsmanager:GetSecretValue",
      Resource: secrets.secretArns,
    });
    expect(bySid.DecryptSecretsThroughSecretsManagerOnly.Condition).toEqual({
      StringEquals: {
        "kms:ViaService": expect.stringMatching(/^secretsmanager\..+\.amazonaws\.com$/),
      },
    });
    expect(bySid.WriteContainerLogs.Resource).toMatch(/aws_cloudwatch_log_group.+:\*$/);
    expect(execution.Statement.some((s) => String(s.Action).startsWith("ecr:"))).toBe(false);
  });

  it("never gives the task role the secrets; it gets ECS Exec channels only when enabled", () => {
    const { json } = build();
    const task = policiesOf(json, "aws_iam_role_policy").find((p) =>
      p.Statement.some((s) => s.Sid === "EcsExecChannels"),
    )!;
    expect(JSON.stringify(task)).not.toContain("secretsmanager");
    const off = build({}, (c) => ({
      ...c,
      service: { ...c.service, enableExecuteCommand: false },
    })).json;
    expect(
      policiesOf(off, "aws_iam_role_policy").some((p) =>
        p.Statement.some((s) => s.Sid === "EcsExecChannels"),
      ),
    ).toBe(false);
  });

  it("grants ECR pulls on the image's repository only for an ECR image", () => {
    const ecr = build({}, (c) => ({
      ...c,
      service: { ...c.service, image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/hello-you" },
    })).json;
    const statements = policiesOf(ecr, "aws_iam_role_policy").flatMap((p) => p.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: "PullTheImage",
        Resource: expect.stringMatching(/:ecr:us-east-1:123456789012:repository\/hello-you$/),
      }),
    );
  });

  it.each([
    [{ minCapacity: 5 }, "FargateService: minCapacity 5 must be from 0 to maxCapacity 3"],
    [
      { desiredCount: 9 },
      "FargateService: desiredCount 9 must be from minCapacity 1 to maxCapacity 3",
    ],
    [{ secrets: { ...secrets, secretArns: [] } }, "FargateService: secrets.secretArns is empty"],
    [
      { secrets: { valueResources: [] } },
      "FargateService: secrets.valueResources is empty; pass the secret versions the container reads",
    ],
  ])("rejects %j", (patch, message) => {
    expect(() => build(patch as Patch)).toThrow(message);
  });

  it("rejects an invalid Fargate size", () => {
    const config = configWith();
    expect(() => build({ service: { ...config.service, memory: 4096 } })).toThrow(
      "FargateService: cpu 256 with memory 4096 is not a Fargate size",
    );
  });

  it("runs ARM64 tasks on FARGATE_SPOT (Graviton on Spot since September 2024)", () => {
    const config = configWith();
    const { json } = build({ service: { ...config.service, architecture: "ARM64" } });
    expect(listOf(json, "aws_ecs_task_definition")[0].runtime_platform).toMatchObject({
      cpu_architecture: "ARM64",
    });
    expect(listOf(json, "aws_ecs_service")[0].capacity_provider_strategy).toContainEqual({
      capacity_provider: "FARGATE_SPOT",
      weight: 3,
    });
  });
});

describe("imageReference", () => {
  const image = "ghcr.io/diogo-pessoa/hello-you-api/hello-you-api";
  const digest = `sha256:${"0f".repeat(32)}`;

  it("pins by digest, or names a tag", () => {
    expect(imageReference({ image, imageDigest: digest })).toBe(`${image}@${digest}`);
    expect(imageReference({ image, imageTag: "v1.2.3" })).toBe(`${image}:v1.2.3`);
  });

  it("refuses neither and both, naming the settings and where they come from", () => {
    expect(() => imageReference({ image })).toThrow(
      "FargateService: service.imageTag and service.imageDigest: give exactly one (got neither); IMAGE_TAG or IMAGE_DIGEST supplies it at synth time",
    );
    expect(() => imageReference({ image, imageTag: "v1", imageDigest: digest })).toThrow(
      /give exactly one \(got both\)/,
    );
  });
});
