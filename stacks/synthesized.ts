import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import type { AppConfig } from "../config/schema";
import { buildStacks } from ".";

/** One stack's Terraform JSON as `cdktf synth` writes it, by the stack's name. */
export interface SynthesizedStack {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Terraform JSON, read by each tool its own way
  readonly json: any;
}

/** The stacks of a synth in `outdir`, in the manifest's order. */
export function readSynth(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { name: string; synthesizedStackPath: string }>;
  };
  return Object.values(manifest.stacks).map((s) => ({
    name: s.name,
    json: JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), "utf8")),
  }));
}

/**
 * `config`'s stacks synthesized into a temporary folder (local state) and read back, for the
 * tools that read the synthesized JSON: the cost estimate and the architecture diagram.
 */
export function synthesizeStacks(config: AppConfig): SynthesizedStack[] {
  const outdir = mkdtempSync(join(tmpdir(), "synth-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    buildStacks(app, config, { kind: "local" });
    app.synth();
    return readSynth(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
