/**
 * Compares two folders written by harness/synth-variants.ts (`<variant>/stacks/<stack>/cdk.tf.json`)
 * so that a refactor can prove it destroys nothing in an existing deployment.
 *
 * Usage: node --import tsx harness/compare-synth.ts <before> <after> [--strict] [--allow <file>]
 *
 * Default mode: per variant and stack, the resource addresses (`type.name`) that stay, disappear or
 * appear. A resource address that disappears fails the run unless a `moved` block in the new JSON
 * takes it to an address that exists: Terraform would plan to destroy it. Data sources and outputs
 * hold no state, so their changes are listed, never fatal.
 *
 * `--strict` also fails on any other difference in the JSON, except at paths the allow file
 * declares: a JSON array of `{ "path": "resource.*.*.//.metadata.path", "why": "..." }`, where `*`
 * matches one path segment and a trailing `**` any rest. The reason is required: an undeclared
 * change is a change nobody has looked at.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface SynthDoc {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
  readonly moved?: readonly { from: string; to: string }[];
  readonly [key: string]: unknown;
}

export interface AddressDiff {
  readonly stayed: string[];
  readonly disappeared: string[];
  readonly appeared: string[];
}

export interface StackComparison {
  readonly resources: AddressDiff;
  /** Disappeared resource addresses that a `moved` block takes to an address that exists. */
  readonly moved: { from: string; to: string }[];
  /** Disappeared resource addresses with no move: Terraform would destroy them. */
  readonly destroyed: string[];
  readonly data: AddressDiff;
  readonly outputs: AddressDiff;
  /** JSON paths that differ and no allow entry declares (filled in strict mode). */
  readonly undeclared: string[];
}

export interface AllowEntry {
  readonly path: string;
  readonly why: string;
}

function addresses(blocks: Record<string, Record<string, unknown>> | undefined): string[] {
  return Object.entries(blocks ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => `${type}.${name}`),
  );
}

export function diffAddresses(before: readonly string[], after: readonly string[]): AddressDiff {
  const a = new Set(after);
  const b = new Set(before);
  return {
    stayed: before.filter((x) => a.has(x)).sort(),
    disappeared: before.filter((x) => !a.has(x)).sort(),
    appeared: after.filter((x) => !b.has(x)).sort(),
  };
}

/** Every path (segments) at which the two JSON values differ, leaves only. */
export function differingPaths(before: unknown, after: unknown, path: string[] = []): string[][] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null;
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => differingPaths(before[k], after[k], [...path, k]));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}

export function isAllowed(path: readonly string[], allow: readonly AllowEntry[]): boolean {
  return allow.some(({ path: pattern }) => {
    const parts = pattern.split(".");
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === "**") return true;
      if (i >= path.length || (parts[i] !== "*" && parts[i] !== path[i])) return false;
    }
    return parts.length === path.length;
  });
}

export function compareStacks(
  before: SynthDoc,
  after: SynthDoc,
  options: { strict?: boolean; allow?: readonly AllowEntry[] } = {},
): StackComparison {
  const resources = diffAddresses(addresses(before.resource), addresses(after.resource));
  const present = new Set(addresses(after.resource));
  const moves = after.moved ?? [];
  const moved = resources.disappeared.flatMap((from) =>
    moves.filter((m) => m.from === from && present.has(m.to)),
  );
  const destroyed = resources.disappeared.filter((from) => !moved.some((m) => m.from === from));
  const undeclared = options.strict
    ? differingPaths(before, after)
        .filter((p) => !isAllowed(p, options.allow ?? []))
        .map((p) => p.join("."))
    : [];
  return {
    resources,
    moved,
    destroyed,
    data: diffAddresses(addresses(before.data), addresses(after.data)),
    outputs: diffAddresses(Object.keys(before.output ?? {}), Object.keys(after.output ?? {})),
    undeclared,
  };
}

/** `<variant>/<stack>` for every synthesized stack under `dir`. */
export function stacksIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "stacks")))
    .flatMap((d) =>
      readdirSync(join(dir, d.name, "stacks"))
        .filter((s) => existsSync(join(dir, d.name, "stacks", s, "cdk.tf.json")))
        .map((s) => `${d.name}/${s}`),
    )
    .sort();
}

function load(dir: string, id: string): SynthDoc {
  const [variant, stack] = id.split("/");
  return JSON.parse(
    readFileSync(join(dir, variant, "stacks", stack, "cdk.tf.json"), "utf8"),
  ) as SynthDoc;
}

function main(argv: string[]): number {
  const strict = argv.includes("--strict");
  const allowAt = argv.indexOf("--allow");
  const allow: AllowEntry[] =
    allowAt >= 0 ? (JSON.parse(readFileSync(argv[allowAt + 1], "utf8")) as AllowEntry[]) : [];
  if (allow.some((e) => !e.why?.trim())) {
    process.stderr.write("every allow entry needs a `why`\n");
    return 2;
  }
  const [beforeDir, afterDir] = argv.filter(
    (a, i) => !a.startsWith("--") && (allowAt < 0 || i !== allowAt + 1),
  );
  if (!beforeDir || !afterDir) {
    process.stderr.write("usage: compare-synth.ts <before> <after> [--strict] [--allow <file>]\n");
    return 2;
  }
  let failed = false;
  const ids = [...new Set([...stacksIn(beforeDir), ...stacksIn(afterDir)])].sort();
  for (const id of ids) {
    const hasBefore = stacksIn(beforeDir).includes(id);
    const hasAfter = stacksIn(afterDir).includes(id);
    if (!hasBefore || !hasAfter) {
      process.stdout.write(`${id}: only in ${hasBefore ? "before" : "after"}\n`);
      failed ||= hasBefore;
      continue;
    }
    const c = compareStacks(load(beforeDir, id), load(afterDir, id), { strict, allow });
    const { resources: r, data, outputs } = c;
    process.stdout.write(
      `${id}: resources ${r.stayed.length} stayed, ${c.moved.length} moved, ` +
        `${c.destroyed.length} destroyed, ${r.appeared.length} new; ` +
        `data ${data.disappeared.length} gone/${data.appeared.length} new; ` +
        `outputs ${outputs.disappeared.length} gone/${outputs.appeared.length} new` +
        (strict ? `; ${c.undeclared.length} undeclared JSON changes` : "") +
        "\n",
    );
    const list = (label: string, items: readonly string[]) =>
      items.forEach((x) => process.stdout.write(`  ${label} ${x}\n`));
    c.moved.forEach((m) => process.stdout.write(`  moved     ${m.from} -> ${m.to}\n`));
    list("DESTROYED", c.destroyed);
    list(
      "new      ",
      r.appeared.filter((a) => !c.moved.some((m) => m.to === a)),
    );
    list("data gone", data.disappeared);
    list("data new ", data.appeared);
    list("out gone ", outputs.disappeared);
    list("out new  ", outputs.appeared);
    list("UNDECLARED", c.undeclared.slice(0, 50));
    if (c.undeclared.length > 50) process.stdout.write(`  ... ${c.undeclared.length - 50} more\n`);
    failed ||= c.destroyed.length > 0 || c.undeclared.length > 0;
  }
  process.stdout.write(failed ? "FAIL\n" : "OK\n");
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
