import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { jobEvent, MARKER_CREDENTIALS } from "../../../local/job-event.js";
import { NotACodePipelineJobError } from "../../../shared/errors.js";
import { parseJobEvent } from "../../../shared/job.js";

describe("parseJobEvent", () => {
  it("parses a job with artifacts, credentials and UserParameters", () => {
    const event = jobEvent({
      id: "job-1",
      userParameters: { a: 1 },
      artifacts: [{ name: "BuildArtifact", bucket: "bucket", key: "p/BuildArtif/abc" }],
    });
    const parsed = parseJobEvent(event);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.job.id).toBe("job-1");
    expect(parsed.job.accountId).toBe("123456789012");
    expect(parsed.job.userParameters).toBe('{"a":1}');
    expect(parsed.job.inputArtifacts).toEqual([
      { name: "BuildArtifact", revision: undefined, bucket: "bucket", key: "p/BuildArtif/abc" },
    ]);
    expect(parsed.job.artifactCredentials?.forSdk().accessKeyId).toBe(MARKER_CREDENTIALS.accessKeyId);
  });

  it("keeps credentials out of JSON and inspection", () => {
    const parsed = parseJobEvent(jobEvent());
    if (!parsed.ok) throw new Error(parsed.message);
    const shown = JSON.stringify(parsed.job) + inspect(parsed.job, { depth: 10 });
    for (const secret of Object.values(MARKER_CREDENTIALS)) expect(shown).not.toContain(secret);
  });

  it.each([
    ["undefined", undefined],
    ["an empty object", {}],
    ["an S3 event", { Records: [{ s3: {} }] }],
    ["a job without id", { "CodePipeline.job": { data: {} } }],
    ["a job with an empty id", { "CodePipeline.job": { id: "", data: {} } }],
  ])("rejects %s as not a CodePipeline job", (_, event) => {
    expect(() => parseJobEvent(event)).toThrow(NotACodePipelineJobError);
  });

  it("returns a reportable error for a job whose data is malformed", () => {
    const parsed = parseJobEvent({ "CodePipeline.job": { id: "job-2", data: { inputArtifacts: "nope" } } });
    expect(parsed).toEqual({
      ok: false,
      id: "job-2",
      message: 'Malformed CodePipeline job event: data.inputArtifacts: expected array; got "nope"',
    });
  });

  it("refuses artifacts that are not in S3", () => {
    const event = jobEvent({ artifacts: [{ name: "A", bucket: "b", key: "k" }] });
    const artifact = event["CodePipeline.job"].data.inputArtifacts[0] as { location: { type: string } };
    artifact.location.type = "CodeCommit";
    const parsed = parseJobEvent(event);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain('Input artifact "A" has location type CodeCommit');
  });
});
