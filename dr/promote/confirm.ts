/**
 * Promotion cannot be undone: a person types the environment's name, or a pipeline says --yes.
 * Without a terminal and without --yes there is no one to ask, so the answer is no.
 */
import type { DrContext } from "../context";
import { Refusal } from "./step";

export interface Terminal {
  readonly isTTY: boolean;
  ask(question: string): Promise<string>;
}

export async function confirmPromotion(
  ctx: DrContext,
  { yes, terminal }: { yes: boolean; terminal: Terminal },
): Promise<void> {
  if (yes) return;
  if (!terminal.isTTY) {
    throw new Refusal(
      `promote changes region B (${ctx.regionB}) for good and there is no terminal to confirm on; pass --yes to confirm, or run it from a terminal`,
    );
  }
  const answer = await terminal.ask(
    `Promote region B (${ctx.regionB}) of ${ctx.config.project} ${ctx.environment}: the replica becomes a writer, which cannot be undone.\nType the environment name (${ctx.environment}) to go on: `,
  );
  if (answer.trim() !== ctx.environment) {
    throw new Refusal(
      `not confirmed: typed "${answer.trim()}", not "${ctx.environment}"; nothing changed`,
    );
  }
}
