import { describe, expect, it } from "vitest";
import { type Params, paramsSchema } from "../../../functions/artifact-check/params.js";
import { RuleError } from "../../../shared/errors.js";
import { parseUserParameters } from "../../../shared/params.js";
import { ISSUE_EXAMPLE } from "./support.js";

const parse = (value: unknown): Params => parseUserParameters(JSON.stringify(value), paramsSchema);

const configurationMessage = (value: unknown): string => {
  try {
    parse(value);
  } catch (error) {
    if (error instanceof RuleError && error.type === "ConfigurationError") return error.message;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
};

describe("UserParameters", () => {
  it("compiles the issue's example", () => {
    const params = parse(ISSUE_EXAMPLE);
    expect(params.artifact).toBe("BuildArtifact");
    expect(params.checks.map((c) => [c.index, c.file, c.condition.kind, c.glob === undefined])).toEqual([
      [0, "reports/coverage-summary.json", "expect", true],
      [1, "reports/junit.xml", "expect", true],
      [2, "release.yaml", "expect", true],
      [3, "NOTES.md", "notMatch", true],
      [4, "CHANGELOG.md", "match", true],
    ]);
  });

  it("recognises globs and matches dot files with them", () => {
    const [check] = parse({
      checks: [{ file: "./reports/**/junit*.xml", expect: "failures == `0`" }],
    }).checks;
    expect(check?.file).toBe("reports/**/junit*.xml");
    expect(check?.glob?.("reports/api/junit-unit.xml")).toBe(true);
    expect(check?.glob?.("reports/.hidden/junit.xml")).toBe(true);
    expect(check?.glob?.("reports/api/coverage.xml")).toBe(false);
  });

  it.each([
    [{}, "Invalid UserParameters:\nchecks: expected array; got nothing"],
    [{ checks: [] }, "checks: expected a non-empty list of checks"],
    [
      { checks: [{ file: "a.json" }] },
      "checks[0]: a check needs one of expect (a JMESPath expression), match or notMatch",
    ],
    [
      { checks: [{ file: "a.md", match: "x", notMatch: "y" }] },
      "checks[0]: give exactly one of expect, match, notMatch per check; got match and notMatch",
    ],
    [
      {
        checks: [
          { file: "a.json", expect: "a" },
          { file: "b.json", expect: "total.lines.pct >=" },
        ],
      },
      'checks[1].expect: not a valid JMESPath expression (Syntax error: invalid token (EOF): ""); got "total.lines.pct >="',
    ],
    // Numbers need backticks: say so instead of "invalid token".
    [
      { checks: [{ file: "c.json", expect: "total.lines.pct >= 80" }] },
      'checks[0].expect: a number in JMESPath is a JSON literal in backticks: write `80`, not 80; got "total.lines.pct >= 80"',
    ],
    [
      { checks: [{ file: "c.json", expect: "delta > -0.5 && ok" }] },
      "checks[0].expect: a number in JMESPath is a JSON literal in backticks: write `-0.5`, not -0.5;",
    ],
    // Double quotes name a field: `channel == "beta"` compares channel with a field named beta.
    [
      { checks: [{ file: "r.yaml", expect: 'channel == "beta"' }] },
      'checks[0].expect: "beta" in double quotes names a field in JMESPath, not a string; for the string write \'beta\' (single quotes); got "channel == \\"beta\\""',
    ],
    [
      { checks: [{ file: "r.yaml", expect: 'length(items[?kind != "test"]) == `0`' }] },
      "checks[0].expect: \"test\" in double quotes names a field in JMESPath, not a string; for the string write 'test'",
    ],
    // A string literal in an ordering comparison is the user's mistake, not the file's.
    [
      { checks: [{ file: "c.json", expect: "total.lines.pct >= '80'" }] },
      "checks[0].expect: '80' is a string, and >= compares numbers only: with a string it gives null whatever the file holds; for the number write `80`; got \"total.lines.pct >= '80'\"",
    ],
    [
      { checks: [{ file: "v.json", expect: "version < '2.0.0'" }] },
      "checks[0].expect: '2.0.0' is a string, and < compares numbers only: with a string it gives null whatever the file holds; got",
    ],
    [
      { checks: [{ file: "a.json", expect: "`{bad`" }] },
      "checks[0].expect: not a valid JMESPath expression (Syntax error",
    ],
    [
      { checks: [{ file: "a.md", match: "(?=x)" }] },
      "checks[0].match: not a valid regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?=`); the syntax is RE2's",
    ],
    [
      { checks: [{ file: "a.md", notMatch: "(a)\\1" }] },
      "checks[0].notMatch: not a valid regular expression",
    ],
    [
      { checks: [{ file: "a.md", match: "[" }] },
      "checks[0].match: not a valid regular expression (error parsing regexp: missing closing ]",
    ],
    [
      { checks: [{ file: "a.json", match: "x", format: "json" }] },
      'checks[0].format: match reads the file as text; remove format or set it to "text" (got "json")',
    ],
    [
      { checks: [{ file: "a", expect: "a", format: "xml" }] },
      'checks[0].format: expected one of json, yaml, junit, nunit, trx, cobertura, jacoco, lcov, text; got "xml"',
    ],
    [
      { checks: [{ file: "/etc/passwd", match: "root" }] },
      'checks[0].file: expected a path inside the artifact\'s zip, like "reports/junit.xml"; got "/etc/passwd"',
    ],
    [
      { checks: [{ file: "../x", match: "root" }] },
      "checks[0].file: expected a path inside the artifact's zip",
    ],
    [{ checks: [{ file: "", match: "root" }] }, "checks[0].file:"],
    [
      { checks: [{ file: "a", expect: "a", fail: true }] },
      'checks[0]: unknown key "fail"; allowed: file, format, expect, match, notMatch, description',
    ],
    [{ artifact: "", checks: [{ file: "a", expect: "a" }] }, "artifact:"],
    [
      { checks: [{ file: "a", expect: "a" }], extra: 1 },
      'UserParameters: unknown key "extra"; allowed: artifact, checks',
    ],
  ])("%j", (value, message) => {
    expect(configurationMessage(value)).toContain(message);
  });

  it("reports every bad check at once", () => {
    const message = configurationMessage({
      checks: [
        { file: "a.json", expect: "a >=" },
        { file: "b.md", match: "(?<=x)" },
        { file: "c.json", expect: "ok" },
      ],
    });
    expect(message.split("\n")).toEqual([
      "Invalid UserParameters:",
      expect.stringMatching(/^checks\[0\]\.expect: /),
      expect.stringMatching(/^checks\[1\]\.match: /),
    ]);
  });
});
