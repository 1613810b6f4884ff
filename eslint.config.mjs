import js from "@eslint/js";
import tseslint from "typescript-eslint";

const rootImportMessage =
  "Import the resource class from '@cdktf/provider-<name>/lib/<resource>': the package root loads every class (seconds and hundreds of MB per synth and test).";
const rootImports = ["@cdktf/provider-aws", "@cdktf/provider-random", "@cdktf/provider-github"].map(
  (name) => ({ name, message: rootImportMessage }),
);

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
  {
    // The layering (docs/architecture.md): constructs speak in construct terms and facts are
    // plain AWS facts; only stacks/ turns settings into props.
    files: ["constructs/**/*.ts", "facts/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: rootImports,
          patterns: [
            {
              group: ["**/config", "**/config/**"],
              message:
                "constructs/ and facts/ never import config/: take construct-shaped props; the stack translates settings.",
            },
            {
              group: ["**/recovery/**", "**/docs-gen/**"],
              message:
                "constructs/ and facts/ never import the recovery model or the doc generators.",
            },
            {
              group: ["**/stacks", "**/stacks/**", "**/scripts/**"],
              message: "Imports run downwards only: main -> stacks -> constructs -> facts.",
            },
          ],
        },
      ],
    },
  },
  {
    // The recovery model computes from config's types alone; the doc generators read it.
    files: ["recovery/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: rootImports,
          patterns: [
            {
              group: [
                "**/docs-gen",
                "**/docs-gen/**",
                "**/stacks",
                "**/stacks/**",
                "**/scripts/**",
              ],
              message:
                "recovery/ imports neither docs-gen/, stacks/ nor scripts/ (docs/architecture.md).",
            },
            {
              group: ["**/constructs", "**/constructs/**"],
              message: "recovery/ speaks in settings, not constructs.",
            },
            {
              group: ["**/config", "**/config/**"],
              allowTypeImports: true,
              message:
                "recovery/ takes config's types only: the budgets are computed from an AppConfig it is given.",
            },
          ],
        },
      ],
    },
  },
  {
    // Settings are read by the recovery model and the doc generators, never the other way.
    files: ["config/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: rootImports,
          patterns: [
            {
              group: [
                "**/recovery",
                "**/recovery/**",
                "**/docs-gen",
                "**/docs-gen/**",
                "**/stacks",
                "**/stacks/**",
                "**/scripts/**",
              ],
              message:
                "config/ imports only facts/: the recovery model and the doc generators read config, not the reverse.",
            },
            {
              group: ["**/constructs", "**/constructs/**"],
              message: "config/ speaks in settings, not constructs.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["main.ts", "stacks/**/*.ts", "constructs/**/*.ts"],
    rules: {
      // cdktf constructs are created for their side effect on the tree.
      "no-new": "off",
    },
  },
);
