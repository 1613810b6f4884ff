/**
 * The release rehearsal (`npm run deploy:emulated -- dev --release`): on an emulated AWS where the
 * environment is deployed, `release()` of release/main.ts runs twice with a new image, its AWS
 * calls going to the emulator and its `cdktf deploy` to the harness's own:
 *
 * 1. the migration task is scripted to exit 1: the release must stop with exit code 1, having
 *    shown the task's log, before `cdktf deploy` and before any UpdateService, and the service
 *    must still run the revision it ran;
 * 2. scripted to exit 0: the release must migrate and deploy, and moto's record of calls must
 *    show the migration's RunTask before the service's UpdateService, with the service ending on
 *    a revision of the new image.
 *
 * What it cannot show: moto models no ECS deployment (no blue/green, no test traffic, no alarm
 * rollback), so "a blue/green rollback leaves the old revision serving" is held by the specs and
 * docs only (docs/testing.md).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from "@aws-sdk/client-ecs";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { loadConfig } from "../../config";
import { clientSettings } from "../../dr/aws/clients";
import { systemClock } from "../../dr/runtime";
import { serviceNames } from "../../naming/traffic";
import { sdkReleaseAws } from "../../release/aws";
import { release } from "../../release/main";
import { log } from "./run";
import type { Emulator } from "./session";

/** What release_shims.py reads a one-off task's outcome from, and marks its call records with. */
const OUTCOME_PARAMETER = "/hello-you/emulator/task-outcome";
const CALL_MARK = "hello-you-call";
const RELEASE_TAG = "v2.0.0";

export interface ReleaseRehearsalContext {
  readonly emulator: Emulator;
  readonly environment: string;
  /**
   * Synthesizes again with `env` (the release's IMAGE_TAG) and runs `cdktf <args>` against the
   * emulator, with the harness's flags; resolves to its exit code.
   */
  readonly cdktf: (args: string[], env: Record<string, string | undefined>) => Promise<number>;
}

interface Call {
  readonly region: string;
  readonly operation: string;
  readonly detail: string;
}

export async function rehearseRelease(ctx: ReleaseRehearsalContext): Promise<boolean> {
  // Fake credentials for the in-process SDK clients; every endpoint is the emulator's.
  for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN"]) delete process.env[name];
  process.env.AWS_ACCESS_KEY_ID = "emulated";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  process.env.AWS_SECRET_ACCESS_KEY = "emulated";
  const awsEnv = {
    HELLO_YOU_DR_ENDPOINT: "http://{region}.aws.emulator",
    HELLO_YOU_DR_PROXY: `http://127.0.0.1:${ctx.emulator.proxy.port}`,
  };
  const config = loadConfig(ctx.environment);
  const region = config.network.region;
  const names = serviceNames(config, region);
  const ecs = new ECSClient(clientSettings(region, awsEnv));
  const ssm = new SSMClient(clientSettings(region, awsEnv));
  const motoLog = join(ctx.emulator.work, "moto.log");
  const calls = (): Call[] =>
    readFileSync(motoLog, "utf8")
      .split("\n")
      .filter((l) => l.startsWith(`${CALL_MARK} `))
      .map((l) => {
        const [, callRegion, operation, ...detail] = l.split(" ");
        return { region: callRegion, operation, detail: detail.join(" ") };
      });
  const serving = async () => {
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: names.cluster, services: [names.service] }),
    );
    const arn = out.services?.[0]?.taskDefinition ?? "";
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    return { arn, image: td.taskDefinition?.containerDefinitions?.[0]?.image ?? "" };
  };
  const script = (outcome: { exitCode: number; log: string[] }) =>
    ssm.send(
      new PutParameterCommand({
        Name: OUTCOME_PARAMETER,
        Type: "String",
        Value: JSON.stringify(outcome),
        Overwrite: true,
      }),
    );
  const problems: string[] = [];
  const expect = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };

  const attempt = async (label: string) => {
    const before = calls().length;
    const lines: string[] = [];
    const deploys: string[][] = [];
    const code = await release(
      ["--env", ctx.environment, "--poll-seconds", "0.2", "--timeout-minutes", "2"],
      {
        env: { DEPLOY_ENV: ctx.environment, IMAGE_TAG: RELEASE_TAG },
        out: {
          line: (l) => lines.push(l),
          warn: (l) => lines.push(`warning: ${l}`),
          error: (l) => lines.push(`error: ${l}`),
        },
        aws: (r) => sdkReleaseAws(r, awsEnv),
        cdktf: (args, env) => {
          deploys.push(args);
          return ctx.cdktf(args, env);
        },
        clock: systemClock,
      },
    );
    for (const l of lines) log(`  ${label}: ${l}`);
    return { code, lines, deploys, calls: calls().slice(before) };
  };

  log(
    `release rehearsal: ${ctx.environment}, release ${RELEASE_TAG}, migration scripted to exit 1`,
  );
  const old = await serving();
  await script({ exitCode: 1, log: ["ERROR [alembic] rehearsal: the migration fails on purpose"] });
  const failed = await attempt("failing");
  const ran = failed.calls.filter((c) => c.operation === "RunTask" && c.region === region);
  expect(failed.code === 1, `a failing migration: release exited ${failed.code}, not 1`);
  expect(ran.length === 1, `a failing migration: ${ran.length} RunTask calls in ${region}, not 1`);
  expect(
    failed.deploys.length === 0,
    `a failing migration: cdktf ${failed.deploys[0]?.join(" ")} ran anyway`,
  );
  expect(
    !failed.calls.some((c) => c.operation === "UpdateService" || c.operation === "CreateService"),
    `a failing migration: a service changed (${failed.calls.map((c) => c.operation).join(", ")})`,
  );
  expect(
    failed.lines.includes("  | ERROR [alembic] rehearsal: the migration fails on purpose"),
    "a failing migration: its log was not shown",
  );
  const still = await serving();
  expect(
    still.arn === old.arn,
    `a failing migration: the service moved from ${old.arn} to ${still.arn}`,
  );

  log(`release rehearsal: migration scripted to exit 0`);
  await script({ exitCode: 0, log: ["INFO  [alembic] rehearsal: upgrade applied"] });
  const passed = await attempt("passing");
  const order = passed.calls.filter((c) => c.region === region).map((c) => c.operation);
  const runAt = order.indexOf("RunTask");
  const updateAt = order.indexOf("UpdateService");
  expect(passed.code === 0, `a passing migration: release exited ${passed.code}, not 0`);
  expect(
    runAt >= 0 && updateAt > runAt,
    `a passing migration: calls in ${region} were ${order.join(", ")}; RunTask must come before UpdateService`,
  );
  const now = await serving();
  expect(
    now.image.endsWith(`:${RELEASE_TAG}`) && now.arn !== old.arn,
    `a passing migration: the service runs ${now.arn} (${now.image}), not a revision of ${RELEASE_TAG}`,
  );
  log(`release rehearsal: call order in ${region}: ${order.join(" -> ")}`);

  log(
    problems.length
      ? `release rehearsal: FAILED (${problems.length} problems)`
      : "release rehearsal: passed: a failing migration stopped the release before any service changed; a passing one ran before the UpdateService",
  );
  for (const problem of problems) log(`  - ${problem}`);
  return problems.length === 0;
}
