import { describe, expect, it } from "vitest";
import { parseXmlReport } from "../../../functions/artifact-check/xml-reports.js";

const report = (xml: string) => {
  const result = parseXmlReport(xml, "junit");
  if (!result.ok) throw new Error(result.message);
  return result.value as Record<string, unknown> & {
    failed: unknown[];
    flakyTests: unknown[];
    suites: Array<Record<string, unknown>>;
  };
};

const problem = (xml: string, format?: "junit") => {
  const result = parseXmlReport(xml, format);
  if (result.ok) throw new Error("expected a problem");
  return result.message;
};

const totals = { passed: 0, failures: 0, errors: 0, skipped: 0, disabled: 0, flaky: 0 };

describe("JUnit: totals", () => {
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
      passed: 2,
      failures: 1,
      errors: 1,
      skipped: 1,
      disabled: 0,
      flaky: 0,
      time: 1.75,
      suites: [
        {
          name: "UserService",
          tests: 3,
          passed: 1,
          failures: 1,
          errors: 0,
          skipped: 1,
          disabled: 0,
          flaky: 0,
          time: 1.5,
        },
        {
          name: "Billing",
          tests: 2,
          passed: 1,
          failures: 0,
          errors: 1,
          skipped: 0,
          disabled: 0,
          flaky: 0,
          time: 0.25,
        },
      ],
      failed: [
        { suite: "UserService", name: "creates a user", message: "expected 201, got 500" },
        { suite: "Billing", name: "charges & refunds", message: "TypeError: x is undefined" },
      ],
      flakyTests: [],
    });
  });

  it("counts test cases, not the attributes: tests=173 over 2 test cases is 2 tests", () => {
    const parsed = report(
      '<testsuite name="s" tests="173" failures="9" errors="4" skipped="7"><testcase name="a"/><testcase name="b"><failure message="x"/></testcase></testsuite>',
    );
    expect(parsed).toMatchObject({ ...totals, tests: 2, passed: 1, failures: 1 });
    expect(parsed.suites).toMatchObject([{ name: "s", tests: 2, failures: 1, errors: 0, skipped: 0 }]);
  });

  it("counts test cases when the attributes under-count or are missing", () => {
    expect(
      report(
        '<testsuite name="s" tests="1" failures="0"><testcase name="a"><failure/></testcase><testcase name="b"/></testsuite>',
      ),
    ).toMatchObject({ tests: 2, failures: 1 });
    const parsed = report(`<testsuites><testsuite name="s">
      <testcase name="a" time="0.1"/><testcase name="b" time="0.2"><failure/></testcase>
      <testcase name="c"><error type="Timeout"/></testcase><testcase name="d"><skipped/></testcase>
    </testsuite></testsuites>`);
    expect(parsed).toMatchObject({ tests: 4, passed: 1, failures: 1, errors: 1, skipped: 1, time: 0.3 });
    expect(parsed.failed).toEqual([
      { suite: "s", name: "b", message: "" },
      { suite: "s", name: "c", message: "Timeout" },
    ]);
  });

  it("falls back to a suite's attributes only when it holds no test cases", () => {
    expect(
      report('<testsuites tests="10" failures="2" skipped="1" disabled="2"></testsuites>'),
    ).toMatchObject({
      tests: 10,
      passed: 5,
      failures: 2,
      skipped: 3,
      disabled: 2,
    });
    // One summary-only suite next to one with test cases: each is counted its own way.
    const mixed = report(`<testsuites tests="99">
      <testsuite name="summary" tests="4" failures="1"/>
      <testsuite name="cases" tests="50"><testcase name="a"/></testsuite>
    </testsuites>`);
    expect(mixed).toMatchObject({ tests: 5, failures: 1, passed: 4 });
    expect(report("<testsuites/>")).toMatchObject({ tests: 0, failures: 0, suites: [], failed: [] });
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

  it("reads a bare <testsuite> root and takes a message from the first line of the text", () => {
    const parsed = report(
      '<testsuite name="only" tests="2" failures="1"><testcase name="a"><failure>boom\nat line 3</failure></testcase><testcase name="b"/></testsuite>',
    );
    expect(parsed).toMatchObject({ tests: 2, failures: 1, errors: 0, suites: [{ name: "only", tests: 2 }] });
    expect(parsed.failed).toEqual([{ suite: "only", name: "a", message: "boom" }]);
  });

  it("uses the test case's classname when its suite has no name", () => {
    const parsed = report(
      '<testsuite><testcase classname="pkg.Test" name="t"><failure message="m"/></testcase></testsuite>',
    );
    expect(parsed.failed).toEqual([{ suite: "pkg.Test", name: "t", message: "m" }]);
  });

  it("cuts very long failure messages", () => {
    const parsed = report(
      `<testsuite><testcase name="a"><failure message="${"x".repeat(1000)}"/></testcase></testsuite>`,
    );
    expect((parsed.failed[0] as { message: string }).message.length).toBe(300);
  });
});

