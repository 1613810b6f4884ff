/**
 * `npm run dr -- <status|promote|failback> [--env <env>]`: recovery from the loss of region A,
 * calling region B's APIs only. See scripts/dr/main.ts and `npm run dr -- --help`.
 */
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { main } from "./dr/main";
import { nodeStatusOf } from "./dr/probe";
import { consoleOutput, systemClock } from "./dr/runtime";
import { sdkRegionB } from "./dr/sdk";
import { PROXY_VARIABLE } from "./dr/clients";

const terminal = {
  isTTY: Boolean(process.stdin.isTTY),
  async ask(question: string) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

main(process.argv.slice(2), {
  env: process.env,
  out: consoleOutput,
  terminal,
  projectDir: path.resolve(__dirname, ".."),
  regionB: (region) => sdkRegionB(region, process.env),
  clock: systemClock,
  statusOf: nodeStatusOf(process.env[PROXY_VARIABLE]?.trim() || undefined),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
