/**
 * Where each stack keeps its Terraform state, for every backend: one local file, one S3 key or
 * one Terraform Cloud workspace per environment and stack, so that deploying one environment
 * never plans against another's state.
 */
import { relative, resolve } from "node:path";

/**
 * Local state lives here, under the project: outside `cdktf.out/`, which every synth wipes, and
 * ignored by git.
 */
export const LOCAL_STATE_DIR = "state";

/** The local state file of `stack` in `environment`, under `projectDir`. */
export function localStateFile(projectDir: string, environment: string, stack: string): string {
  return resolve(projectDir, LOCAL_STATE_DIR, environment, `${stack}.tfstate`);
}

/**
 * The local backend's `path`: Terraform resolves it from the stack's working directory
 * (`<outdir>/stacks/<stack>`), so it is written relative to that directory. A relative path keeps
 * the checkout's location out of the synthesized JSON, and it stays right for the consumer's
 * remote-state lookup because every stack directory sits at the same depth.
 */
export function localStatePath(
  projectDir: string,
  outdir: string,
  environment: string,
  stack: string,
): string {
  const stackDir = resolve(projectDir, outdir, "stacks", stack);
  return relative(stackDir, localStateFile(projectDir, environment, stack));
}

/** The S3 object key of a stack's state. */
export function s3StateKey(project: string, environment: string, stack: string): string {
  return `${project}/${environment}/${stack}.tfstate`;
}

/** The Terraform Cloud workspace of a stack: cross-stack references need one per stack. */
export function workspaceName(project: string, environment: string, stack: string): string {
  return `${project}-${environment}-${stack}`;
}
