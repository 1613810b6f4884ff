/** `npm run release -- --env <env>`: see release/main.ts and `npm run release -- --help`. */
import { spawn } from "node:child_process";
import path from "node:path";
import { exitWith, consoleOutput, systemClock } from "../dr/runtime";
import { sdkReleaseAws } from "./aws";
import { release } from "./main";

const projectDir = path.resolve(__dirname, "..");

/** `npx cdktf <args>` in the project, its output on this terminal (deploy asks to approve). */
function cdktf(args: string[], env: Record<string, string | undefined>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["cdktf", ...args], { cwd: projectDir, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

exitWith(
  release(process.argv.slice(2), {
    env: process.env,
    out: consoleOutput,
    aws: (region) => sdkReleaseAws(region, process.env),
    cdktf,
    clock: systemClock,
  }),
);
