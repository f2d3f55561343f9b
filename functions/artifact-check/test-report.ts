/**
 * The one shape every test report (JUnit, NUnit 3, TRX) is normalised to, and the counting rules
 * shared by all of them. Pure: the XML readers turn their elements into `TestRun`s and call `tally`.
 *
 * Counting follows the peers (EnricoMi/publish-unit-test-result-action, mikepenz/action-junit-report,
 * dorny/test-reporter): a total counts test cases, one result per test case, the most severe of
 * error > failure > skipped > passed; disabled tests count as skipped too.
 */

/** A test's one result. `disabled` is counted in `skipped` as well. */
export type Outcome = "passed" | "failure" | "error" | "skipped" | "disabled";

/** One run of one test case, as a reader found it. */
export interface TestRun {
  suite: string;
  name: string;
  /** Identifies repeated runs of the same test (with `name`): classname and file where there are. */
  key: string;
  outcome: Outcome;
  /** For a failure or error: why; for a flaky pass: why it failed first. */
  message: string;
  /** Failed attempts recorded inside this run (Surefire `flakyFailure`/`flakyError`). */
  failedAttempts: number;
  time: number;
}

export interface Totals {
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  disabled: number;
  flaky: number;
  time: number;
}

export interface SuiteTotals extends Totals {
  name: string;
}

export interface FailedTest {
  suite: string;
  name: string;
  message: string;
}

export interface FlakyTest {
  suite: string;
  name: string;
  /** How many attempts failed before the pass. */
  failedRuns: number;
  message: string;
}

/** A test report as the checks see it: totals over all suites, the suites, the failed and the flaky tests. */
export interface TestReport extends Totals {
  suites: SuiteTotals[];
  failed: FailedTest[];
  flakyTests: FlakyTest[];
}

export const emptyTotals = (): Totals => ({
  tests: 0,
  passed: 0,
  failures: 0,
  errors: 0,
  skipped: 0,
  disabled: 0,
  flaky: 0,
  time: 0,
});

export const emptyReport = (): TestReport => ({ ...emptyTotals(), suites: [], failed: [], flakyTests: [] });

export const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;

export const addTotals = (into: Totals, from: Totals): void => {
  into.tests += from.tests;
  into.passed += from.passed;
  into.failures += from.failures;
  into.errors += from.errors;
  into.skipped += from.skipped;
  into.disabled += from.disabled;
  into.flaky += from.flaky;
  into.time = round(into.time + from.time);
};

const failed = (outcome: Outcome): boolean => outcome === "failure" || outcome === "error";

/**
 * Folds repeated runs of one test (same key) into one result: the last run that was not skipped
 * decides; a pass after failed runs is a flaky pass. Runs of different tests keep their order.
 */
export const mergeReruns = (runs: readonly TestRun[]): TestRun[] => {
  const byKey = new Map<string, TestRun[]>();
  for (const run of runs) {
    const group = byKey.get(run.key);
    if (group) group.push(run);
    else byKey.set(run.key, [run]);
  }
  const merged: TestRun[] = [];
  for (const group of byKey.values()) {
    const last = group.at(-1) as TestRun;
    if (group.length === 1) {
      merged.push(last);
      continue;
    }
    const decisive =
      group.filter((run) => run.outcome !== "skipped" && run.outcome !== "disabled").at(-1) ?? last;
    const earlierFailures = group.filter((run) => run !== decisive && failed(run.outcome));
    merged.push({
      ...decisive,
      time: group.reduce((sum, run) => sum + run.time, 0),
      failedAttempts:
        decisive.failedAttempts +
        earlierFailures.length +
        earlierFailures.reduce((n, r) => n + r.failedAttempts, 0),
      message:
        decisive.outcome === "passed" ? (earlierFailures[0]?.message ?? decisive.message) : decisive.message,
    });
  }
  return merged;
};

/** Counts one result per test into `totals` and lists the failed and flaky tests in `report`. */
export const tally = (tests: readonly TestRun[], totals: Totals, report: TestReport): void => {
  for (const test of tests) {
    totals.tests++;
    totals.time += test.time;
    switch (test.outcome) {
      case "error":
        totals.errors++;
        break;
      case "failure":
        totals.failures++;
        break;
      case "disabled":
        totals.disabled++;
        totals.skipped++;
        break;
      case "skipped":
        totals.skipped++;
        break;
      case "passed":
        totals.passed++;
        if (test.failedAttempts > 0) {
          totals.flaky++;
          report.flakyTests.push({
            suite: test.suite,
            name: test.name,
            failedRuns: test.failedAttempts,
            message: test.message,
          });
        }
        break;
    }
    if (failed(test.outcome))
      report.failed.push({ suite: test.suite, name: test.name, message: test.message });
  }
  totals.time = round(totals.time);
};

const MAX_MESSAGE_CHARS = 300;

/** A failure's message cut to a readable length. */
export const clipMessage = (message: string): string =>
  message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
