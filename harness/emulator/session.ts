/**
 * One emulated AWS for a run: moto behind the region proxy, a scratch folder for state and logs,
 * and the seeding of what our stacks expect to exist already (a hosted zone they look up).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureMoto, type Moto, startMoto } from "./moto";
import { type EmulatorProxy, startProxy } from "./proxy";
import { log } from "./run";

/** How an ECS service's tasks fare (shims/control.py): nothing declared means none starts. */
export type TaskHealth = "healthy" | "unhealthy" | "draining" | "pending";

/**
 * Tasks by "<region>/<cluster>/<service>", "<region>/*" or "*"; a number caps how many start.
 */
export type TaskDeclaration = Record<string, TaskHealth | { health: TaskHealth; running?: number }>;

export interface Emulator {
  /** Scratch folder for this run: synthesized output, state, moto's log. */
  readonly work: string;
  readonly stateDir: string;
  readonly moto: Moto;
  readonly proxy: EmulatorProxy;
  /** Declares how tasks fare from now on (replaces the previous declaration). */
  declareTasks(tasks: TaskDeclaration): void;
  stop(): Promise<void>;
}

export async function startEmulator(name: string): Promise<Emulator> {
  const work = mkdtempSync(join(tmpdir(), `${name}-`));
  const stateDir = join(work, "state");
  mkdirSync(stateDir);
  const controlFile = join(work, "control.json");
  const declareTasks = (tasks: TaskDeclaration) =>
    writeFileSync(controlFile, `${JSON.stringify({ tasks }, null, 2)}\n`);
  declareTasks({});
  const moto = await startMoto({ log, logFile: join(work, "moto.log"), controlFile });
  const proxy = await startProxy({ motoPort: moto.port, log });
  log(
    `emulator: moto on 127.0.0.1:${moto.port}, region proxy on 127.0.0.1:${proxy.port}; work in ${work}`,
  );
  return {
    work,
    stateDir,
    moto,
    proxy,
    declareTasks,
    stop: async () => {
      await proxy.close();
      await moto.stop();
    },
  };
}

/**
 * Creates, in the emulator, what a stack reads but does not own: today the public hosted zones
 * that `data.aws_route53_zone` looks up (in a real account the zone is the user's own).
 */
export function seedLookups(emulator: Emulator, stackDir: string): void {
  const json = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as {
    data?: { aws_route53_zone?: Record<string, { name: string }> };
  };
  const zones = Object.values(json.data?.aws_route53_zone ?? {}).map((z) => z.name);
  if (!zones.length) return;
  const python = ensureMoto(log);
  const script = `
import boto3, sys
r53 = boto3.client("route53", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="emulated", aws_secret_access_key="emulated")
existing = {z["Name"].rstrip(".") for z in r53.list_hosted_zones()["HostedZones"]}
for name in sys.argv[2:]:
    if name.rstrip(".") not in existing:
        r53.create_hosted_zone(Name=name, CallerReference="seed-" + name)
        print("seeded hosted zone " + name)
`;
  const out = execFileSync(
    python,
    ["-c", script, `http://127.0.0.1:${emulator.moto.port}`, ...zones],
    {
      encoding: "utf8",
    },
  );
  if (out.trim()) log(`emulator: ${out.trim()}`);
}
