import {
  addTotals,
  clipMessage,
  emptyReport,
  emptyTotals,
  mergeReruns,
  type Outcome,
  round,
  type TestReport,
  type TestRun,
  type Totals,
  tally,
} from "./test-report.js";
import { attribute, children, numberAttribute, text, type XmlDocument, type XmlNode } from "./xml.js";

export const JUNIT_ROOTS = ["testsuites", "testsuite"];

/** The `message` attribute, else the first line of the element's text, else its `type`; "" for no element. */
const messageOf = (element: XmlNode | undefined): string => {
  const message =
    attribute(element, "message")?.trim() ||
    text(element).split("\n")[0]?.trim() ||
    attribute(element, "type") ||
    "";
  return clipMessage(message);
};

/** googletest writes `status="notrun"` (and `result="suppressed"`) for its DISABLED_ tests. */
const DISABLED_STATUSES = new Set(["disabled", "notrun"]);
const SKIPPED_STATUSES = new Set(["skipped", "ignored"]);

/**
 * One test case's one result, the most severe of error > failure > disabled/skipped > passed
 * (EnricoMi's order; dorny's too, which does not tell error from failure). Surefire's
 * `rerunFailure`/`rerunError` come with the final `failure`/`error` when every rerun failed;
 * `flakyFailure`/`flakyError` without one mean the test passed on a rerun.
 */
const runOf = (testcase: XmlNode, suite: string): TestRun => {
  const errors = [...children(testcase, "error"), ...children(testcase, "rerunError")];
  const failures = [...children(testcase, "failure"), ...children(testcase, "rerunFailure")];
  const flaky = [...children(testcase, "flakyFailure"), ...children(testcase, "flakyError")];
  const status = attribute(testcase, "status")?.trim().toLowerCase() ?? "";
  let outcome: Outcome = "passed";
  let message = "";
  if (children(testcase, "error").length > 0 || (errors.length > 0 && failures.length === 0)) {
    outcome = "error";
    message = messageOf(errors[0]);
  } else if (failures.length > 0) {
    outcome = "failure";
    message = messageOf(failures[0]);
  } else if (
    DISABLED_STATUSES.has(status) ||
    attribute(testcase, "result")?.trim().toLowerCase() === "suppressed" ||
    children(testcase, "disabled").length > 0
  ) {
    outcome = "disabled";
  } else if (SKIPPED_STATUSES.has(status) || children(testcase, "skipped").length > 0) {
    outcome = "skipped";
  } else {
    message = messageOf(flaky[0]);
  }
  const name = attribute(testcase, "name") ?? "(unnamed test)";
  return {
    suite,
    name,
    key: JSON.stringify([attribute(testcase, "classname") ?? "", name, attribute(testcase, "file") ?? ""]),
    outcome,
    message,
    failedAttempts: outcome === "passed" ? flaky.length : 0,
    time: numberAttribute(testcase, "time") ?? 0,
  };
};

/** A suite that lists no test cases: its attributes are all there is (disabled counts as skipped). */
const fromAttributes = (element: XmlNode): Totals => {
  const totals = emptyTotals();
  const count = (name: string) => Math.max(0, Math.floor(numberAttribute(element, name) ?? 0));
  totals.tests = count("tests");
  totals.failures = count("failures");
  totals.errors = count("errors");
  totals.disabled = count("disabled");
  totals.skipped =
    (numberAttribute(element, "skipped") === undefined ? count("skips") : count("skipped")) + totals.disabled;
  totals.passed = Math.max(0, totals.tests - totals.failures - totals.errors - totals.skipped);
  totals.time = round(numberAttribute(element, "time") ?? 0);
  return totals;
};

/**
 * Totals of a <testsuites> or <testsuite> element counted from its test cases (a `tests="173"`
 * over 2 test cases is 2 tests); runs of one test repeated in a suite are one test. `time` is
 * the attribute when present, else the sum.
 */
const visit = (element: XmlNode, suiteName: string | undefined, report: TestReport): Totals => {
  const cases = children(element, "testcase");
  const suites = children(element, "testsuite");
  if (cases.length === 0 && suites.length === 0) return fromAttributes(element);
  const totals = emptyTotals();
  const runs = cases.map((testcase) => runOf(testcase, suiteName ?? attribute(testcase, "classname") ?? ""));
  tally(mergeReruns(runs), totals, report);
  for (const suite of suites) {
    const name = attribute(suite, "name") ?? "";
    const entry = { name, ...emptyTotals() };
    report.suites.push(entry);
    const suiteTotals = visit(suite, name || undefined, report);
    Object.assign(entry, suiteTotals);
    addTotals(totals, suiteTotals);
  }
  totals.time = round(numberAttribute(element, "time") ?? totals.time);
  return totals;
};

/** Normalises a JUnit XML document (root <testsuites> or a bare <testsuite>). */
export const readJUnit = ({ root, element }: XmlDocument): TestReport => {
  const report = emptyReport();
  const container = root === "testsuites" ? element : { testsuite: [element] };
  Object.assign(report, visit(container, undefined, report));
  return report;
};
