import { ALL_COMPILERS, loadCompilers } from "../../../functions/artifact-check/compilers.js";
import {
  type ArtifactContents,
  evaluate,
  type LoadedCheck,
} from "../../../functions/artifact-check/evaluate.js";
import { filesFor, formatFor } from "../../../functions/artifact-check/files.js";
import {
  FORMATS,
  loadParserFor,
  type Parsers,
  parseFile,
} from "../../../functions/artifact-check/formats.js";
import { type Params, paramsSchema } from "../../../functions/artifact-check/params.js";
import { parseUserParameters } from "../../../shared/params.js";

/** Every parser, loaded once for the unit tests. */
export const parsers: Parsers = {};
for (const format of FORMATS) await loadParserFor(format, parsers);
// And RE2 and JMESPath, which the handler loads only when UserParameters use them.
await loadCompilers(ALL_COMPILERS);

export const params = (value: unknown): Params => parseUserParameters(JSON.stringify(value), paramsSchema);

/** What `load` would hand `evaluate` for an artifact holding `files`, without S3. */
export const contentsOf = (p: Params, files: Record<string, string>): ArtifactContents => {
  const names = Object.keys(files);
  const checks = p.checks.map((check): LoadedCheck => {
    const paths = filesFor(check, names);
    if (paths.length === 0) return { ok: false, message: `File "${check.file}" not found (test artifact).` };
    return {
      ok: true,
      files: paths.map((path) => ({
        path,
        content: parseFile(files[path] ?? "", formatFor(check, path), parsers),
      })),
    };
  });
  return { artifact: "BuildArtifact", checks };
};

/** Evaluates UserParameters over an in-memory artifact. */
export const check = (userParameters: unknown, files: Record<string, string>) => {
  const p = params(userParameters);
  return evaluate(contentsOf(p, files), p);
};

export const junit = (
  suites: Array<{ name: string; cases: Array<{ name: string; failure?: string; error?: string }> }>,
) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites
    .map(
      (suite) =>
        `  <testsuite name="${suite.name}" tests="${suite.cases.length}">\n${suite.cases
          .map((c) =>
            c.failure !== undefined
              ? `    <testcase name="${c.name}"><failure message="${c.failure}"/></testcase>`
              : c.error !== undefined
                ? `    <testcase name="${c.name}"><error message="${c.error}"/></testcase>`
                : `    <testcase name="${c.name}"/>`,
          )
          .join("\n")}\n  </testsuite>`,
    )
    .join("\n")}\n</testsuites>\n`;

/** The issue's example configuration. */
export const ISSUE_EXAMPLE = {
  artifact: "BuildArtifact",
  checks: [
    {
      file: "reports/coverage-summary.json",
      expect: "total.lines.pct >= `80`",
      description: "line coverage ≥ 80%",
    },
    { file: "reports/junit.xml", expect: "failures == `0` && errors == `0`" },
    { file: "release.yaml", expect: "channel == 'stable'" },
    { file: "NOTES.md", notMatch: "DO NOT SHIP" },
    { file: "CHANGELOG.md", match: "^## \\d+\\.\\d+\\.\\d+" },
  ],
};

/** What a pipeline user reads for the issue's example over BAD_FILES, and over GOOD_FILES. */
export const ISSUE_EXAMPLE_FAILURE = [
  '4 of 5 artifact checks failed on input artifact "BuildArtifact":',
  "✗ line coverage ≥ 80% (reports/coverage-summary.json): total.lines.pct is 72.4, expected >= 80",
  "✗ failures == `0` && errors == `0` (reports/junit.xml): failures is 1, expected == 0; errors is 1, expected == 0",
  "  2 failed tests:",
  "    UserService › creates a user: expected 201, got 500",
  "    UserService › deletes a user: TypeError: user is undefined",
  '✗ channel == \'stable\' (release.yaml): channel is "beta", expected == "stable"',
  '✗ does not match /DO NOT SHIP/ (NOTES.md): line 3 matches: "DO NOT SHIP until the billing migration lands."',
  '✓ matches /^## \\d+\\.\\d+\\.\\d+/ (CHANGELOG.md): line 3 matches: "## 1.4.0"',
].join("\n");
export const ISSUE_EXAMPLE_SUMMARY = [
  'All 5 artifact checks passed on input artifact "BuildArtifact":',
  "✓ line coverage ≥ 80% (reports/coverage-summary.json): total.lines.pct is 91.2",
  "✓ failures == `0` && errors == `0` (reports/junit.xml): failures is 0, errors is 0",
  "✓ channel == 'stable' (release.yaml): channel is \"stable\"",
  "✓ does not match /DO NOT SHIP/ (NOTES.md): no line matches",
  '✓ matches /^## \\d+\\.\\d+\\.\\d+/ (CHANGELOG.md): line 3 matches: "## 1.4.0"',
].join("\n");

export const GOOD_FILES: Record<string, string> = {
  "reports/coverage-summary.json": JSON.stringify({
    total: { lines: { total: 1000, covered: 912, pct: 91.2 } },
  }),
  "reports/junit.xml": junit([
    { name: "UserService", cases: [{ name: "creates a user" }, { name: "lists users" }] },
  ]),
  "release.yaml": "channel: stable\nversion: 1.4.0\n",
  "NOTES.md": "# Release notes\n\nReady to go.\n",
  "CHANGELOG.md": "# Changelog\n\n## 1.4.0\n\n- Faster builds\n",
};

export const BAD_FILES: Record<string, string> = {
  "reports/coverage-summary.json": JSON.stringify({
    total: { lines: { total: 1000, covered: 724, pct: 72.4 } },
  }),
  "reports/junit.xml": junit([
    {
      name: "UserService",
      cases: [
        { name: "creates a user", failure: "expected 201, got 500" },
        { name: "lists users" },
        { name: "deletes a user", error: "TypeError: user is undefined" },
      ],
    },
  ]),
  "release.yaml": "channel: beta\nversion: 1.4.0-rc.1\n",
  "NOTES.md": "# Release notes\n\nDO NOT SHIP until the billing migration lands.\n",
  "CHANGELOG.md": "# Changelog\n\n## 1.4.0\n",
};
