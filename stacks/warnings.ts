import { ruleWarnings } from "../config/rules";
import type { AppConfig } from "../config/schema";
import type { StackId } from "./base-stack";

/**
 * Choices that synthesize but that a reviewer should see: printed by `cdktf synth` and by the
 * summary (`npm run synth`), attached to the stack they affect. The rules themselves are the
 * warning entries of config/rules.ts, which the configuration reference also lists.
 */
export function configWarnings(config: AppConfig, stack: StackId): string[] {
  return ruleWarnings(config, stack);
}
