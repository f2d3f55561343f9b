import {
  addTotals,
  clipMessage,
  emptyReport,
  emptyTotals,
  type Outcome,
  round,
  type TestReport,
  type TestRun,
  tally,
} from "./test-report.js";
import { attribute, child, children, numberAttribute, text, type XmlDocument, type XmlNode } from "./xml.js";

/** NUnit 3 writes <test-run>; NUnit 2's <test-results> uses the same result names, mostly. */
export const NUNIT_ROOTS = ["test-run", "test-results"];

/**
 * NUnit's `result` (+ `label`) as one outcome, as EnricoMi's nunit3-to-junit transform reads it:
 * Failed with label Error, Cancelled or Invalid (NUnit 2: result Error) is an error; Skipped,
 * Ignored, Inconclusive, NotRunnable are skipped; Warning is a pass, as in NUnit's own summary.
 * A result we do not know is an error: a gate must not pass on it.
 */
const outcomeOf = (testCase: XmlNode): { outcome: Outcome; unknown?: string } => {
  const result = (attribute(testCase, "result") ?? "").trim().toLowerCase();
  const label = (attribute(testCase, "label") ?? "").trim().toLowerCase();
  if (attribute(testCase, "executed")?.toLowerCase() === "false") return { outcome: "skipped" };
  switch (result) {
    case "failed":
      return { outcome: ["error", "cancelled", "invalid"].includes(label) ? "error" : "failure" };
    case "error":
      return { outcome: "error" };
    case "failure":
      return { outcome: "failure" };
    case "skipped":
    case "ignored":
    case "inconclusive":
    case "notrunnable":
      return { outcome: "skipped" };
    case "passed":
    case "success":
    case "warning":
      return { outcome: "passed" };
    default:
      return { outcome: "error", unknown: attribute(testCase, "result") ?? "" };
  }
};

const messageOf = (testCase: XmlNode, outcome: Outcome, unknown: string | undefined): string => {
  if (unknown !== undefined) return unknown === "" ? "no result recorded" : `unknown result "${unknown}"`;
  if (outcome !== "failure" && outcome !== "error") return "";
  const failure = child(testCase, "failure");
  const message = text(child(failure, "message")) || text(failure) || attribute(testCase, "label") || "";
  return clipMessage(message.split("\n")[0]?.trim() ?? "");
};

const suiteName = (suite: XmlNode): string => attribute(suite, "fullname") ?? attribute(suite, "name") ?? "";

/** Every <test-suite> that holds test cases, with them: fixtures and parameterized methods. */
const collect = (element: XmlNode, into: Array<{ suite: XmlNode; cases: XmlNode[] }>): void => {
  const cases = children(element, "test-case");
  if (cases.length > 0) into.push({ suite: element, cases });
  for (const suite of children(element, "test-suite")) collect(suite, into);
  // NUnit 2 nests suites under <results>.
  for (const results of children(element, "results")) collect(results, into);
};

/** Normalises an NUnit 3 (or 2) report: one result per <test-case>; `suites[]` holds the fixtures. */
export const readNUnit = ({ element }: XmlDocument): TestReport => {
  const report = emptyReport();
  const groups: Array<{ suite: XmlNode; cases: XmlNode[] }> = [];
  collect(element, groups);
  if (groups.length === 0) {
    // A run without test cases: the root's counters are all there is.
    const count = (name: string) => Math.max(0, Math.floor(numberAttribute(element, name) ?? 0));
    report.tests = count("testcasecount") || count("total");
    report.failures = count("failed") || count("failures");
    report.errors = count("errors");
    report.skipped = count("skipped") + count("inconclusive") + count("ignored") + count("not-run");
    report.passed = Math.max(0, report.tests - report.failures - report.errors - report.skipped);
    report.time = round(numberAttribute(element, "duration") ?? numberAttribute(element, "time") ?? 0);
    return report;
  }
  for (const { suite, cases } of groups) {
    const name = suiteName(suite);
    const totals = emptyTotals();
    const runs = cases.map((testCase): TestRun => {
      const { outcome, unknown } = outcomeOf(testCase);
      const testName = attribute(testCase, "name") ?? "(unnamed test)";
      return {
        suite: name,
        name: testName,
        key: attribute(testCase, "fullname") ?? testName,
        outcome,
        message: messageOf(testCase, outcome, unknown),
        failedAttempts: 0,
        time: numberAttribute(testCase, "duration") ?? numberAttribute(testCase, "time") ?? 0,
      };
    });
    tally(runs, totals, report);
    report.suites.push({ name, ...totals });
    addTotals(report, totals);
  }
  report.time = round(
    numberAttribute(element, "duration") ?? numberAttribute(element, "time") ?? report.time,
  );
  return report;
};