describe("JUnit: one result per test case", () => {
  it("counts a test case with two <failure> elements as one failed test", () => {
    const parsed = report(
      '<testsuite name="s"><testcase name="a"><failure message="first"/><failure message="second"/></testcase></testsuite>',
    );
    expect(parsed).toMatchObject({ ...totals, tests: 1, failures: 1 });
    expect(parsed.failed).toEqual([{ suite: "s", name: "a", message: "first" }]);
  });

  it("counts a failure and an error on one test case once, as an error (error > failure)", () => {
    const parsed = report(
      '<testsuite name="s"><testcase name="a"><failure message="assert"/><error message="crash"/></testcase></testsuite>',
    );
    expect(parsed).toMatchObject({ ...totals, tests: 1, errors: 1 });
    expect(parsed.failed).toEqual([{ suite: "s", name: "a", message: "crash" }]);
  });

  it("counts a skipped test case that also failed as failed (failure > skipped)", () => {
    expect(
      report('<testsuite><testcase name="a"><skipped/><failure message="x"/></testcase></testsuite>'),
    ).toMatchObject({ ...totals, tests: 1, failures: 1 });
  });
});

describe("JUnit: disabled", () => {
  it('counts status="disabled", googletest\'s notrun and a <disabled/> marker as skipped and disabled', () => {
    const parsed = report(`<testsuite name="s" tests="5">
      <testcase name="a" status="disabled"/>
      <testcase name="DISABLED_b" status="notrun" result="suppressed"/>
      <testcase name="c"><disabled/></testcase>
      <testcase name="d" status="ignored"/>
      <testcase name="e"/>
    </testsuite>`);
    expect(parsed).toMatchObject({ ...totals, tests: 5, passed: 1, skipped: 4, disabled: 3 });
  });

  it("adds a suite's disabled attribute to skipped when the suite lists no test cases", () => {
    expect(report('<testsuite name="s" tests="6" skipped="1" disabled="2"/>')).toMatchObject({
      tests: 6,
      passed: 3,
      skipped: 3,
      disabled: 2,
    });
  });
});

