import { describe, expect, it } from "vitest";
import { evaluate } from "../../../functions/artifact-check/evaluate.js";
import {
  BAD_FILES,
  check,
  contentsOf,
  GOOD_FILES,
  ISSUE_EXAMPLE,
  ISSUE_EXAMPLE_FAILURE,
  ISSUE_EXAMPLE_SUMMARY,
  junit,
  params,
} from "./support.js";

const failure = (verdict: ReturnType<typeof check>): string => {
  if (verdict.pass) throw new Error(`expected a failure, got: ${verdict.summary}`);
  expect(verdict.type ?? "JobFailed").toBe("JobFailed");
  return verdict.message;
};
const summary = (verdict: ReturnType<typeof check>): string => {
  if (!verdict.pass) throw new Error(`expected a pass, got: ${verdict.message}`);
  return verdict.summary;
};

describe("evaluate: the issue's example", () => {
  it("lists every failing check with its file and the actual value, then what passed", () => {
    expect(failure(check(ISSUE_EXAMPLE, BAD_FILES))).toBe(ISSUE_EXAMPLE_FAILURE);
  });

  it("passes with each check and the value it saw", () => {
    expect(summary(check(ISSUE_EXAMPLE, GOOD_FILES))).toBe(ISSUE_EXAMPLE_SUMMARY);
  });

  it("is pure: the same input gives the same verdict", () => {
    const p = params(ISSUE_EXAMPLE);
    const input = contentsOf(p, BAD_FILES);
    expect(evaluate(input, p)).toEqual(evaluate(input, p));
  });
});

describe("evaluate: expect", () => {
  it.each([
    ["a == `1`", '{"a": 1}', true],
    ["a != `1`", '{"a": 2}', true],
    ["a < `1`", '{"a": 0.5}', true],
    ["a <= `1`", '{"a": 1}', true],
    ["a > `1`", '{"a": 1}', false],
    ["a >= `1`", '{"a": 0}', false],
    ["a", '{"a": 0}', true],
    ["a", '{"a": ""}', false],
    ["length(items) >= `2`", '{"items": [1, 2]}', true],
    ["contains(tags, 'release')", '{"tags": ["rc"]}', false],
  ])("%s on %s → %s", (expression, content, passes) => {
    expect(check({ checks: [{ file: "r.json", expect: expression }] }, { "r.json": content }).pass).toBe(
      passes,
    );
  });

  it("reads YAML", () => {
    const verdict = check(
      { checks: [{ file: "deploy/values.yml", expect: "replicas >= `2`" }] },
      { "deploy/values.yml": "replicas: 1\n" },
    );
    expect(failure(verdict)).toContain("✗ replicas >= `2` (deploy/values.yml): replicas is 1, expected >= 2");
  });

  it("gives a text file's content to expect as a string", () => {
    const rule = { checks: [{ file: "VERSION", expect: "starts_with(@, '1.')" }] };
    expect(check(rule, { VERSION: "1.4.0\n" }).pass).toBe(true);
    expect(failure(check(rule, { VERSION: "2.0.0\n" }))).toContain("starts_with(@, '1.') is false");
  });

  it("reads a file in the format given, whatever its extension", () => {
    const rule = { checks: [{ file: "build/summary.out", format: "json", expect: "ok" }] };
    expect(check(rule, { "build/summary.out": '{"ok": true}' }).pass).toBe(true);
  });

  it("gates JUnit on failed test names", () => {
    const rule = {
      checks: [
        {
          file: "junit.xml",
          expect: "length(failed[?suite == 'Billing']) == `0`",
          description: "billing tests pass",
        },
      ],
    };
    const xml = junit([
      { name: "Billing", cases: [{ name: "charges", failure: "declined" }] },
      { name: "Users", cases: [{ name: "creates", failure: "500" }] },
    ]);
    const message = failure(check(rule, { "junit.xml": xml }));
    expect(message).toContain(
      "✗ billing tests pass (junit.xml): length(failed[?suite == 'Billing']) is 1, expected == 0\n  2 failed tests:\n    Billing › charges: declined\n    Users › creates: 500",
    );
  });

  it("gates a JUnit report of totals only (no test cases) on its failures and errors attributes", () => {
    const rule = { checks: [{ file: "junit.xml", expect: "failures == `0` && errors == `0`" }] };
    expect(failure(check(rule, { "junit.xml": '<testsuite name="s" tests="3" errors="1"/>' }))).toBe(
      [
        '1 of 1 artifact check failed on input artifact "BuildArtifact":',
        "✗ failures == `0` && errors == `0` (junit.xml): errors is 1, expected == 0",
      ].join("\n"),
    );
    expect(failure(check(rule, { "junit.xml": '<testsuites tests="3" failures="2"/>' }))).toContain(
      "(junit.xml): failures is 2, expected == 0",
    );
    expect(summary(check(rule, { "junit.xml": '<testsuite name="s" tests="3" skipped="1"/>' }))).toContain(
      "(junit.xml): failures is 0, errors is 0",
    );
  });

  it("fails a check whose expression errors at run time, saying why", () => {
    const message = failure(
      check({ checks: [{ file: "r.json", expect: "length(n) > `0`" }] }, { "r.json": '{"n": 5}' }),
    );
    expect(message).toMatch(
      /^✗ length\(n\) > `0` \(r\.json\): length\(n\) > `0` could not be evaluated: Invalid type: length\(\)/m,
    );
  });
});

