/**
 * Entry point for `cdktf synth|diff|deploy`: picks the environment (DEPLOY_ENV, default dev),
 * validates its settings and the backend choice, then builds the stacks.
 */
import { App } from "cdktf";
import { syntaxErrorProblems } from "./config/load-error";

async function main(): Promise<void> {
  // Loaded here, not imported at the top, so that a syntax error in an environment file reaches
  // the handler below and is reported in one line rather than as a loader stack trace.
  const { loadSettings } = await import("./config");
  const { buildStacks } = await import("./stacks");
  const { config, backend } = loadSettings(process.env);
  // No stack traces in metadata: they slow synth and make output depend on the checkout path.
  const app = new App({ stackTraces: false });
  buildStacks(app, config, backend);
  app.synth();
}

main().catch((error: unknown) => {
  // Config, syntax and construct validation errors name the field and the fix; a stack trace
  // would only bury that. DEBUG=1 shows it anyway.
  const syntax = syntaxErrorProblems(error, process.cwd());
  if (syntax.length && !process.env.DEBUG) {
    const count = `${syntax.length} problem${syntax.length === 1 ? "" : "s"}`;
    process.stderr.write(
      `Invalid configuration (${count}):\n${syntax.map((p) => `  - ${p}\n`).join("")}`,
    );
  } else if (error instanceof Error && error.name === "ConfigError") {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof Error && !process.env.DEBUG) {
    process.stderr.write(`Synth failed: ${error.message}\n(set DEBUG=1 for the stack trace)\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exitCode = 1;
});
