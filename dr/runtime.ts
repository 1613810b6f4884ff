/** Time and waiting, injectable so that specs run a 20-minute promotion in milliseconds. */

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Where a command writes what it does: `warn` for trouble it carries on through, `error` for
 * why it stopped.
 */
export interface Output {
  line(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

export const consoleOutput: Output = {
  line: (text) => console.log(text),
  warn: (text) => console.error(`warning: ${text}`),
  error: (text) => console.error(`error: ${text}`),
};

export interface WaitOptions {
  readonly clock: Clock;
  readonly pollMs: number;
  readonly timeoutMs: number;
  readonly say: (text: string) => void;
}

/**
 * Polls `check` until it reports done, printing its progress when it changes (and at least
 * every minute), or throws after `timeoutMs` naming what it waited for and how to go on.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<{ done: boolean; progress: string }>,
  { clock, pollMs, timeoutMs, say }: WaitOptions,
): Promise<string> {
  const start = clock.now().getTime();
  let last = "";
  let lastSaid = start;
  for (;;) {
    const { done, progress } = await check();
    const elapsed = clock.now().getTime() - start;
    if (done) return progress;
    if (progress !== last || clock.now().getTime() - lastSaid >= 60_000) {
      say(`  waiting for ${what}: ${progress} (${Math.round(elapsed / 1000)} s)`);
      last = progress;
      lastSaid = clock.now().getTime();
    }
    if (elapsed >= timeoutMs) {
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what} (${progress}); re-run to keep waiting, or raise --timeout-minutes`,
      );
    }
    await clock.sleep(pollMs);
  }
}

/** Ends a command-line tool with the exit code `command` resolves to; 2 when it throws. */
export function exitWith(command: Promise<number>): void {
  command.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
