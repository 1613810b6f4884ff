/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.spec.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // Synth-heavy specs share the machine's two cores; more workers only add memory.
  maxWorkers: 2,
};