describe("JUnit: reruns and flaky tests", () => {
  it("counts Surefire's flakyFailure/flakyError without a final failure as a passed, flaky test", () => {
    const parsed = report(`<testsuite name="s">
      <testcase classname="A" name="t1"><flakyFailure message="timing"/><flakyError message="io"/></testcase>
      <testcase classname="A" name="t2"/>
    </testsuite>`);
    expect(parsed).toMatchObject({ ...totals, tests: 2, passed: 2, flaky: 1 });
    expect(parsed.flakyTests).toEqual([{ suite: "s", name: "t1", failedRuns: 2, message: "timing" }]);
    expect(parsed.failed).toEqual([]);
  });

  it("counts Surefire's rerunFailure with the final failure as one failed test", () => {
    const parsed = report(
      '<testsuite name="s"><testcase classname="A" name="t"><failure message="1st"/><rerunFailure message="2nd"/><rerunFailure message="3rd"/></testcase></testsuite>',
    );
    expect(parsed).toMatchObject({ ...totals, tests: 1, failures: 1 });
    expect(parsed.failed).toEqual([{ suite: "s", name: "t", message: "1st" }]);
  });

  it("counts the same test repeated with a later pass as one passed, flaky test", () => {
    const parsed = report(`<testsuite name="s" tests="3" failures="2">
      <testcase classname="A" name="t" time="1"><failure message="flaked"/></testcase>
      <testcase classname="A" name="t" time="1"><failure message="again"/></testcase>
      <testcase classname="A" name="t" time="1"/>
    </testsuite>`);
    expect(parsed).toMatchObject({ ...totals, tests: 1, passed: 1, flaky: 1, time: 3 });
    expect(parsed.flakyTests).toEqual([{ suite: "s", name: "t", failedRuns: 2, message: "flaked" }]);
  });

  it("counts a repeated test whose last run failed as one failed test", () => {
    const parsed = report(`<testsuite name="s">
      <testcase classname="A" name="t"/>
      <testcase classname="A" name="t"><failure message="broke on the rerun"/></testcase>
    </testsuite>`);
    expect(parsed).toMatchObject({ ...totals, tests: 1, failures: 1 });
    expect(parsed.failed).toEqual([{ suite: "s", name: "t", message: "broke on the rerun" }]);
  });

  it("keeps tests with the same name but another class or file apart", () => {
    const parsed = report(`<testsuite name="s">
      <testcase classname="A" name="t"><failure/></testcase>
      <testcase classname="B" name="t"/>
      <testcase classname="A" name="t" file="other.py"/>
    </testsuite>`);
    expect(parsed).toMatchObject({ ...totals, tests: 3, passed: 2, failures: 1 });
  });
});

describe("JUnit: problems", () => {
  it("refuses XML that is not a JUnit report when junit is named", () => {
    expect(problem("<html><body/></html>", "junit")).toBe(
      "not a JUnit report: the root element is <html>, expected <testsuites> or <testsuite>",
    );
  });

  it("names the line and column of malformed XML in the middle of a file", () => {
    expect(
      problem('<testsuites>\n  <testsuite name="s">\n    <testcase name="a">\n  </testsuite>\n</testsuites>'),
    ).toMatch(/^not well-formed XML at line 4, column \d+: .*testcase/);
  });

  const full = [
    '<?xml version="1.0"?>',
    "<testsuites>",
    '  <testsuite name="a">',
    '    <testcase name="x" time="1">',
    '      <failure message="boom">trace</failure>',
    "    </testcase>",
    "  </testsuite>",
    "</testsuites>",
  ].join("\n");

  it.each([
    // Cut after a complete tag: the elements still open are named.
    [
      full.indexOf("trace") + 3,
      "not well-formed XML: the file ends at line 5, column 33 in the middle of a tag or text inside <failure> (in <testsuites> › <testsuite> › <testcase>), before it is closed; it looks truncated",
    ],
    [
      full.indexOf("    </testcase>"),
      "not well-formed XML: the file ends at line 5, column 45 inside <testcase> (in <testsuites> › <testsuite>), before it is closed; it looks truncated",
    ],
    // Cut inside a tag (the validator would blame a "boolean attribute" or line 1, column 1).
    [
      full.indexOf(' time="1"') + 5,
      "not well-formed XML: the file ends at line 4, column 27 in the middle of a tag or text inside <testsuite> (in <testsuites>), before it is closed; it looks truncated",
    ],
    [
      full.indexOf("</testsuites>") + 5,
      "not well-formed XML: the file ends at line 8, column 5 in the middle of a tag or text inside <testsuites>, before it is closed; it looks truncated",
    ],
  ])("says where a file cut at %i really breaks", (length, expected) => {
    expect(problem(full.slice(0, length))).toBe(expected);
  });

  it("says an empty file is empty", () => {
    expect(problem("  \n")).toBe("the file is empty");
  });
});

