/**
 * npm run mutation — StrykerJS over the decision cores, with their unit tests (vitest). About 16
 * minutes on 2 cores, so not part of npm test; the scores are in docs/development.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: [
    "functions/ecr-findings-check/evaluate.ts",
    "functions/ecr-findings-check/policy.ts",
    "functions/artifact-check/evaluate.ts",
    "functions/artifact-check/junit.ts",
    "functions/window-check/evaluate.ts",
    "functions/window-check/windows.ts",
    "functions/window-check/cron.ts",
    "shared/report.ts",
  ],
  coverageAnalysis: "perTest",
  // Mutants in module-level code would re-run every test of a file: about half the time for 4 % of mutants.
  ignoreStatic: true,
  concurrency: 2,
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".tmp/stryker",
  thresholds: { high: 90, low: 80, break: null },
};