describe("evaluate: match and notMatch", () => {
  it("matches at line starts (multi-line mode)", () => {
    const rule = { checks: [{ file: "CHANGELOG.md", match: "^## \\d+\\.\\d+\\.\\d+$" }] };
    expect(check(rule, { "CHANGELOG.md": "# Changelog\n## 1.2.3\n" }).pass).toBe(true);
    expect(failure(check(rule, { "CHANGELOG.md": "# Changelog\n## next\n" }))).toContain(
      "✗ matches /^## \\d+\\.\\d+\\.\\d+$/ (CHANGELOG.md): no line matches (the file has 2 lines)",
    );
  });

  it("sees no empty line after the final newline", () => {
    const noBlankLines = { checks: [{ file: "NOTES.md", notMatch: "^\\s*$" }] };
    expect(check(noBlankLines, { "NOTES.md": "a\nb\n" }).pass).toBe(true);
    expect(failure(check(noBlankLines, { "NOTES.md": "a\n\nb\n" }))).toContain(
      'NOTES.md): line 2 matches: ""',
    );
    const blankLine = { checks: [{ file: "NOTES.md", match: "^$" }] };
    expect(failure(check(blankLine, { "NOTES.md": "a\nb\n" }))).toContain(
      "no line matches (the file has 2 lines)",
    );
    expect(check(blankLine, { "NOTES.md": "" }).pass).toBe(true);
  });

  it("counts every forbidden match and shows the first", () => {
    const rule = { checks: [{ file: "NOTES.md", notMatch: "(?i)do not ship" }] };
    const message = failure(check(rule, { "NOTES.md": "ok\nDo not ship\nfine\nDO NOT SHIP\n" }));
    expect(message).toContain(
      '✗ does not match /(?i)do not ship/ (NOTES.md): line 2 matches: "Do not ship" (2 matches in all)',
    );
  });

  it("reads .json or .xml files as text for a regex", () => {
    const rule = { checks: [{ file: "package.json", notMatch: '"version": "0\\.' }] };
    expect(check(rule, { "package.json": '{"version": "1.0.0"' }).pass).toBe(true);
  });

  it("cuts a long matching line around the match", () => {
    const line = `${"x".repeat(500)} DO NOT SHIP ${"y".repeat(500)}`;
    const message = failure(
      check({ checks: [{ file: "n.txt", notMatch: "DO NOT SHIP" }] }, { "n.txt": line }),
    );
    expect(message).toContain("DO NOT SHIP");
    expect(message.length).toBeLessThan(400);
  });

  it("marks only the side of a long line that was cut", () => {
    const rule = { checks: [{ file: "n.txt", notMatch: "DO NOT SHIP" }] };
    expect(failure(check(rule, { "n.txt": `${"x".repeat(500)} DO NOT SHIP` }))).toMatch(
      /: "…x+ DO NOT SHIP"$/,
    );
    expect(failure(check(rule, { "n.txt": `DO NOT SHIP ${"y".repeat(500)}` }))).toMatch(
      /: "DO NOT SHIP y+…"$/,
    );
  });

  it("finishes a catastrophic pattern over a long line (RE2 does not backtrack)", () => {
    const rule = { checks: [{ file: "a.txt", match: "^(a+)+$" }] };
    const text = `${"a".repeat(100_000)}b`;
    expect(failure(check(rule, { "a.txt": text }))).toContain("no line matches (the file has 1 line)");
    expect(check(rule, { "a.txt": "a".repeat(100_000) }).pass).toBe(true);
  });
});

