import { describe, expect, it } from "vitest";
import { parseJUnit } from "../../../functions/artifact-check/junit.js";

const report = (xml: string) => {
  const result = parseJUnit(xml);
  if (!result.ok) throw new Error(result.problem);
  return result.report;
};

describe("parseJUnit", () => {
  it("sums <testsuites> over its suites and lists the failed tests", () => {
    const parsed = report(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="all">
  <testsuite name="UserService" tests="3" failures="1" errors="0" skipped="1" time="1.5">
    <testcase classname="UserService" name="creates a user" time="0.5">
      <failure message="expected 201, got 500" type="AssertionError">stack trace</failure>
    </testcase>
    <testcase classname="UserService" name="lists users" time="0.5"/>
    <testcase classname="UserService" name="exports users" time="0.5"><skipped/></testcase>
  </testsuite>
  <testsuite name="Billing" tests="2" failures="0" errors="1" time="0.25">
    <testcase classname="Billing" name="charges &amp; refunds"><error message="TypeError: x is undefined"/></testcase>
    <testcase classname="Billing" name="invoices"/>
  </testsuite>
</testsuites>`);
    expect(parsed).toEqual({
      tests: 5,
      failures: 1,
      errors: 1,
      skipped: 1,
      time: 1.75,
      suites: [
        { name: "UserService", tests: 3, failures: 1, errors: 0, skipped: 1, time: 1.5 },
        { name: "Billing", tests: 2, failures: 0, errors: 1, skipped: 0, time: 0.25 },
      ],
      failed: [
        { suite: "UserService", name: "creates a user", message: "expected 201, got 500" },
        { suite: "Billing", name: "charges & refunds", message: "TypeError: x is undefined" },
      ],
    });
  });

  it("reads a bare <testsuite> root", () => {
    const parsed = report(
      '<testsuite name="only" tests="2" failures="1"><testcase name="a"><failure>boom\nat line 3</failure></testcase><testcase name="b"/></testsuite>',
    );
    expect(parsed).toMatchObject({ tests: 2, failures: 1, errors: 0, suites: [{ name: "only", tests: 2 }] });
    // Without a message attribute, the first line of the failure's text.
    expect(parsed.failed).toEqual([{ suite: "only", name: "a", message: "boom" }]);
  });

  it("counts test cases when there are no attributes", () => {
    const parsed = report(`<testsuites><testsuite name="s">
      <testcase name="a" time="0.1"/><testcase name="b" time="0.2"><failure/></testcase>
      <testcase name="c"><error type="Timeout"/></testcase><testcase name="d"><skipped/></testcase>
    </testsuite></testsuites>`);
    expect(parsed).toMatchObject({ tests: 4, failures: 1, errors: 1, skipped: 1, time: 0.3 });
    expect(parsed.failed).toEqual([
      { suite: "s", name: "b", message: "" },
      { suite: "s", name: "c", message: "Timeout" },
    ]);
  });

  it("does not count nested suites twice", () => {
    const parsed = report(`<testsuites>
  <testsuite name="outer" tests="3" failures="1" time="3">
    <testsuite name="inner-a" tests="2" failures="1" time="2">
      <testcase name="a1"/><testcase name="a2"><failure message="nope"/></testcase>
    </testsuite>
    <testsuite name="inner-b" tests="1" time="1"><testcase name="b1"/></testsuite>
  </testsuite>
</testsuites>`);
    expect(parsed).toMatchObject({ tests: 3, failures: 1, errors: 0, time: 3 });
    expect(parsed.suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ["outer", 3, 1],
      ["inner-a", 2, 1],
      ["inner-b", 1, 0],
    ]);
    expect(parsed.failed).toEqual([{ suite: "inner-a", name: "a2", message: "nope" }]);
  });

  it("trusts the test cases when the attributes under-count", () => {
    const parsed = report(
      '<testsuite name="s" tests="1" failures="0"><testcase name="a"><failure message="x"/></testcase><testcase name="b"/></testsuite>',
    );
    expect(parsed).toMatchObject({ tests: 2, failures: 1 });
  });

  it("keeps summary-only attributes when there are no test cases", () => {
    expect(report('<testsuites tests="10" failures="2"></testsuites>')).toMatchObject({
      tests: 10,
      failures: 2,
    });
    expect(report("<testsuites/>")).toMatchObject({ tests: 0, failures: 0, suites: [], failed: [] });
  });

  it("uses the test case's classname when its suite has no name", () => {
    const parsed = report(
      '<testsuite><testcase classname="pkg.Test" name="t"><failure message="m"/></testcase></testsuite>',
    );
    expect(parsed.failed).toEqual([{ suite: "pkg.Test", name: "t", message: "m" }]);
  });

  it("refuses XML that is not a JUnit report", () => {
    expect(parseJUnit("<html><body/></html>")).toEqual({
      ok: false,
      problem: "not a JUnit report: the root element is <html>, expected <testsuites> or <testsuite>",
    });
  });

  it("names the line and column of malformed XML", () => {
    const result = parseJUnit(
      '<testsuites>\n  <testsuite name="s">\n    <testcase name="a">\n  </testsuite>\n</testsuites>',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(/^not well-formed XML at line 4, column \d+: .*testcase/);
  });

  it("cuts very long failure messages", () => {
    const parsed = report(
      `<testsuite><testcase name="a"><failure message="${"x".repeat(1000)}"/></testcase></testsuite>`,
    );
    expect(parsed.failed[0]?.message.length).toBe(300);
  });
});
