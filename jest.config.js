const { testBundles } = require("./harness/test-bundles.cjs");

/** @type {() => Promise<import('jest').Config>} */
module.exports = async () => ({
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.spec.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Synth-heavy specs share the machine's two cores; more workers only add memory.
  maxWorkers: 2,
  // cdktf and zod as single files, built on first use (harness/test-bundles.cjs): every spec
  // file loads them anew, and one file loads several times faster than hundreds.
  moduleNameMapper: await testBundles(),
});
