/**
 * What every construct of a stack shares: the names of its region and the AWS context of its
 * default provider. A stack provides it once; a construct finds it from its scope, the way CDK's
 * `Stack.of(this)` finds the stack, instead of taking it through every props interface.
 * Constructs that place resources in another region take a provider, and that region's naming
 * and AWS context, in their props.
 */
import type { IConstruct } from "constructs";
import type { Naming } from "../naming/naming";
import type { AwsContext } from "./aws-context";

export interface StackContext {
  readonly naming: Naming;
  /** Account, partition and region of the stack's default provider. */
  readonly aws: AwsContext;
}

/**
 * An error of a construct's props, naming the construct's path so that a reader finds which one
 * of several (region A's or B's service, say) was given the bad value.
 */
export class ConstructError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${message} (construct ${scope.node.path})`);
    this.name = "ConstructError";
  }
}

const contexts = new WeakMap<IConstruct, StackContext>();

/** Makes `context` what the constructs under `stack` find. */
export function provideStackContext(stack: IConstruct, context: StackContext): void {
  contexts.set(stack, context);
}

/** The context of the nearest enclosing stack that provides one. */
export function stackContextOf(scope: IConstruct): StackContext {
  for (let node: IConstruct | undefined = scope; node; node = node.node.scope) {
    const context = contexts.get(node);
    if (context) return context;
  }
  throw new ConstructError(
    scope,
    "no stack context: build this construct inside one of the project's stacks, or pass naming and aws in its props",
  );
}