describe("evaluate: files", () => {
  it("fails a missing file with what load said, and still evaluates the other checks", () => {
    const message = failure(
      check(
        {
          checks: [
            { file: "reports/junit.xml", expect: "failures == `0`" },
            { file: "VERSION", match: "^1\\." },
          ],
        },
        { VERSION: "1.0.0" },
      ),
    );
    expect(message).toBe(
      [
        '1 of 2 artifact checks failed on input artifact "BuildArtifact":',
        '✗ failures == `0`: File "reports/junit.xml" not found (test artifact).',
        '✓ matches /^1\\./ (VERSION): line 1 matches: "1.0.0"',
      ].join("\n"),
    );
  });

  it("fails a file that does not parse, naming it and where it broke", () => {
    const message = failure(
      check(
        { checks: [{ file: "reports/coverage-summary.json", expect: "total.lines.pct >= `80`" }] },
        {
          "reports/coverage-summary.json": '{"total": {"lines": {"pct": 72.4,}}}',
        },
      ),
    );
    expect(message).toContain(
      '✗ total.lines.pct >= `80` (reports/coverage-summary.json): not valid JSON at line 1, column 34: unexpected "}"',
    );
  });

  it("requires every file a glob matches to pass, and names the failing ones", () => {
    const rule = {
      checks: [{ file: "reports/**/junit*.xml", expect: "failures == `0`", description: "no failed tests" }],
    };
    const files = {
      "reports/api/junit.xml": junit([{ name: "Api", cases: [{ name: "auth", failure: "401" }] }]),
      "reports/web/junit-e2e.xml": junit([{ name: "Web", cases: [{ name: "loads" }] }]),
      "reports/worker/junit.xml": junit([
        { name: "Worker", cases: [{ name: "retries", failure: "timeout" }] },
      ]),
    };
    expect(failure(check(rule, files))).toBe(
      [
        '1 of 1 artifact check failed on input artifact "BuildArtifact":',
        "✗ no failed tests (reports/**/junit*.xml: 2 of 3 files fail)",
        "  reports/api/junit.xml: failures is 1, expected == 0",
        "    1 failed test:",
        "      Api › auth: 401",
        "  reports/worker/junit.xml: failures is 1, expected == 0",
        "    1 failed test:",
        "      Worker › retries: timeout",
      ].join("\n"),
    );
    const passing = { ...files, "reports/api/junit.xml": files["reports/web/junit-e2e.xml"] };
    passing["reports/worker/junit.xml"] = files["reports/web/junit-e2e.xml"];
    expect(summary(check(rule, passing))).toBe(
      [
        'The artifact check passed on input artifact "BuildArtifact":',
        "✓ no failed tests (reports/**/junit*.xml: all 3 files): reports/api/junit.xml: failures is 0; reports/web/junit-e2e.xml: failures is 0; reports/worker/junit.xml: failures is 0",
      ].join("\n"),
    );
  });

  it("prefers the exact path when the name looks like a glob", () => {
    const rule = { checks: [{ file: "reports/[id].json", expect: "ok" }] };
    expect(check(rule, { "reports/[id].json": '{"ok": true}', "reports/i.json": '{"ok": false}' }).pass).toBe(
      true,
    );
  });
});

