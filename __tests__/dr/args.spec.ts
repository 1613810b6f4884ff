import { UsageError, parseArgs } from "../../dr/args";

describe("parseArgs", () => {
  it("reads a command with its options, in either --flag value or --flag=value form", () => {
    expect(parseArgs(["promote", "--env=prod", "--yes", "--timeout-minutes", "10"])).toMatchObject({
      command: "promote",
      env: "prod",
      yes: true,
      force: false,
      dryRun: false,
      timeoutMinutes: 10,
      pollSeconds: 15,
    });
  });

  it("has defaults, and no environment unless given", () => {
    expect(parseArgs(["status"]).env).toBeUndefined();
    expect(parseArgs(["status"])).toMatchObject({
      command: "status",
      maxLagSeconds: 600,
    });
  });

  it.each([
    [[], "give a command: status, promote or failback"],
    [["restore"], 'unknown command "restore": use status, promote or failback'],
    [["status", "promote"], "one command at a time: got status and promote"],
    [["promote", "--wat"], "unknown option --wat"],
    [["status", "--env"], "--env needs a value"],
    [
      ["promote", "--poll-seconds", "soon"],
      '--poll-seconds: "soon" is not a positive number, such as 15',
    ],
    [["status", "--yes"], "--yes applies to promote, not status"],
    [["promote", "--plan"], "--plan applies to failback, not promote"],
    [["failback", "--dry-run"], "--dry-run applies to promote, not failback"],
  ])("refuses %j: %s", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  it("answers --help before anything else", () => {
    expect(parseArgs(["--help"]).command).toBe("help");
  });
});
