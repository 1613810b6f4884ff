import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { type TerraformStack, Testing, TerraformBackend } from "cdktf";
import { ENVIRONMENTS } from "../../config";
import type { BackendChoice } from "../../config/backend";
import { LOCAL_STATE_DIR, localStateFile, localStatePath } from "../../config/state";
import { buildStacks } from "../../stacks";
import { configWith, type SynthJson } from "../helpers";

const BACKENDS: BackendChoice[] = [
  { kind: "local" },
  { kind: "s3", bucket: "acme-tf-state" },
  { kind: "cloud", organization: "acme" },
];

interface Synthesized {
  environment: string;
  stack: string;
  stackDir: string;
  json: SynthJson;
}

const synthesized = new Map<string, Synthesized[]>();

/** Every stack of `environment`, synthesized to disk with `backend` as `cdktf synth` does. */
function synthesize(environment: string, backend: BackendChoice, outdir?: string): Synthesized[] {
  const key = JSON.stringify([environment, backend, outdir]);
  if (!synthesized.has(key)) synthesized.set(key, synthesizeOnce(environment, backend, outdir));
  return synthesized.get(key)!;
}

function synthesizeOnce(environment: string, backend: BackendChoice, outdir?: string) {
  const app = Testing.app(outdir ? { outdir } : undefined);
  buildStacks(app, configWith(undefined, environment), backend);
  app.synth();
  const manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks).map(([stack, entry]) => ({
    environment,
    stack,
    stackDir: resolve(app.outdir, entry.workingDirectory),
    json: JSON.parse(readFileSync(join(app.outdir, entry.synthesizedStackPath), "utf8")),
  }));
}

/**
 * Every stack of `environment` with only its backend block: what the uniqueness rule reads,
 * without the cost of synthesizing every resource.
 */
function backends(environment: string, backend: BackendChoice): Synthesized[] {
  const app = Testing.app();
  const stacks = Object.values(buildStacks(app, configWith(undefined, environment), backend));
  return stacks
    .filter((stack): stack is TerraformStack => stack !== undefined)
    .map((stack) => {
      const block = stack.node.findAll().find((c) => c instanceof TerraformBackend);
      return {
        environment,
        stack: stack.node.id,
        stackDir: resolve(app.outdir, "stacks", stack.node.id),
        json: (block as TerraformBackend).toTerraform() as SynthJson,
      };
    });
}

/** Where a synthesized stack keeps its state: a file, an S3 object or a workspace. */
function stateLocation({ json, stackDir }: Synthesized): string {
  const terraform = json.terraform as {
    backend?: { local?: { path: string }; s3?: { bucket: string; key: string } };
    cloud?: { organization: string; workspaces: { name: string } };
  };
  if (terraform.backend?.local) return resolve(stackDir, terraform.backend.local.path);
  if (terraform.backend?.s3)
    return `s3://${terraform.backend.s3.bucket}/${terraform.backend.s3.key}`;
  if (terraform.cloud) return `${terraform.cloud.organization}/${terraform.cloud.workspaces.name}`;
  throw new Error(`no backend in ${JSON.stringify(terraform)}`);
}

describe.each(BACKENDS)("state locations with backend %j", (backend) => {
  const stacks = Object.keys(ENVIRONMENTS).flatMap((env) => backends(env, backend));

  it("covers primary, failover and link of every environment", () => {
    const built = stacks.map((s) => `${s.environment}/${s.stack}`);
    for (const env of Object.keys(ENVIRONMENTS)) {
      expect(built).toEqual(
        expect.arrayContaining([`${env}/primary`, `${env}/failover`, `${env}/link`]),
      );
    }
  });

  it("gives no two environments or stacks the same state", () => {
    const byLocation = new Map<string, string[]>();
    for (const s of stacks) {
      const where = stateLocation(s);
      byLocation.set(where, [...(byLocation.get(where) ?? []), `${s.environment}/${s.stack}`]);
    }
    const shared = [...byLocation].filter(([, owners]) => owners.length > 1);
    expect(shared).toEqual([]);
    expect(byLocation.size).toBe(stacks.length);
  });
});

describe("local state", () => {
  const stacks = synthesize("dev", { kind: "local" });

  it("is where the link stack reads both regions' outputs from, in every environment", () => {
    for (const env of Object.keys(ENVIRONMENTS)) {
      const synthesizedEnv = synthesize(env, { kind: "local" });
      const stack = (id: string) => synthesizedEnv.find((s) => s.stack === id)!;
      const link = stack("link");
      const remotes = link.json.data?.terraform_remote_state ?? {};
      expect(Object.keys(remotes).sort()).toEqual([
        "cross-stack-reference-input-failover",
        "cross-stack-reference-input-primary",
      ]);
      for (const id of ["primary", "failover"]) {
        const remote = remotes[`cross-stack-reference-input-${id}`] as {
          backend?: string;
          config?: { path?: string };
        };
        expect(remote.backend).toBe("local");
        expect(resolve(link.stackDir, remote.config!.path!)).toBe(stateLocation(stack(id)));
      }
      // Region B reads nobody's state: it must plan while region A is down.
      expect(stack("failover").json.data?.terraform_remote_state).toBeUndefined();
    }
  });

  it("lives in state/<environment>/<stack>.tfstate under the project, outside cdktf.out", () => {
    for (const s of stacks) {
      const path = (s.json.terraform as { backend: { local: { path: string } } }).backend.local
        .path;
      expect(isAbsolute(path)).toBe(false);
      expect(resolve(s.stackDir, path)).toBe(
        resolve(process.cwd(), LOCAL_STATE_DIR, "dev", `${s.stack}.tfstate`),
      );
      expect(resolve(s.stackDir, path).startsWith(resolve(s.stackDir, "..", ".."))).toBe(false);
    }
  });

  it("stays put when the output directory moves (CI synthesizes into cdktf.out/<env>)", () => {
    const nested = join(mkdtempSync(join(tmpdir(), "state-spec-")), "cdktf.out", "dev");
    mkdirSync(nested, { recursive: true });
    const moved = synthesize("dev", { kind: "local" }, nested);
    expect(moved.map(stateLocation).sort()).toEqual(stacks.map(stateLocation).sort());
  });

  it("computes the path from the stack's working directory", () => {
    expect(localStatePath("/repo", "cdktf.out", "prod", "failover")).toBe(
      "../../../state/prod/failover.tfstate",
    );
    expect(localStatePath("/repo", "/repo/cdktf.out/prod", "prod", "primary")).toBe(
      "../../../../state/prod/primary.tfstate",
    );
    expect(localStateFile("/repo", "dev", "primary")).toBe("/repo/state/dev/primary.tfstate");
  });
});
