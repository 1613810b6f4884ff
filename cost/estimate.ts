/**
 * A monthly cost estimate of synthesized stacks, from their Terraform JSON alone: list prices
 * (`cost/prices.ts`) times the quantities the JSON states (hours, instances, rules, alarms) and the
 * usage it cannot state (`cost/usage.ts`). The pilot light's price is the `failover` and `link`
 * stacks together, against `primary`: that ratio is what region B costs while region A serves.
 */
import { PRICED_REGIONS, PRICES_AS_OF, type PricedRegion } from "./prices";
import { FREE, NoPrice, RULES, type Res, type Role } from "./resources";
import { DEFAULT_USAGE, type Usage } from "./usage";

export interface CostLine {
  /** Terraform address, `type.logical_id`. */
  readonly address: string;
  /** The construct path cdktf records, for people. */
  readonly path: string;
  readonly region: string;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  readonly source: string;
}

export interface StackCost {
  readonly stack: string;
  readonly role: Role;
  readonly monthlyUsd: number;
  readonly lines: CostLine[];
}

export interface Estimate {
  readonly pricesAsOf: string;
  readonly stacks: StackCost[];
  /** `primary`'s monthly total. */
  readonly primaryUsd: number;
  /** `failover` and `link` together. */
  readonly standbyUsd: number;
  /** standbyUsd / primaryUsd; null without both. */
  readonly standbyRatio: number | null;
  /** Resource types in the stacks with neither a pricing rule nor a reason to be free. */
  readonly unpricedTypes: string[];
  /** Resources whose settings the price table cannot price, each with why. */
  readonly problems: string[];
}

export interface StackJson {
  readonly name: string;
  readonly json: {
    readonly resource?: Readonly<Record<string, Readonly<Record<string, Res>>>>;
    readonly provider?: Readonly<Record<string, readonly Res[]>>;
  };
}

/** Stacks that exist for region B only: what the pilot light costs. */
export const STANDBY_STACKS = ["failover", "link"];

const roleOf = (stack: string): Role => (STANDBY_STACKS.includes(stack) ? "standby" : "serving");
const cents = (usd: number) => Math.round(usd * 100) / 100;

/** The region each AWS provider block (default and aliases) configures, by its reference. */
function providerRegions(json: StackJson["json"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of json.provider?.aws ?? []) {
    out[p.alias ? `aws.${String(p.alias)}` : "aws"] = String(p.region);
  }
  return out;
}

/** Types a rule or a reason covers; the rest are unpriced. */
export function unpricedTypes(types: Iterable<string>): string[] {
  return [...new Set(types)].filter((t) => !(t in RULES) && !(t in FREE)).sort();
}

export function estimate(stacks: readonly StackJson[], usage: Usage = DEFAULT_USAGE): Estimate {
  const problems: string[] = [];
  const types: string[] = [];
  const costs = stacks.map(({ name, json }): StackCost => {
    const role = roleOf(name);
    const resources = json.resource ?? {};
    const regions = providerRegions(json);
    const lines: CostLine[] = [];
    for (const [type, byId] of Object.entries(resources)) {
      types.push(type);
      const rule = RULES[type];
      if (!rule) continue;
      for (const [id, resource] of Object.entries(byId)) {
        const address = `${type}.${id}`;
        const meta = (resource["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
        const home = regions[String(resource.provider ?? "aws")];
        try {
          const charges = rule(resource, { role, usage, traffic: usage[role], resources });
          for (const c of charges) {
            const region = c.region ?? home;
            if (!PRICED_REGIONS.includes(region as PricedRegion)) {
              throw new NoPrice(
                `region ${region} has no prices in cost/prices.ts (priced: ${PRICED_REGIONS.join(", ")})`,
              );
            }
            const unitUsd = c.price.usd[region as PricedRegion];
            lines.push({
              address,
              path: meta?.path ?? address,
              region,
              item: c.item,
              quantity: c.quantity,
              unit: c.price.unit,
              unitUsd,
              monthlyUsd: c.quantity * unitUsd,
              source: c.price.source,
            });
          }
        } catch (error) {
          if (!(error instanceof NoPrice)) throw error;
          problems.push(`${name}: ${address}: ${error.message}`);
        }
      }
    }
    lines.sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.address.localeCompare(b.address));
    const total = lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
    return { stack: name, role, monthlyUsd: cents(total), lines };
  });
  const sum = (names: string[]) =>
    costs.filter((c) => names.includes(c.stack)).reduce((s, c) => s + c.monthlyUsd, 0);
  const hasPrimary = costs.some((c) => c.stack === "primary");
  const hasStandby = costs.some((c) => c.stack === "failover");
  const primaryUsd = cents(sum(["primary"]));
  const standbyUsd = cents(sum(STANDBY_STACKS));
  return {
    pricesAsOf: PRICES_AS_OF,
    stacks: costs,
    primaryUsd,
    standbyUsd,
    standbyRatio: hasPrimary && hasStandby && primaryUsd > 0 ? standbyUsd / primaryUsd : null,
    unpricedTypes: unpricedTypes(types),
    problems,
  };
}

/** Each resource's monthly cost, summed over its charges, most expensive first. */
export function byResource(stack: StackCost): { path: string; monthlyUsd: number }[] {
  const totals = new Map<string, number>();
  for (const l of stack.lines) totals.set(l.path, (totals.get(l.path) ?? 0) + l.monthlyUsd);
  return [...totals]
    .map(([path, monthlyUsd]) => ({ path, monthlyUsd }))
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.path.localeCompare(b.path));
}

export const usd = (n: number) => `$${n.toFixed(2)}`;
export const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