describe("JUnit: a report of totals only", () => {
  it("reads every count and the time from the attributes of suites that list no test cases", () => {
    expect(
      report(`<testsuites name="all">
  <testsuite name="api" tests="10" failures="1" errors="2" skips="3" disabled="1" time="1.5"/>
  <testsuite name="web" tests="4" skipped="1" skips="3" time="0.25"/>
</testsuites>`),
    ).toEqual({
      tests: 14,
      passed: 6,
      failures: 1,
      errors: 2,
      skipped: 5,
      disabled: 1,
      flaky: 0,
      time: 1.75,
      suites: [
        // skips (an older name) when there is no skipped; disabled counts as skipped too.
        {
          name: "api",
          tests: 10,
          passed: 3,
          failures: 1,
          errors: 2,
          skipped: 4,
          disabled: 1,
          flaky: 0,
          time: 1.5,
        },
        {
          name: "web",
          tests: 4,
          passed: 3,
          failures: 0,
          errors: 0,
          skipped: 1,
          disabled: 0,
          flaky: 0,
          time: 0.25,
        },
      ],
      failed: [],
      flakyTests: [],
    });
  });

  it("reads a bare <testsuite> of totals", () => {
    expect(report('<testsuite name="s" tests="3" errors="1" time="2"/>')).toMatchObject({
      ...totals,
      tests: 3,
      passed: 2,
      errors: 1,
      time: 2,
    });
  });
});

describe("JUnit: names and messages of failed tests", () => {
  it("takes the trimmed message, else the text's first line, else the type, else nothing", () => {
    const parsed = report(`<testsuite name="s">
      <testcase name="a"><failure message="  spaced  ">ignored</failure></testcase>
      <testcase name="b"><failure message="   ">  boom  \n   at line 3</failure></testcase>
      <testcase name="c"><error type="Timeout"/></testcase>
      <testcase name="d"><failure/></testcase>
    </testsuite>`);
    expect(parsed.failed).toEqual([
      { suite: "s", name: "a", message: "spaced" },
      { suite: "s", name: "b", message: "boom" },
      { suite: "s", name: "c", message: "Timeout" },
      { suite: "s", name: "d", message: "" },
    ]);
  });

  it("names a test case without a name, in no suite when neither its suite nor it says one", () => {
    expect(report('<testsuite><testcase><failure message="m"/></testcase></testsuite>').failed).toEqual([
      { suite: "", name: "(unnamed test)", message: "m" },
    ]);
  });
});

describe("JUnit: results from reruns and markers alone", () => {
  it("counts a rerunError or rerunFailure without a final result as an error or a failure", () => {
    const parsed = report(`<testsuite name="s">
      <testcase name="a"><rerunError message="crashed again"/></testcase>
      <testcase name="b"><rerunFailure message="failed again"/></testcase>
      <testcase name="c"><failure message="final"/><rerunError message="crashed on a rerun"/></testcase>
    </testsuite>`);
    expect(parsed).toMatchObject({ ...totals, tests: 3, errors: 1, failures: 2 });
    expect(parsed.failed).toEqual([
      { suite: "s", name: "a", message: "crashed again" },
      { suite: "s", name: "b", message: "failed again" },
      { suite: "s", name: "c", message: "final" },
    ]);
  });

  it('counts result="suppressed" alone as disabled', () => {
    expect(report('<testsuite><testcase name="a" result=" Suppressed "/></testsuite>')).toMatchObject({
      ...totals,
      skipped: 1,
      disabled: 1,
    });
  });

  it("keeps one test name in two files apart", () => {
    const parsed = report(`<testsuite name="s">
      <testcase classname="A" name="t" file="a.py"><failure/></testcase>
      <testcase classname="A" name="t" file="b.py"/>
    </testsuite>`);
    expect(parsed).toMatchObject({ ...totals, tests: 2, passed: 1, failures: 1 });
  });
});
