/**
 * `npm run dr -- <status|promote|failback> [--env <env>]`: recovery from the loss of region A,
 * calling region B's APIs, plus one read-only, bounded question to region A's RDS API during
 * promote (dr/aws/region-a.ts). See dr/main.ts and `npm run dr -- --help`.
 */
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { main } from "./main";
import { nodeStatusOf } from "./promote/probe";
import { consoleOutput, systemClock } from "./runtime";
import { sdkRegionB } from "./aws/sdk";
import { sdkRegionA } from "./aws/region-a";
import { PROXY_VARIABLE } from "./aws/clients";

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
  regionA: (region) => sdkRegionA(region, process.env),
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
