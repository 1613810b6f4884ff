import type { Construct } from "constructs";

/** Groups whose path a stack replaces when it names what they hold, with the path it uses. */
const formerPaths = new WeakMap<Construct, readonly string[]>();

/**
 * Marks `group` so that every resource and data source under it keeps the Terraform address it
 * would have if `group`'s path (from the stack) were `formerPath`. A construct that gathers parts
 * which used to sit elsewhere calls this first in its constructor, before any part exists (cdktf
 * fixes an address the first time something refers to it): existing deployments then see no
 * change and need no `moved` block, which would make `cdktf synth` need a Terraform binary.
 * The stack applies it (`BaseStack.allocateLogicalId`); harness/compare-synth.ts proves the
 * addresses stayed.
 *
 * @param formerPath construct ids from the stack down to where the parts used to live;
 *   `[]` (the default) when they were direct children of the stack
 */
export function keepAddresses(group: Construct, formerPath: readonly string[] = []): void {
  formerPaths.set(group, formerPath);
}

/**
 * The construct ids a logical ID is made from: `path` (ids from the stack down, one per entry of
 * `scopes`) with the innermost marked group's part replaced by its former path.
 */
export function addressPath(scopes: readonly Construct[]): string[] {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const former = formerPaths.get(scopes[i]);
    if (former) return [...former, ...scopes.slice(i + 1).map((c) => c.node.id)];
  }
  return scopes.map((c) => c.node.id);
}
