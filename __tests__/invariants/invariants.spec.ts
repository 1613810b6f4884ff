import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentInput } from "../../config/schema";
import { DELIVERY_VARIANTS, VARIANTS } from "../../harness/variants";
import { buildTestStacks, configWith, type SynthJson } from "../helpers";
import {
  autoscaledServicesResetCount,
  nameCollisions,
  namesOverLimit,
  openIngress,
  secretLiterals,
  unencrypted,
  wildcardStatements,
} from "./scan";

/** The app synthesized to disk as `cdktf synth` writes it: every stack's JSON, by stack id. */
function synthesize(
  environment: string,
  patch: (c: EnvironmentInput) => EnvironmentInput,
): Record<string, string> {
  const { app } = buildTestStacks(configWith(patch, environment));
  app.synth();
  const dir = join(app.outdir, "stacks");
  return Object.fromEntries(
    readdirSync(dir).map((stack) => [stack, readFileSync(join(dir, stack, "cdk.tf.json"), "utf8")]),
  );
}

const ALL = [...VARIANTS, ...DELIVERY_VARIANTS];

describe.each(ALL.map((v) => [v.name, v.environment, v.patch] as const))(
  "invariants: %s",
  (_name, environment, patch) => {
    const stacks = synthesize(environment, patch);
    const parsed = Object.entries(stacks).map(
      ([id, text]) => [id, JSON.parse(text) as SynthJson] as const,
    );

    it.each([
      ["no IAM wildcard outside the allow-list", wildcardStatements],
      ["no internet ingress except the ALB on 80 and 443", (j: SynthJson) => openIngress(j)],
      ["encryption and log retention everywhere; no public database", unencrypted],
      ["autoscaled services ignore desired_count", autoscaledServicesResetCount],
      ["every name within its AWS limit", namesOverLimit],
      ["no secret-looking literal", secretLiterals],
    ])("%s", (_rule, scan) => {
      const violations = parsed.flatMap(([id, json]) => scan(json).map((v) => `${id}: ${v}`));
      expect(violations).toEqual([]);
    });

    it("no two resources claim the same name in one account and region", () => {
      expect(nameCollisions(parsed.map(([, json]) => json))).toEqual([]);
    });

    it("two synths of the same config are byte-identical", () => {
      expect(synthesize(environment, patch)).toEqual(stacks);
    });
  },
);
