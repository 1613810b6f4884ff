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
 * For the emulator rehearsal only, like HELLO_YOU_DR_ENDPOINT: `HELLO_YOU_DR_NOW` (an ISO time)
 * starts the clock there, so a rehearsal can run `dr promote` inside region A's maintenance
 * window whatever the calendar says. Time then runs at its own pace; sleeps are real.
 */
export const NOW_VARIABLE = "HELLO_YOU_DR_NOW";

/** The system clock, or one started at `HELLO_YOU_DR_NOW`; a value that is no time throws. */
export function clockFrom(env: Readonly<Record<string, string | undefined>>): Clock {
  const raw = env[NOW_VARIABLE]?.trim();
  if (!raw) return systemClock;
  const start = Date.parse(raw);
  if (Number.isNaN(start)) {
    throw new Error(
      `${NOW_VARIABLE}: "${raw}" is not a time; give an ISO time such as 2026-12-06T03:10:00Z, or unset it`,
    );
  }
  const offset = start - Date.now();
  return { now: () => new Date(Date.now() + offset), sleep: systemClock.sleep };
}

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
