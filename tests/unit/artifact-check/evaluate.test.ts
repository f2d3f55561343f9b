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
