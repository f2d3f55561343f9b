import { defineConfig } from "vitest/config";

/** The unit tests of the decision cores, without moto_server or bundles: what Stryker runs per mutant. */
export default defineConfig({
  test: {
    include: [
      "tests/unit/ecr-findings-check/**/*.test.ts",
      "tests/unit/artifact-check/**/*.test.ts",
      "tests/unit/window-check/**/*.test.ts",
      "tests/unit/shared/**/*.test.ts",
    ],
    env: { POWERTOOLS_DEV: "false" },
  },
});
