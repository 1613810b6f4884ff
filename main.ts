/**
 * Entry point for `cdktf synth|diff|deploy`: picks the environment (DEPLOY_ENV, default dev),
 * validates its settings and the backend choice, then builds the stacks.
 */
import { App } from "cdktf";
import { ConfigError, environmentName, loadConfig } from "./config";
import { backendFromEnv } from "./config/backend";
import { buildStacks } from "./stacks";

function main(): void {
  const environment = environmentName(process.env);
  const config = loadConfig(environment, process.env);
  const backend = backendFromEnv(process.env, environment);
  // No stack traces in metadata: they slow synth and make output depend on the checkout path.
  const app = new App({ stackTraces: false });
  buildStacks(app, config, backend);
  app.synth();
}

try {
  main();
} catch (error) {
  // Config and construct validation errors name the field and the fix; a stack trace would
  // only bury that. DEBUG=1 shows it anyway.
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof Error && !process.env.DEBUG) {
    process.stderr.write(`Synth failed: ${error.message}\n(set DEBUG=1 for the stack trace)\n`);
  } else {
    throw error;
  }
  process.exit(1);
}