describe("evaluate: message sizes", () => {
  it("keeps a failure within 5000 characters and every failing check's first line", () => {
    const cases = Array.from({ length: 400 }, (_, i) => ({
      name: `test number ${i} ${"n".repeat(60)}`,
      failure: "m".repeat(200),
    }));
    const files: Record<string, string> = {};
    const checks = [];
    for (let i = 0; i < 12; i++) {
      files[`reports/${i}/junit.xml`] = junit([{ name: `Suite${i}`, cases }]);
      checks.push({
        file: `reports/${i}/junit.xml`,
        expect: "failures == `0`",
        description: `suite ${i} passes`,
      });
    }
    const message = failure(check({ checks }, files));
    expect(message.length).toBeLessThanOrEqual(5000);
    for (let i = 0; i < 12; i++)
      expect(message).toContain(
        `✗ suite ${i} passes (reports/${i}/junit.xml): failures is 400, expected == 0`,
      );
    expect(message).toMatch(/\n {4}…and \d+ more lines\n/);
  });

  it("keeps a success summary within 2048 characters", () => {
    const files: Record<string, string> = {};
    const checks = [];
    for (let i = 0; i < 40; i++) {
      files[`r${i}.json`] = '{"ok": true}';
      checks.push({ file: `r${i}.json`, expect: "ok", description: `check ${i} ${"d".repeat(60)}` });
    }
    const text = summary(check({ checks }, files));
    expect(text.length).toBeLessThanOrEqual(2048);
    expect(text).toMatch(/^All 40 artifact checks passed/);
    expect(text).toMatch(/…and \d+ more$/);
  });
});

describe("evaluate: what a regex check reports", () => {
  const one = (rule: object, files: Record<string, string>) => {
    const verdict = check(rule, files);
    const [, line, ...rest] = (verdict.pass ? verdict.summary : verdict.message).split("\n");
    expect(rest).toEqual([]);
    return { pass: verdict.pass, line };
  };
  const forbid = { checks: [{ file: "n.txt", notMatch: "DO NOT SHIP" }] };

  it("says an empty file has 0 lines, and lists no failed tests under a regex failure", () => {
    expect(one({ checks: [{ file: "a.txt", match: "x" }] }, { "a.txt": "" })).toEqual({
      pass: false,
      line: "✗ matches /x/ (a.txt): no line matches (the file has 0 lines)",
    });
  });

  it("shows the first matching line of a passing match, without counting the others", () => {
    expect(one({ checks: [{ file: "a.txt", match: "^a" }] }, { "a.txt": "ab\nac\nad\n" })).toEqual({
      pass: true,
      line: '✓ matches /^a/ (a.txt): line 1 matches: "ab"',
    });
  });

  it.each([
    [999, "999 matches in all"],
    [1000, "1000 matches in all"],
    [1001, "1000+ matches in all"],
    [1500, "1000+ matches in all"],
  ])("counts %i forbidden matches as %s", (count, counted) => {
    const text = "DO NOT SHIP\n".repeat(count);
    expect(one(forbid, { "n.txt": text })).toEqual({
      pass: false,
      line: `✗ does not match /DO NOT SHIP/ (n.txt): line 1 matches: "DO NOT SHIP" (${counted})`,
    });
  });

  const x = (n: number) => "x".repeat(n);
  it.each([
    ["a short line, trimmed", "   DO NOT SHIP   ", "DO NOT SHIP"],
    ["a line of 120 characters, whole", `${x(109)}DO NOT SHIP`, `${x(109)}DO NOT SHIP`],
    [
      "a longer line from 39 characters before the match, to its end",
      `${x(100)}DO NOT SHIP${"y".repeat(60)}`,
      `…${x(39)}DO NOT SHIP${"y".repeat(60)}`,
    ],
    [
      "110 characters of a longer line, trimmed, marked cut on both sides",
      `${x(10)}${" ".repeat(100)}DO NOT SHIP${" ".repeat(100)}${x(10)}`,
      "…DO NOT SHIP…",
    ],
  ])("shows %s", (_, text, shown) => {
    expect(one(forbid, { "n.txt": `ok\n${text}\n` }).line).toBe(
      `✗ does not match /DO NOT SHIP/ (n.txt): line 2 matches: ${JSON.stringify(shown)}`,
    );
  });

  it("cuts a check's line at 300 characters", () => {
    const line = `${x(109)}DO NOT SHIP`;
    const headOf = (description: string) =>
      `✗ ${description} (n.txt): line 1 matches: ${JSON.stringify(line)}`;
    const rule = (description: string) => ({
      checks: [{ file: "n.txt", notMatch: "DO NOT SHIP", description }],
    });
    expect(headOf("d".repeat(150))).toHaveLength(300);
    expect(one(rule("d".repeat(150)), { "n.txt": line }).line).toBe(headOf("d".repeat(150)));
    expect(one(rule("d".repeat(151)), { "n.txt": line }).line).toBe(
      `${headOf("d".repeat(151)).slice(0, 299)}…`,
    );
  });
});

