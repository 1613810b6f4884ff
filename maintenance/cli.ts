/** `npm run maintenance -- on|off|status --env <env>`: see maintenance/main.ts. */
import { exitWith, consoleOutput } from "../dr/runtime";
import { sdkMaintenanceElb } from "./elb";
import { maintenance } from "./main";

exitWith(
  maintenance(process.argv.slice(2), {
    env: process.env,
    out: consoleOutput,
    elb: (region) => sdkMaintenanceElb(region, process.env),
  }),
);
