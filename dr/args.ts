/** The command line of `npm run dr -- <command> [options]`. */

export const USAGE = `Usage: npm run dr -- <command> [options]

Commands:
  status             region B's readiness on one screen; exit code 0 when ready, 1 when not
  promote            make region B the writer and the serving region (resumes where it stopped)
  failback --plan    print the steps that return service to region A

Options:
  --env <name>             environment (default: DEPLOY_ENV, else dev)
  --dry-run                promote: print what each step would do, change nothing
  --yes                    promote: confirm without typing the environment name (needed without a terminal)
  --force                  promote: even when region A answers, its endpoint is unknown, its RDS API
                           shows its writer, or it is in its maintenance window
  --poll-seconds <n>       promote: seconds between polls while waiting (default 15)
  --timeout-minutes <n>    promote: longest wait of a waiting step (default 45)
  --max-lag-seconds <n>    status: highest acceptable replica lag (default 600)
  --plan                   failback: print the plan (the only form failback has)`;

export type Command = "status" | "promote" | "failback" | "help";

export interface Args {
  readonly command: Command;
  readonly env?: string;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly force: boolean;
  readonly plan: boolean;
  readonly pollSeconds: number;
  readonly timeoutMinutes: number;
  readonly maxLagSeconds: number;
}

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const BOOLEAN: Readonly<Record<string, "dryRun" | "yes" | "force" | "plan">> = {
  "--dry-run": "dryRun",
  "--yes": "yes",
  "--force": "force",
  "--plan": "plan",
};
const NUMBER: Readonly<Record<string, "pollSeconds" | "timeoutMinutes" | "maxLagSeconds">> = {
  "--poll-seconds": "pollSeconds",
  "--timeout-minutes": "timeoutMinutes",
  "--max-lag-seconds": "maxLagSeconds",
};
/** Which command each option belongs to. */
const OWNER: Readonly<Record<string, Command>> = {
  "--dry-run": "promote",
  "--yes": "promote",
  "--force": "promote",
  "--poll-seconds": "promote",
  "--timeout-minutes": "promote",
  "--max-lag-seconds": "status",
  "--plan": "failback",
};

type Options = { -readonly [K in keyof Omit<Args, "command">]: Args[K] };

export function parseArgs(argv: readonly string[]): Args {
  const options: Options = {
    env: undefined,
    dryRun: false,
    yes: false,
    force: false,
    plan: false,
    pollSeconds: 15,
    timeoutMinutes: 45,
    maxLagSeconds: 600,
  };
  const seen: string[] = [];
  let command: Command | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") ? argv[i].split(/=(.*)/s) : [argv[i]];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") return { ...options, command: "help" };
    if (flag === "--env") options.env = value();
    else if (flag in BOOLEAN && inline === undefined) options[BOOLEAN[flag]] = true;
    else if (flag in NUMBER) {
      const raw = value();
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) {
        throw new UsageError(
          `${flag}: "${raw}" is not a positive number, such as ${options[NUMBER[flag]]}`,
        );
      }
      options[NUMBER[flag]] = n;
    } else if (flag.startsWith("-")) throw new UsageError(`unknown option ${argv[i]}`);
    else if (command) throw new UsageError(`one command at a time: got ${command} and ${flag}`);
    else if (flag === "status" || flag === "promote" || flag === "failback") command = flag;
    else throw new UsageError(`unknown command "${flag}": use status, promote or failback`);
    seen.push(flag);
  }
  if (!command) throw new UsageError("give a command: status, promote or failback");
  for (const flag of seen) {
    const owner = OWNER[flag];
    if (owner && owner !== command) {
      throw new UsageError(`${flag} applies to ${owner}, not ${command}`);
    }
  }
  return { ...options, command };
}
