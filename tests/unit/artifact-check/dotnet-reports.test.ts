import { describe, expect, it } from "vitest";
import { parseXmlReport } from "../../../functions/artifact-check/xml-reports.js";

const read = (xml: string, named?: "nunit" | "trx" | "junit") => {
  const result = parseXmlReport(xml, named);
  if (!result.ok) throw new Error(result.problem);
  return result;
};

const totals = (value: object) => {
  const { tests, passed, failures, errors, skipped, disabled, flaky } = value as Record<string, number>;
  return { tests, passed, failures, errors, skipped, disabled, flaky };
};

/** NUnit 3's own result file layout (nunit/docs: "Test Result XML Format"). */
const NUNIT3 = `<?xml version="1.0" encoding="utf-8" standalone="no"?>
<test-run id="2" testcasecount="7" result="Failed" total="7" passed="2" failed="3" warnings="1" inconclusive="1" skipped="1" asserts="9" duration="0.25">
  <command-line><![CDATA[nunit3-console Calc.Tests.dll]]></command-line>
  <test-suite type="Assembly" id="1-1" name="Calc.Tests.dll" fullname="/src/Calc.Tests.dll" testcasecount="7" result="Failed">
    <test-suite type="TestSuite" id="1-2" name="Calc" fullname="Calc" testcasecount="7" result="Failed">
      <test-suite type="TestFixture" id="1-3" name="CalculatorTests" fullname="Calc.CalculatorTests" classname="Calc.CalculatorTests" testcasecount="7" result="Failed">
        <test-case id="1-4" name="Adds" fullname="Calc.CalculatorTests.Adds" result="Passed" duration="0.01"/>
        <test-case id="1-5" name="Divides" fullname="Calc.CalculatorTests.Divides" result="Failed" duration="0.02">
          <failure><message><![CDATA[  Expected: 2
  But was:  3
]]></message><stack-trace><![CDATA[at Calc.CalculatorTests.Divides()]]></stack-trace></failure>
        </test-case>
        <test-case id="1-6" name="Throws" fullname="Calc.CalculatorTests.Throws" result="Failed" label="Error" duration="0.01">
          <failure><message><![CDATA[System.NullReferenceException : Object reference not set]]></message></failure>
        </test-case>
        <test-case id="1-7" name="Cancels" fullname="Calc.CalculatorTests.Cancels" result="Failed" label="Cancelled"/>
        <test-case id="1-8" name="Later" fullname="Calc.CalculatorTests.Later" result="Skipped" label="Ignored"><reason><message>not yet</message></reason></test-case>
        <test-case id="1-9" name="Maybe" fullname="Calc.CalculatorTests.Maybe" result="Inconclusive"/>
        <test-case id="1-10" name="Warns" fullname="Calc.CalculatorTests.Warns" result="Warning"/>
      </test-suite>
    </test-suite>
  </test-suite>
</test-run>`;

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

/** What `dotnet test --logger trx` writes (trimmed). */
const TRX = `<?xml version="1.0" encoding="utf-8"?>
<TestRun id="8d2d" name="ci 2026-12-02" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Times creation="2026-12-02T01:00:00" start="2026-12-02T01:00:00" finish="2026-12-02T01:00:02"/>
  <Results>
    <UnitTestResult executionId="e1" testId="t1" testName="Adds" duration="00:00:00.0100000" outcome="Passed" testListId="l"/>
    <UnitTestResult executionId="e2" testId="t2" testName="Calc.Tests.Divides" duration="00:00:01.5000000" outcome="Failed" testListId="l">
      <Output><ErrorInfo><Message>Assert.AreEqual failed. Expected:&lt;2&gt;. Actual:&lt;3&gt;.</Message><StackTrace>at Calc.Tests.Divides()</StackTrace></ErrorInfo></Output>
    </UnitTestResult>
    <UnitTestResult executionId="e3" testId="t3" testName="Hangs" duration="00:00:30.0000000" outcome="Timeout" testListId="l"/>
    <UnitTestResult executionId="e4" testId="t4" testName="Later" outcome="NotExecuted" testListId="l"/>
    <UnitTestResult executionId="e5" testId="t5" testName="Other" outcome="Passed" testListId="l"/>
  </Results>
  <TestDefinitions>
    <UnitTest name="Adds" id="t1"><Execution id="e1"/><TestMethod codeBase="Calc.Tests.dll" className="Calc.Tests, Calc.Tests, Version=1.0.0.0" name="Adds"/></UnitTest>
    <UnitTest name="Divides" id="t2"><Execution id="e2"/><TestMethod codeBase="Calc.Tests.dll" className="Calc.Tests" name="Divides"/></UnitTest>
    <UnitTest name="Hangs" id="t3"><Execution id="e3"/><TestMethod codeBase="Calc.Tests.dll" className="Calc.Tests" name="Hangs"/></UnitTest>
    <UnitTest name="Later" id="t4"><Execution id="e4"/><TestMethod codeBase="Calc.Tests.dll" className="Calc.Tests" name="Later"/></UnitTest>
    <UnitTest name="Other" id="t5"><Execution id="e5"/><TestMethod codeBase="Calc.Tests.dll" className="Calc.OtherTests" name="Other"/></UnitTest>
  </TestDefinitions>
  <ResultSummary outcome="Failed"><Counters total="5" executed="4" passed="2" failed="1" error="0" timeout="1" notExecuted="1"/></ResultSummary>
</TestRun>`;

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
      problem:
        "not a test or coverage report: the root element is <html>; expected <testsuites> or <testsuite> (JUnit), <test-run> or <test-results> (NUnit), <TestRun> (TRX), <coverage> (Cobertura), <report> (JaCoCo)",
    });
  });

  it("says which format a file is when another is named", () => {
    expect(parseXmlReport(TRX, "junit")).toEqual({
      ok: false,
      problem:
        'not a JUnit report: the root element is <TestRun>, expected <testsuites> or <testsuite>; it looks like a TRX report: set format to "trx" or leave format out',
    });
  });
});
