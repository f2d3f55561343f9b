/** Reports as the tools teams use write them, shared by the unit and bundle tests. */

/** NUnit 3's own result file layout (nunit/docs: "Test Result XML Format"). */
export const NUNIT3 = `<?xml version="1.0" encoding="utf-8" standalone="no"?>
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

/** What `dotnet test --logger trx` writes (trimmed). */
export const TRX = `<?xml version="1.0" encoding="utf-8"?>
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

/** Maven Surefire with rerunFailingTestsCount: one test passed on its second run. */
export const SUREFIRE_FLAKY = `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.acme.ApiTest" tests="173" failures="0" errors="0" skipped="0" flakes="1" time="2.5">
  <testcase name="createsOrder" classname="com.acme.ApiTest" time="1.2">
    <flakyFailure message="expected 201 but was 503" type="java.lang.AssertionError"><![CDATA[java.lang.AssertionError]]></flakyFailure>
  </testcase>
  <testcase name="listsOrders" classname="com.acme.ApiTest" time="1.3"/>
</testsuite>`;

/** coverage.py's Cobertura XML (trimmed). */
export const COBERTURA = `<?xml version="1.0" ?>
<coverage version="7.4.0" timestamp="1764637200000" lines-valid="250" lines-covered="201" line-rate="0.804" branches-covered="30" branches-valid="40" branch-rate="0.75" complexity="0">
  <sources><source>/src</source></sources>
  <packages/>
</coverage>`;

/** JaCoCo's jacoco.xml (trimmed to the report-level counters). */
export const JACOCO = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
<report name="orders">
  <sessioninfo id="build-1" start="1764637200000" dump="1764637260000"/>
  <counter type="INSTRUCTION" missed="1200" covered="4800"/>
  <counter type="BRANCH" missed="60" covered="140"/>
  <counter type="LINE" missed="230" covered="770"/>
</report>`;

/** An lcov tracefile as c8, nyc and genhtml write it. */
export const LCOV = [
  "TN:",
  "SF:src/a.ts",
  "LF:40",
  "LH:36",
  "BRF:10",
  "BRH:8",
  "end_of_record",
  "SF:src/b.ts",
  "LF:60",
  "LH:50",
  "end_of_record",
  "",
].join("\n");
