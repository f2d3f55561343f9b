import {
  addTotals,
  clipMessage,
  emptyReport,
  emptyTotals,
  type Outcome,
  round,
  type SuiteTotals,
  type TestReport,
  type TestRun,
  tally,
} from "./test-report.js";
import { attribute, child, children, numberAttribute, text, type XmlDocument, type XmlNode } from "./xml.js";

/** Visual Studio / `dotnet test --logger trx` results. */
export const TRX_ROOTS = ["TestRun"];

/**
 * A TRX `outcome` as one result. Passed (and PassedButRunAborted, Warning) pass; Failed is a
 * failure; Error, Timeout, Aborted and a missing outcome are errors (EnricoMi's transform counts
 * Timeout and Aborted as skipped; a gate must not pass a test that timed out); the other
 * not-run outcomes (NotExecuted, Inconclusive, NotRunnable, Pending, …) are skipped, as the peers do.
 */
const outcomeOf = (outcome: string | undefined): Outcome => {
  switch ((outcome ?? "").trim().toLowerCase()) {
    case "passed":
    case "passedbutrunaborted":
    case "warning":
      return "passed";
    case "failed":
      return "failure";
    case "":
    case "error":
    case "timeout":
    case "aborted":
      return "error";
    default:
      return "skipped";
  }
};

/** "00:00:01.2340000" → 1.234 */
const seconds = (duration: string | undefined): number => {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(duration?.trim() ?? "");
  if (!match) return 0;
  const [, days = "0", hours = "0", minutes = "0", secs = "0"] = match;
  return Number(days) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(secs);
};

/** The class of each test definition, by test id ("NS.Tests, Assembly" → "NS.Tests"). */
const classNames = (run: XmlNode): Map<string, string> => {
  const names = new Map<string, string>();
  for (const definitions of children(run, "TestDefinitions")) {
    for (const test of children(definitions, "UnitTest")) {
      const className = attribute(child(test, "TestMethod"), "className");
      const id = attribute(test, "id");
      if (id && className) names.set(id, className.split(",")[0]?.trim() ?? className);
    }
  }
  return names;
};

const fromCounters = (run: XmlNode, report: TestReport): TestReport => {
  const counters = child(child(run, "ResultSummary"), "Counters");
  const count = (name: string) => Math.max(0, Math.floor(numberAttribute(counters, name) ?? 0));
  report.tests = count("total");
  report.failures = count("failed");
  report.errors = count("error") + count("timeout") + count("aborted");
  report.passed = count("passed") + count("passedButRunAborted") + count("warning");
  report.skipped = Math.max(0, report.tests - report.failures - report.errors - report.passed);
  return report;
};

/** Normalises a TRX report: one result per top-level <UnitTestResult>, suites by test class. */
export const readTrx = ({ element }: XmlDocument): TestReport => {
  const report = emptyReport();
  const results = children(element, "Results").flatMap((results) => children(results, "UnitTestResult"));
  if (results.length === 0) return fromCounters(element, report);
  const classes = classNames(element);
  const bySuite = new Map<string, TestRun[]>();
  for (const result of results) {
    const suite = classes.get(attribute(result, "testId") ?? "") ?? "";
    const testName = attribute(result, "testName") ?? "(unnamed test)";
    const name = suite && testName.startsWith(`${suite}.`) ? testName.slice(suite.length + 1) : testName;
    const outcome = outcomeOf(attribute(result, "outcome"));
    const errorInfo = child(child(result, "Output"), "ErrorInfo");
    const message =
      outcome === "failure" || outcome === "error"
        ? text(child(errorInfo, "Message")).split("\n")[0]?.trim() ||
          (attribute(result, "outcome") ?? "no outcome recorded")
        : "";
    const run: TestRun = {
      suite,
      name,
      key: `${suite}|${testName}`,
      outcome,
      message: clipMessage(message),
      failedAttempts: 0,
      time: seconds(attribute(result, "duration")),
    };
    const runs = bySuite.get(suite);
    if (runs) runs.push(run);
    else bySuite.set(suite, [run]);
  }
  for (const [name, runs] of bySuite) {
    const totals: SuiteTotals = { name, ...emptyTotals() };
    tally(runs, totals, report);
    report.suites.push(totals);
    addTotals(report, totals);
  }
  report.time = round(report.time);
  return report;
};
