/**
 * moto's server on a free loopback port, installed into a virtualenv in the tools cache (outside
 * the clone, keyed by version) the first time it is needed.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { toolsCache } from "./paths";

export const MOTO_VERSION = "5.2.5";

/** The virtualenv's python, with moto installed; installs it on first use. */
export function ensureMoto(log: (message: string) => void): string {
  const venv = join(toolsCache(), `moto-${MOTO_VERSION}`);
  const python = join(venv, "bin", "python");
  if (existsSync(join(venv, "bin", "moto_server"))) return python;
  mkdirSync(toolsCache(), { recursive: true });
  log(`installing moto[server]==${MOTO_VERSION} into ${venv}`);
  execFileSync(process.env.PYTHON ?? "python3", ["-m", "venv", venv], { stdio: "inherit" });
  execFileSync(join(venv, "bin", "pip"), ["install", "--quiet", `moto[server]==${MOTO_VERSION}`], {
    stdio: "inherit",
  });
  return python;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = address && typeof address !== "string" ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Starts moto; resolves once it answers. `stop()` ends it. Its log goes to `logFile`. */
export interface Moto {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startMoto({
  log,
  logFile,
  controlFile,
}: {
  log: (message: string) => void;
  logFile: string;
  /** What the test declares about tasks moto cannot run (shims/control.py). */
  controlFile: string;
}): Promise<Moto> {
  const python = ensureMoto(log);
  const port = await freePort();
  const out = openSync(logFile, "a");
  // moto_shims.py is moto's own server entry point with our documented emulator patches.
  const child = spawn(
    python,
    [join(__dirname, "moto_shims.py"), "-H", "127.0.0.1", "-p", String(port)],
    {
      stdio: ["ignore", out, out],
      // How ECS tasks fare is declared by the test in the control file, never assumed.
      // AWS managed policies (AmazonRDSEnhancedMonitoringRole, ...) exist only when moto loads them.
      env: {
        ...process.env,
        HELLO_YOU_EMULATOR_CONTROL: controlFile,
        MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
      },
    },
  );
  const exited = new Promise((resolve) => child.on("exit", resolve));
  // Importing moto takes seconds, more on a busy machine.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited (${child.exitCode}); see ${logFile}`);
    if (await answers(port)) break;
    if (Date.now() > deadline) throw new Error(`moto did not answer within 120 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}
