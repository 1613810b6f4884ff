/** Where the Terraform tools and the emulator live: a cache outside the clone, shared by runs. */
import { homedir } from "node:os";
import { join } from "node:path";

export function toolsCache(): string {
  return (
    process.env.HELLO_YOU_TOOLS_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "hello-you-infra")
  );
}
