import { randomBytes } from "node:crypto";
import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { GetObjectCommand, type GetObjectCommandInput, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handler } from "../../../functions/artifact-check/index.js";
import { jobEvent } from "../../../local/job-event.js";
import { lambdaContext } from "../../../local/lambda-context.js";
import { type ZipFiles, zipBuffer } from "../../../local/zip.js";
import { captureLogs, expectCleanLogs } from "../../support/logs.js";
import { reportedTo } from "../../support/outcomes.js";
import { rangedGetObject } from "../../support/s3-mock.js";
import { BAD_FILES, GOOD_FILES, ISSUE_EXAMPLE } from "./support.js";

const s3 = mockClient(S3Client);
const codePipeline = mockClient(CodePipelineClient);

/** Serves one object for GetObject, ranges included, like S3. */
const serveZip = async (files: ZipFiles, options: { hangOnEntries?: boolean } = {}) => {
  const object = await zipBuffer(files);
  s3.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) =>
    // An S3 that answers the tail (central directory) and then never answers again.
    options.hangOnEntries && !input.Range?.startsWith("bytes=-")
      ? new Promise(() => {})
      : rangedGetObject(object, input),
  );
};

const run = async (
  userParameters: unknown,
  artifacts = [{ name: "BuildArtifact", bucket: "b", key: "p/BuildArtif/k" }],
  timeoutMs?: number,
) => {
  const event = jobEvent({ userParameters: userParameters as Record<string, unknown>, artifacts });
  await handler(event, lambdaContext("artifact-check", { timeoutMs }));
  return event["CodePipeline.job"].id;
};

const reported = () => reportedTo(codePipeline);

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  s3.reset();
  codePipeline.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
  logs = captureLogs();
});
afterEach(() => expectCleanLogs(logs));

describe("artifact-check handler", () => {
  it("reports one success with each check's value", async () => {
    await serveZip(GOOD_FILES);
    const jobId = await run(ISSUE_EXAMPLE);
    const result = reported();
    expect(result.jobId).toBe(jobId);
    expect(result.summary).toMatch(/^All 5 artifact checks passed on input artifact "BuildArtifact":\n/);
    expect(result.summary).toContain("total.lines.pct is 91.2");
  });

  it("reports one JobFailed listing every failing check", async () => {
    await serveZip(BAD_FILES);
    await run(ISSUE_EXAMPLE);
    const result = reported();
    expect(result.type).toBe("JobFailed");
    expect(result.message?.split("\n")[0]).toBe(
      '4 of 5 artifact checks failed on input artifact "BuildArtifact":',
    );
    expect(result.message).toContain("total.lines.pct is 72.4, expected >= 80");
    expect(result.message).toContain("UserService › creates a user: expected 201, got 500");
  });

  it("names a missing file and the closest files the artifact holds", async () => {
    await serveZip({ "reports/junit-unit.xml": "<testsuite/>", "README.md": "x" });
    await run({ checks: [{ file: "reports/junit.xml", expect: "failures == `0`" }] });
    const result = reported();
    expect(result.type).toBe("JobFailed");
    expect(result.message).toContain(
      '✗ failures == `0`: File "reports/junit.xml" not found in the input artifact "BuildArtifact" (s3://b/p/BuildArtif/k), which holds 2 files. Closest: "reports/junit-unit.xml"',
    );
  });

  it("says no file matches a glob, with the closest names", async () => {
    await serveZip({
      "reports/junit-unit.xml": "<testsuite/>",
      "NOTES.md": "x",
      "README.md": "x",
      "build/app.js": "x",
    });
    await run({ checks: [{ file: "test-results/**/*.xml", expect: "failures == `0`" }] });
    // Only the one close name, not every file in the artifact.
    expect(reported().message).toContain(
      '✗ failures == `0`: No file matches the pattern "test-results/**/*.xml" in the input artifact "BuildArtifact" (s3://b/p/BuildArtif/k), which holds 4 files. Closest: "reports/junit-unit.xml".',
    );
  });

  it("reads a file once for several checks", async () => {
    await serveZip(GOOD_FILES);
    await run({
      checks: [
        { file: "reports/junit.xml", expect: "failures == `0`" },
        { file: "reports/junit.xml", expect: "tests >= `2`" },
        { file: "reports/junit.xml", notMatch: "<failure" },
      ],
    });
    expect(reported().summary).toMatch(/^All 3 artifact checks passed/);
    const info = logs.json().find((line) => line.message === "Read artifact files");
    expect(info).toMatchObject({ files: 1 });
  });

  it("reports a ConfigurationError for a bad expression without touching S3", async () => {
    await run({ checks: [{ file: "a.json", expect: "a >=" }] });
    const result = reported();
    expect(result.type).toBe("ConfigurationError");
    expect(result.message).toMatch(
      /^Invalid UserParameters:\nchecks\[0\]\.expect: not a valid JMESPath expression/,
    );
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it("reports a ConfigurationError for an unknown artifact name without touching S3", async () => {
    await run({ artifact: "TestArtifact", checks: [{ file: "a.json", expect: "a" }] });
    const result = reported();
    expect(result.type).toBe("ConfigurationError");
    expect(result.message).toBe(
      'No input artifact named "TestArtifact"; the rule\'s input artifacts are "BuildArtifact".',
    );
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it("picks the named artifact among several", async () => {
    await serveZip(GOOD_FILES);
    await run(
      { artifact: "BuildArtifact", checks: [{ file: "release.yaml", expect: "channel == 'stable'" }] },
      [
        { name: "SourceArtifact", bucket: "b", key: "p/SourceArti/s" },
        { name: "BuildArtifact", bucket: "b", key: "p/BuildArtif/k" },
      ],
    );
    expect(reported().summary).toContain('on input artifact "BuildArtifact"');
    expect(
      s3.commandCalls(GetObjectCommand).every((call) => call.args[0].input.Key === "p/BuildArtif/k"),
    ).toBe(true);
  });

  it("maps access denied on the artifact to a PermissionError", async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
    );
    await run({ checks: [{ file: "a.json", expect: "a" }] });
    const result = reported();
    expect(result.type).toBe("PermissionError");
    expect(result.message).toContain("Access denied reading the input artifact");
  });

  it("says which file it was reading when it runs out of time", async () => {
    // The report comes first and a large incompressible file after it, so the report's bytes are
    // outside the tail read and must be fetched (and S3 never answers).
    await serveZip(
      { "reports/junit.xml": "<testsuite/>", "big.bin": randomBytes(400 * 1024) },
      { hangOnEntries: true },
    );
    await run({ checks: [{ file: "reports/junit.xml", expect: "failures == `0`" }] }, undefined, 2_500);
    const result = reported();
    expect(result.type).toBe("JobFailed");
    expect(result.message).toMatch(/^Ran out of time while reading reports\/junit\.xml from BuildArtifact: /);
  });
});
