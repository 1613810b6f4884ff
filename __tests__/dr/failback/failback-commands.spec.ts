import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { waitPromoted } from "../../../dr/failback/failback-commands";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Runs `waitPromoted` in bash with a stub `aws` that prints `answers` in turn (as
 * `describe-db-instances --output text` would, tab-separated) and a `sleep` that returns at
 * once; resolves to the exit status, what it printed and how often `aws` was asked.
 */
function runWait(answers: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), "dr-wait-"));
  made.push(dir);
  const calls = path.join(dir, "calls");
  writeFileSync(calls, "");
  const stub = [
    "#!/usr/bin/env bash",
    `echo x >> "${calls}"`,
    `n=$(wc -l < "${calls}")`,
    `sed -n "\${n}p" "${path.join(dir, "answers")}"`,
  ].join("\n");
  writeFileSync(path.join(dir, "answers"), answers.join("\n") + "\n");
  writeFileSync(path.join(dir, "aws"), stub);
  writeFileSync(path.join(dir, "sleep"), "#!/usr/bin/env bash\n");
  chmodSync(path.join(dir, "aws"), 0o755);
  chmodSync(path.join(dir, "sleep"), 0o755);
  const run = spawnSync("bash", ["-c", waitPromoted("us-east-1", "db-a")], {
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    encoding: "utf8",
    timeout: 10_000,
  });
  const asked = readFileSync(calls, "utf8").split("\n").filter(Boolean).length;
  return { status: run.status, printed: run.stdout, asked };
}

describe("waitPromoted (failback's wait for promote-read-replica)", () => {
  it("keeps polling while the instance still reads available with its source, or is modifying", () => {
    const source = "arn:aws:rds:us-west-2:111122223333:db:db-b";
    const { status, asked, printed } = runWait([
      `available\t${source}`,
      `modifying\t${source}`,
      "rebooting\tNone",
      "available\tNone",
      "never read",
    ]);
    expect(status).toBe(0);
    expect(asked).toBe(4);
    expect(printed.split("\n").filter(Boolean)).toEqual([
      `available\t${source}`,
      `modifying\t${source}`,
      "rebooting\tNone",
      "available\tNone",
    ]);
  });

  it("stops at once when the instance is already a standalone writer", () => {
    expect(runWait(["available\tNone"])).toMatchObject({ status: 0, asked: 1 });
  });

  it("asks RDS for exactly the status and the source, as text", () => {
    const command = waitPromoted("us-east-1", "db-a");
    expect(command).toContain(
      "aws rds describe-db-instances --region us-east-1 --db-instance-identifier db-a --query 'DBInstances[0].[DBInstanceStatus,ReadReplicaSourceDBInstanceIdentifier]' --output text",
    );
    expect(command).not.toContain("wait db-instance-available");
  });
});
