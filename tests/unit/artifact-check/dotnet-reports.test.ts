import { describe, expect, it } from "vitest";
import { parseXmlReport } from "../../../functions/artifact-check/xml-reports.js";
import { NUNIT3, TRX } from "./sample-reports.js";

const read = (xml: string, named?: "nunit" | "trx" | "junit") => {
  const result = parseXmlReport(xml, named);
  if (!result.ok) throw new Error(result.message);
  return result;
};

const totals = (value: object) => {
  const { tests, passed, failures, errors, skipped, disabled, flaky } = value as Record<string, number>;
  return { tests, passed, failures, errors, skipped, disabled, flaky };
};

describe("NUnit 3", () => {
  it("is detected from <test-run> and counts one result per test case", () => {
    const result = read(NUNIT3);
    expect(result.format).toBe("nunit");
    expect(totals(result.value)).toEqual({
      tests: 7,
      passed: 2,
      failures: 1,
      errors: 2,
      skipped: 2,
      disabled: 0,
      flaky: 0,
    });
    expect(result.value).toMatchObject({
      time: 0.25,
      suites: [{ name: "Calc.CalculatorTests", tests: 7, failures: 1, errors: 2 }],
    });
    expect(result.failedTests).toEqual([
      { suite: "Calc.CalculatorTests", name: "Divides", message: "Expected: 2" },
      {
        suite: "Calc.CalculatorTests",
        name: "Throws",
        message: "System.NullReferenceException : Object reference not set",
      },
      { suite: "Calc.CalculatorTests", name: "Cancels", message: "Cancelled" },
    ]);
  });

  it("counts a result it does not know as an error, so that the gate cannot pass on it", () => {
    const result = read(
      '<test-run><test-suite name="S"><test-case name="odd" result="Exploded"/><test-case name="none"/></test-suite></test-run>',
    );
    expect(totals(result.value)).toMatchObject({ tests: 2, errors: 2 });
    expect(result.failedTests.map((t) => t.message)).toEqual([
      'unknown result "Exploded"',
      "no result recorded",
    ]);
  });

  it("uses the run's counters when it lists no test cases", () => {
    expect(
      totals(read('<test-run testcasecount="5" failed="1" skipped="1" inconclusive="1"/>').value),
    ).toEqual({
      tests: 5,
      passed: 2,
      failures: 1,
      errors: 0,
      skipped: 2,
      disabled: 0,
      flaky: 0,
    });
  });
});

describe("TRX", () => {
  it("is detected from <TestRun> and gives the same totals as a JUnit report of the same run", () => {
    const trx = read(TRX);
    expect(trx.format).toBe("trx");
    const junit = read(`<testsuites>
      <testsuite name="Calc.Tests">
        <testcase name="Adds" time="0.01"/>
        <testcase name="Divides" time="1.5"><failure message="Assert.AreEqual failed. Expected:&lt;2&gt;. Actual:&lt;3&gt;."/></testcase>
        <testcase name="Hangs" time="30"><error message="Timeout"/></testcase>
        <testcase name="Later"><skipped/></testcase>
      </testsuite>
      <testsuite name="Calc.OtherTests"><testcase name="Other"/></testsuite>
    </testsuites>`);
    expect(totals(trx.value)).toEqual(totals(junit.value));
    expect(totals(trx.value)).toEqual({
      tests: 5,
      passed: 2,
      failures: 1,
      errors: 1,
      skipped: 1,
      disabled: 0,
      flaky: 0,
    });
    expect(trx.value).toMatchObject({
      time: 31.51,
      suites: [
        { name: "Calc.Tests", tests: 4 },
        { name: "Calc.OtherTests", tests: 1 },
      ],
    });
    expect(trx.failedTests).toEqual([
      { suite: "Calc.Tests", name: "Divides", message: "Assert.AreEqual failed. Expected:<2>. Actual:<3>." },
      { suite: "Calc.Tests", name: "Hangs", message: "Timeout" },
    ]);
  });

  it("reads a prefixed namespace and uses the counters when there are no results", () => {
    const result = read(
      '<t:TestRun xmlns:t="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><t:ResultSummary><t:Counters total="4" passed="2" failed="1" error="1"/></t:ResultSummary></t:TestRun>',
    );
    expect(totals(result.value)).toEqual({
      tests: 4,
      passed: 2,
      failures: 1,
      errors: 1,
      skipped: 0,
      disabled: 0,
      flaky: 0,
    });
  });
});

describe("format detection", () => {
  it("names the roots it knows when it recognises none", () => {
    const result = parseXmlReport("<html/>", undefined);
    expect(result).toEqual({
      ok: false,
      message:
        "not a test or coverage report: the root element is <html>; expected <testsuites> or <testsuite> (JUnit), <test-run> or <test-results> (NUnit), <TestRun> (TRX), <coverage> (Cobertura), <report> (JaCoCo)",
    });
  });

  it("says which format a file is when another is named", () => {
    expect(parseXmlReport(TRX, "junit")).toEqual({
      ok: false,
      message:
        'not a JUnit report: the root element is <TestRun>, expected <testsuites> or <testsuite>; it looks like a TRX report: set format to "trx" or leave format out',
    });
  });
});
