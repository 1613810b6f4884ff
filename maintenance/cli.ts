/** `npm run maintenance -- on|off|status --env <env>`: see maintenance/main.ts. */
import { consoleOutput } from "../dr/runtime";
import { sdkMaintenanceElb } from "./elb";
import { maintenance } from "./main";

maintenance(process.argv.slice(2), {
  env: process.env,
  out: consoleOutput,
  elb: (region) => sdkMaintenanceElb(region, process.env),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