describe("evaluate: failed tests and failing files listed", () => {
  const noFailures = (file: string) => ({
    checks: [{ file, expect: "failures == `0`", description: "tests pass" }],
  });
  const failingCases = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ name: `t${i + 1}`, failure: i === 0 ? "" : `m${i + 1}` }));

  it.each([
    [5, []],
    [6, ["    …and 1 more"]],
    [8, ["    …and 3 more"]],
  ])("lists at most 5 of a file's %i failed tests", (count, more) => {
    const xml = junit([{ name: "S", cases: failingCases(count) }]);
    expect(failure(check(noFailures("junit.xml"), { "junit.xml": xml }))).toBe(
      [
        '1 of 1 artifact check failed on input artifact "BuildArtifact":',
        `✗ tests pass (junit.xml): failures is ${count}, expected == 0`,
        `  ${count} failed tests:`,
        // A failure without a message is the test's name alone.
        "    S › t1",
        "    S › t2: m2",
        "    S › t3: m3",
        "    S › t4: m4",
        "    S › t5: m5",
        ...more,
      ].join("\n"),
    );
  });

  it.each([
    [10, []],
    [12, ["  …and 2 more files"]],
  ])("lists at most 10 of %i failing files, each with at most 3 failed tests", (count, more) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++)
      files[`r/${String(i).padStart(2, "0")}.xml`] = junit([{ name: "S", cases: failingCases(4) }]);
    const shown = Array.from({ length: 10 }, (_, i) => [
      `  r/${String(i).padStart(2, "0")}.xml: failures is 4, expected == 0`,
      "    4 failed tests:",
      "      S › t1",
      "      S › t2: m2",
      "      S › t3: m3",
      "      …and 1 more",
    ]);
    expect(failure(check(noFailures("r/*.xml"), files))).toBe(
      [
        '1 of 1 artifact check failed on input artifact "BuildArtifact":',
        `✗ tests pass (r/*.xml: ${count} of ${count} files fail)`,
        ...shown.flat(),
        ...more,
      ].join("\n"),
    );
  });

  it("lists no failed tests under a file that does not parse or an expression that errors", () => {
    expect(
      failure(
        check(
          {
            checks: [
              { file: "a.json", expect: "ok" },
              { file: "b.json", expect: "length(n) > `0`" },
            ],
          },
          { "a.json": "{", "b.json": '{"n": 5}' },
        ),
      ).split("\n"),
    ).toEqual([
      '2 of 2 artifact checks failed on input artifact "BuildArtifact":',
      "✗ ok (a.json): not valid JSON at line 1, column 2: unexpected end of file; the line reads: {",
      "✗ length(n) > `0` (b.json): length(n) > `0` could not be evaluated: Invalid type: length() expected argument 1 to be type (string | array | object) but received type number instead.",
    ]);
  });
});

