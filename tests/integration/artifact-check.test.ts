import { readFileSync } from "node:fs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jobEvent } from "../../local/job-event.js";
import { type ZipFiles, zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { invokeBundle } from "../support/lambda.js";
import { captureLogs, expectCleanLogs } from "../support/logs.js";
import { onlyResult, outcomeOf } from "../support/outcomes.js";
import {
  COBERTURA,
  JACOCO,
  LCOV,
  NUNIT3,
  SUREFIRE_FLAKY,
  TRX,
} from "../unit/artifact-check/sample-reports.js";
import {
  BAD_FILES,
  GOOD_FILES,
  ISSUE_EXAMPLE,
  ISSUE_EXAMPLE_FAILURE,
  ISSUE_EXAMPLE_SUMMARY,
  junit,
} from "../unit/artifact-check/support.js";

const aws = useLocalAws();
let bucket: string;
let logs: ReturnType<typeof captureLogs> | undefined;
let keyCounter = 0;

beforeAll(async () => {
  bucket = await createBucket(aws.s3, "artifact-check");
});
beforeEach(() => aws.codePipeline.reset());
afterEach(() => {
  if (!logs) return;
  expectCleanLogs(logs);
  logs = undefined;
});

/** Uploads a real zip as a pipeline artifact, runs the built bundle on it, returns the one result. */
const gate = async (files: ZipFiles, userParameters: Record<string, unknown>) => {
  const key = `demo-pipeline/BuildArtif/${keyCounter++}`;
  await putObject(aws.s3, bucket, key, await zipBuffer(files));
  const event = jobEvent({ userParameters, artifacts: [{ name: "BuildArtifact", bucket, key }] });
  logs = captureLogs();
  await invokeBundle("artifact-check", event);
  logs.restore();
  const result = onlyResult(aws.codePipeline, event["CodePipeline.job"].id);
  expect(result.signed).toBe(true);
  return { ...outcomeOf(result), key };
};

describe("artifact-check bundle against moto S3 and the local CodePipeline endpoint", () => {
  it("fails with every failing check, its file and actual value", async () => {
    const result = await gate(BAD_FILES, ISSUE_EXAMPLE);
    expect(result.operation).toBe("PutJobFailureResult");
    expect(result.type).toBe("JobFailed");
    expect(result.message).toBe(ISSUE_EXAMPLE_FAILURE);
  });

  it("passes with each check and the value it saw", async () => {
    const result = await gate(GOOD_FILES, ISSUE_EXAMPLE);
    expect(result.operation).toBe("PutJobSuccessResult");
    expect(result.summary).toBe(ISSUE_EXAMPLE_SUMMARY);
  });

  it("names a missing file with the artifact's location and the closest names", async () => {
    const files = {
      "reports/junit-unit.xml": junit([{ name: "S", cases: [{ name: "a" }] }]),
      "NOTES.md": "ok",
    };
    const result = await gate(files, { checks: [{ file: "reports/junit.xml", expect: "failures == `0`" }] });
    expect(result.type).toBe("JobFailed");
    expect(result.message).toBe(
      [
        '1 of 1 artifact check failed on input artifact "BuildArtifact":',
        `✗ failures == \`0\`: File "reports/junit.xml" not found in the input artifact "BuildArtifact" (s3://${bucket}/${result.key}), which holds 2 files. Closest: "reports/junit-unit.xml", "NOTES.md".`,
      ].join("\n"),
    );
  });

  it("names a file that does not parse and where it broke", async () => {
    const result = await gate(
      { "reports/coverage-summary.json": '{\n  "total": {\n    "lines": { "pct": 72.4, }\n  }\n}\n' },
      { checks: [{ file: "reports/coverage-summary.json", expect: "total.lines.pct >= `80`" }] },
    );
    expect(result.type).toBe("JobFailed");
    expect(result.message).toContain(
      '✗ total.lines.pct >= `80` (reports/coverage-summary.json): not valid JSON at line 3, column 29: unexpected "}"; the line reads: "lines": { "pct": 72.4, }',
    );
  });

  it("checks every JUnit file a glob matches", async () => {
    const files = {
      "reports/api/junit.xml": junit([
        {
          name: "Api",
          cases: [{ name: "auth" }, { name: "rejects bad token", failure: "expected 401, got 200" }],
        },
      ]),
      "reports/web/junit-e2e.xml": junit([{ name: "Web", cases: [{ name: "loads" }] }]),
      "reports/worker/junit.xml": junit([{ name: "Worker", cases: [{ name: "retries" }] }]),
      "reports/coverage.xml": "<coverage/>",
    };
    const rule = {
      checks: [
        {
          file: "reports/**/junit*.xml",
          expect: "failures == `0` && errors == `0`",
          description: "no failed tests",
        },
      ],
    };
    const failed = await gate(files, rule);
    expect(failed.message).toBe(
      [
        '1 of 1 artifact check failed on input artifact "BuildArtifact":',
        "✗ no failed tests (reports/**/junit*.xml: 1 of 3 files fail)",
        "  reports/api/junit.xml: failures is 1, expected == 0",
        "    1 failed test:",
        "      Api › rejects bad token: expected 401, got 200",
      ].join("\n"),
    );
    const passing = {
      ...files,
      "reports/api/junit.xml": junit([{ name: "Api", cases: [{ name: "auth" }] }]),
    };
    const passed = await gate(passing, rule);
    expect(passed.operation).toBe("PutJobSuccessResult");
    expect(passed.summary).toMatch(
      /^The artifact check passed on input artifact "BuildArtifact":\n✓ no failed tests \(reports\/\*\*\/junit\*\.xml: all 3 files\)/,
    );
  });

  it("finishes a catastrophic regex over a long line", async () => {
    const result = await gate(
      { "build.log": `${"a".repeat(200_000)}b\n` },
      {
        checks: [
          { file: "build.log", match: "^(a+)+$" },
          { file: "build.log", notMatch: "^(a+)+$" },
        ],
      },
    );
    expect(result.type).toBe("JobFailed");
    expect(result.message).toBe(
      [
        '1 of 2 artifact checks failed on input artifact "BuildArtifact":',
        "✗ matches /^(a+)+$/ (build.log): no line matches (the file has 1 line)",
        "✓ does not match /^(a+)+$/ (build.log): no line matches",
      ].join("\n"),
    );
  });

  it("reads .NET and Java test reports and coverage, detected from their content", async () => {
    const result = await gate(
      {
        "TestResults/ci.trx": TRX,
        "reports/nunit/TestResult.xml": NUNIT3,
        "target/surefire-reports/TEST-com.acme.ApiTest.xml": SUREFIRE_FLAKY,
        "coverage/cobertura.xml": COBERTURA,
        "target/site/jacoco/jacoco.xml": JACOCO,
        "coverage/lcov.info": LCOV,
      },
      {
        checks: [
          { file: "TestResults/*.trx", expect: "failures == `0` && errors == `0`" },
          { file: "reports/nunit/TestResult.xml", expect: "failures == `0`" },
          { file: "target/surefire-reports/*.xml", expect: "failures == `0` && tests >= `2`" },
          { file: "coverage/cobertura.xml", expect: "lines.pct >= `80`" },
          { file: "target/site/jacoco/jacoco.xml", expect: "lines.pct >= `80`" },
          { file: "coverage/lcov.info", expect: "lines.pct >= `80` && branches.pct >= `90`" },
        ],
      },
    );
    expect(result.type).toBe("JobFailed");
    expect(result.message).toBe(
      [
        '4 of 6 artifact checks failed on input artifact "BuildArtifact":',
        "✗ failures == `0` && errors == `0` (TestResults/ci.trx): failures is 1, expected == 0; errors is 1, expected == 0",
        "  2 failed tests:",
        "    Calc.Tests › Divides: Assert.AreEqual failed. Expected:<2>. Actual:<3>.",
        "    Calc.Tests › Hangs: Timeout",
        "✗ failures == `0` (reports/nunit/TestResult.xml): failures is 1, expected == 0",
        "  3 failed tests:",
        "    Calc.CalculatorTests › Divides: Expected: 2",
        "    Calc.CalculatorTests › Throws: System.NullReferenceException : Object reference not set",
        "    Calc.CalculatorTests › Cancels: Cancelled",
        "✗ lines.pct >= `80` (target/site/jacoco/jacoco.xml): lines.pct is 77, expected >= 80",
        "✗ lines.pct >= `80` && branches.pct >= `90` (coverage/lcov.info): branches.pct is 80, expected >= 90",
        "✓ failures == `0` && tests >= `2` (target/surefire-reports/TEST-com.acme.ApiTest.xml): failures is 0, tests is 2",
        "✓ lines.pct >= `80` (coverage/cobertura.xml): lines.pct is 80.4",
      ].join("\n"),
    );
  });

  it("reports a bad expression as a ConfigurationError before reading anything", async () => {
    const result = await gate(GOOD_FILES, { checks: [{ file: "a.json", expect: "total.lines.pct >=" }] });
    expect(result.type).toBe("ConfigurationError");
    expect(result.message).toBe(
      'Invalid UserParameters:\nchecks[0].expect: not a valid JMESPath expression (Syntax error: invalid token (EOF): ""); got "total.lines.pct >="',
    );
  });
});

describe("sample events (events/artifact-check) with their fixtures", () => {
  const fixtures = JSON.parse(
    readFileSync("events/artifact-check/fixtures/artifacts.json", "utf8"),
  ) as Record<string, Record<string, string>>;
  it.each([
    ["coverage-tests-pass", "PutJobSuccessResult", /^All 2 artifact checks passed/],
    [
      "coverage-fail",
      "PutJobFailureResult",
      /^1 of 2 artifact checks failed.*\n✗ line coverage ≥ 80% .*72\.4/,
    ],
    ["multi-check-fail", "PutJobFailureResult", /^4 of 5 artifact checks failed/],
    ["multi-check-pass", "PutJobSuccessResult", /^All 5 artifact checks passed/],
  ])("%s", async (name, operation, text) => {
    const event = JSON.parse(readFileSync(`events/artifact-check/${name}.json`, "utf8"));
    const job = event["CodePipeline.job"];
    const location = job.data.inputArtifacts[0].location.s3Location;
    const files = fixtures[location.objectKey];
    if (!files) throw new Error(`no fixture for ${location.objectKey}`);
    // The samples name the demo bucket; here the fixture goes to this file's own bucket.
    location.bucketName = bucket;
    await putObject(aws.s3, bucket, location.objectKey, await zipBuffer(files));
    logs = captureLogs();
    await invokeBundle("artifact-check", event);
    logs.restore();
    const result = outcomeOf(onlyResult(aws.codePipeline, job.id));
    expect(result.operation).toBe(operation);
    expect(result.summary ?? result.message).toMatch(text);
  });
});
