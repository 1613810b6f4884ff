import js from "@eslint/js";
import tseslint from "typescript-eslint";

const rootImportMessage =
  "Import the resource class from '@cdktf/provider-<name>/lib/<resource>': the package root loads every class (seconds and hundreds of MB per synth and test).";
const rootImports = ["@cdktf/provider-aws", "@cdktf/provider-random", "@cdktf/provider-github"].map(
  (name) => ({ name, message: rootImportMessage }),
);

/** Import patterns that name other homes of the repository. */
function forbid(...homes) {
  return homes.map((home) => ({ group: [`**/${home}`, `**/${home}/**`], message: "" }));
}

/** One layer's import rule: `patterns` for `files`, their messages defaulting to `why`. */
function layer(files, why, patterns) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: rootImports,
          patterns: patterns.map((p) => ({ ...p, message: p.message || why })),
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "cdktf.out/",
      "coverage/",
      ".venv/",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-imports": ["error", { paths: rootImports }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  // The layering (docs/architecture.md): each home imports only the homes below it.
  layer(["facts/**/*.ts"], "facts/ holds AWS facts only and imports nothing of the project.", [
    ...forbid("naming", "config", "constructs", "stacks", "dr", "harness", "scripts", "docs-gen"),
  ]),
  layer(["naming/**/*.ts"], "naming/ derives names from facts/ alone.", [
    ...forbid("config", "constructs", "stacks", "dr", "harness", "scripts", "docs-gen"),
  ]),
  layer(
    ["config/**/*.ts"],
    "config/ imports only facts/ and naming/: the stacks, dr and the doc generators read config, not the reverse.",
    [...forbid("constructs", "stacks", "dr", "harness", "scripts", "docs-gen")],
  ),
  layer(
    ["constructs/**/*.ts"],
    "constructs/ speak in construct terms (facts/ and naming/ only); stacks/ turns settings into props.",
    [...forbid("config", "stacks", "dr", "harness", "scripts", "docs-gen")],
  ),
  layer(
    ["stacks/**/*.ts", "main.ts"],
    "stacks/ compose constructs from config; the recovery tool and the harness sit beside them, not below.",
    [...forbid("dr", "harness", "scripts", "docs-gen")],
  ),
  layer(
    ["dr/**/*.ts"],
    "dr/ runs during an incident from config and naming/ alone: never the constructs, the stacks or the harness.",
    forbid("constructs", "stacks", "harness", "scripts", "docs-gen"),
  ),
  // A later entry replaces the rule for its files: the budgets also take config's types only.
  layer(["dr/budgets.ts"], "The budgets are computed from an AppConfig they are given.", [
    ...forbid("constructs", "stacks", "harness", "scripts", "docs-gen"),
    { group: ["**/config", "**/config/**"], allowTypeImports: true, message: "" },
  ]),
  layer(
    ["release/**/*.ts", "maintenance/**/*.ts"],
    "release/ and maintenance/ are operator tools like dr/: config, naming/ and dr's runtime and clients only.",
    forbid("constructs", "stacks", "harness", "scripts", "docs-gen"),
  ),
  layer(
    ["release/**/*.ts", "maintenance/**/*.ts"],
    "The operator tools (release, maintenance) work from config and naming/, like dr/: never the constructs, the stacks or the harness.",
    forbid("constructs", "stacks", "harness", "scripts", "docs-gen"),
  ),
  layer(
    ["cost/**/*.ts"],
    "cost/ reads synthesized stacks and config; it never reaches into constructs, dr or the harness.",
    forbid("constructs", "dr", "harness", "scripts", "docs-gen", "release", "maintenance"),
  ),
  layer(["scripts/**/*.ts", "docs-gen/**/*.ts"], "Helpers never reach into the test harness.", [
    ...forbid("harness"),
  ]),
  {
    files: ["main.ts", "stacks/**/*.ts", "constructs/**/*.ts"],
    rules: {
      // cdktf constructs are created for their side effect on the tree.
      "no-new": "off",
    },
  },
);