describe("evaluate: the verdict's figures and checks load did not read", () => {
  it("counts the failed checks", () => {
    const rule = {
      checks: [
        { file: "a.json", expect: "ok" },
        { file: "b.json", expect: "ok" },
        { file: "c.json", expect: "ok" },
      ],
    };
    const ok = '{"ok": true}';
    const notOk = '{"ok": false}';
    expect(check(rule, { "a.json": ok, "b.json": ok, "c.json": ok }).figures).toEqual({ ChecksFailed: 0 });
    expect(check(rule, { "a.json": notOk, "b.json": ok, "c.json": notOk }).figures).toEqual({
      ChecksFailed: 2,
    });
  });

  it("fails a check that load returned nothing for, naming its file", () => {
    const p = params({ checks: [{ file: "VERSION", match: "^1\\." }] });
    expect(evaluate({ artifact: "BuildArtifact", checks: [] }, p)).toEqual({
      pass: false,
      message:
        '1 of 1 artifact check failed on input artifact "BuildArtifact":\n✗ matches /^1\\./: "VERSION" was not read',
      figures: { ChecksFailed: 1 },
    });
  });
});

describe("evaluate: each failing check's share of the message", () => {
  // 10 failing checks share 5000 characters less the header and 200 spare: a block that fits its
  // share is kept whole; a longer one keeps the lines that leave room for a note of what was cut.
  const header = '10 of 10 artifact checks failed on input artifact "BuildArtifact":';
  const share = Math.floor((5000 - header.length - 200) / 10);
  const m = (length: number) => "m".repeat(length);
  const testLine = (name: string, message: string) => `    S › ${name}: ${message}`;
  const headOf = (i: number) => `✗ c${i} (r${i}.xml): failures is 3, expected == 0`;
  const listed = "  3 failed tests:";
  const upTo = (i: number, lines: string[]) => [headOf(i), listed, ...lines].join("\n").length;

  // c0: keeping t2 leaves exactly the room for the note; c1: one character more, t2 goes too;
  // c2: all three tests in exactly the share.
  const t1 = testLine("t1", m(188));
  const t2Length = share - upTo(0, [t1]) - 2 - "    …and 2 more lines".length - testLine("t2", "").length;
  const t3Length = share - upTo(2, [t1, testLine("t2", m(100))]) - 1 - testLine("t3", "").length;
  const messages = [
    [m(188), m(t2Length), m(100)],
    [m(188), m(t2Length + 1), m(100)],
    [m(188), m(100), m(t3Length)],
  ];

  it("keeps a block that fits its share whole and cuts a longer one where the note still fits", () => {
    expect(share).toBe(473);
    // Test lines are cut at 200 characters: these must not be.
    for (const length of [t2Length + 1, t3Length]) expect(length).toBeLessThanOrEqual(188);
    const files: Record<string, string> = {};
    const checks = [];
    for (let i = 0; i < 10; i++) {
      const texts = messages[i];
      if (texts)
        files[`r${i}.xml`] = junit([
          { name: "S", cases: texts.map((failure, k) => ({ name: `t${k + 1}`, failure })) },
        ]);
      checks.push({ file: `r${i}.xml`, expect: "failures == `0`", description: `c${i}` });
    }
    const [c0 = [], c1 = [], c2 = []] = messages.map((texts) =>
      texts.map((text, k) => testLine(`t${k + 1}`, text)),
    );
    const blocks = [
      [headOf(0), listed, c0[0], c0[1], "    …and 1 more line"],
      [headOf(1), listed, c1[0], "    …and 2 more lines"],
      [headOf(2), listed, ...c2],
    ];
    // c0 made room for "…and 2 more lines" before keeping t2; the note it ends with is one shorter.
    expect([blocks[0], blocks[2]].map((block) => block?.join("\n").length)).toEqual([share - 1, share]);
    const missing = Array.from(
      { length: 7 },
      (_, i) => `✗ c${i + 3}: File "r${i + 3}.xml" not found (test artifact).`,
    );
    expect(failure(check({ checks }, files))).toBe([header, ...blocks.flat(), ...missing].join("\n"));
  });
});
