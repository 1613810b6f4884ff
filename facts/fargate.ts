/**
 * What Fargate accepts for a task.
 *
 * Source: "Task CPU and memory" in the Amazon ECS Developer Guide
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 */

/** Valid memory sizes (MiB) for each task CPU size (CPU units, 1024 = 1 vCPU). */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/**
 * CPU architectures FARGATE_SPOT runs. ARM64 joined in September 2024 ("AWS Fargate Spot now
 * supports AWS Graviton-based compute", AWS What's New, 2024-09).
 */
export const FARGATE_SPOT_ARCHITECTURES: readonly string[] = ["X86_64", "ARM64"];

/** Memory sizes valid with `cpu`, or undefined when `cpu` is not a Fargate CPU size. */
export function fargateMemoryOptions(cpu: number): readonly number[] | undefined {
  return Object.hasOwn(FARGATE_SIZES, cpu) ? FARGATE_SIZES[cpu] : undefined;
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}
