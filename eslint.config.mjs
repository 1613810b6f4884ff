import js from "@eslint/js";
import tseslint from "typescript-eslint";

const rootImportMessage =
  "Import the resource class from '@cdktf/provider-<name>/lib/<resource>': the package root loads every class (seconds and hundreds of MB per synth and test).";
const rootImports = ["@cdktf/provider-aws", "@cdktf/provider-random", "@cdktf/provider-github"].map(
  (name) => ({ name, message: rootImportMessage }),
);

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "coverage/", ".venv/", "**/*.js", "**/*.mjs"] },
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
              group: ["**/stacks", "**/stacks/**", "**/scripts/**"],
              message: "Imports run downwards only: main -> stacks -> constructs -> facts.",
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
