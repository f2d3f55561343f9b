import type { SerializedError } from "vitest";
import type { Reporter, TestModule, TestRunEndReason } from "vitest/node";

/**
 * Prints a plain closing line ("N passed, N failed, N skipped") that any CI can read, as the
 * run's very last line. A test
 * file that fails to load, and an error outside tests, count as failures.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    _reason: TestRunEndReason,
  ) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      if (module.errors().length > 0) failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    // At exit, so that it stays the last line after the coverage report and its threshold check.
    const line = `\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`;
    process.once("exit", () => process.stdout.write(line));
  }
}
