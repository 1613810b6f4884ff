/**
 * The "From the outage" section of docs/disaster-recovery.md: dr/outage.ts's phases for both
 * modes, per environment, with the assumptions and their sources.
 */
import type { AppConfig } from "../config/schema";
import { EVALUATION_MINUTES } from "./auto/decide";
import {
  OUTAGE_ASSUMPTIONS,
  OUTAGE_GOAL,
  type Phase,
  automaticPromotion,
  goalVerdict,
  outageBudget,
} from "./outage";

type Range = readonly [number, number];

const PHASE_TITLES: Record<Phase["id"], string> = {
  detection: "Detection",
  decision: "Decision",
  promotion: "Promotion",
  taskStart: "Task start",
  dns: "DNS (beside the rest)",
};

export interface Measured {
  readonly orchestrationSeconds: number;
  readonly measuredOn: string;
}

function minutes(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.round((seconds / 60) * 10) / 10} min`;
}

const range = ([lo, hi]: Range) => (lo === hi ? minutes(lo) : `${minutes(lo)} - ${minutes(hi)}`);

/** One environment's table, the bases of its figures, and the verdict on the goal. */
export function outageTable(name: string, config: AppConfig, measured: Measured): string {
  const human = outageBudget(config, "human", measured.orchestrationSeconds);
  const automatic = outageBudget(config, "automatic", measured.orchestrationSeconds);
  const rows = human.phases.map((phase, i) => {
    const other = automatic.phases[i];
    return `| ${PHASE_TITLES[phase.id]} | ${range(phase.seconds)} | ${range(other.seconds)} |`;
  });
  const verdict = goalVerdict(OUTAGE_GOAL.mode === "automatic" ? automatic : human);
  const how = human.phases.map((phase, i) => {
    const other = automatic.phases[i];
    return other.basis === phase.basis
      ? `- **${PHASE_TITLES[phase.id]}.** ${phase.basis}`
      : `- **${PHASE_TITLES[phase.id]}.** Human: ${phase.basis} Automatic: ${other.basis}`;
  });
  const mid = (b: typeof human) => minutes((b.total[0] + b.total[1]) / 2);
  return `#### \`${name}\` from the outage (automatic promotion ${automaticPromotion(config) ? "on" : "off"})

| Phase | Human decides | Automatic |
| --- | --- | --- |
${rows.join("\n")}
| **From the outage** | **${range(human.total)}** (median ${mid(human)}) | **${range(automatic.total)}** (median ${mid(automatic)}) |

${how.join("\n")}

Goal, automatic: under ${minutes(OUTAGE_GOAL.seconds)} from the outage. ${
    verdict.meets
      ? `Met: median ${minutes(verdict.median)}.`
      : `Not met by these assumptions: median ${minutes(verdict.median)}, best case ${minutes(automatic.total[0])}. What would have to change: ${verdict.change}`
  } Measured beside it: the recovery tool's own calls, ${measured.orchestrationSeconds} s in the rehearsal (${measured.measuredOn}); every other figure is an assumption below.`;
}

/** The assumptions, each with its source, and the automatic trigger's figures. */
export function outageAssumptions(config: AppConfig): string {
  const { quorumMinutes, holdMinutes } = config.failover.automation;
  const lines = Object.entries(OUTAGE_ASSUMPTIONS).map(
    ([key, a]) => `- \`${key}\` ${range(a.seconds)}: ${a.source.replace(/\.$/, "")}.`,
  );
  return `${lines.join("\n")}
- Automatic trigger (prod's settings, not assumptions): two signals held ${quorumMinutes} min (\`failover.automation.quorumMinutes\`), evaluated every ${EVALUATION_MINUTES} min, then a page and a ${holdMinutes} min hold (\`failover.automation.holdMinutes\`); \`dr/auto/decide.ts\` decides on them.`;
}
