import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { jobEvent } from "../../local/job-event.js";
import { lambdaContext } from "../../local/lambda-context.js";
import { zipBuffer } from "../../local/zip.js";
import { openInputArtifact } from "../../shared/artifacts/index.js";
import { defineRule } from "../../shared/rule.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { captureLogs, expectCleanLogs } from "../support/logs.js";
import { onlyResult as recordedResult } from "../support/outcomes.js";

/** Reads one file from the input artifact and passes with its content and what crossed the wire. */
const readFileRule = defineRule({
  name: "read-file",
  params: z.strictObject({ file: z.string() }),
  load: async (ctx) => {
    ctx.step("reading the input artifact");
    const artifact = await openInputArtifact(ctx.job, { signal: ctx.signal });
    const text = await artifact.readText(ctx.params.file);
    return { text, bytesFetched: artifact.stats.bytesFetched };
  },
  evaluate: (input) => ({ pass: true, summary: `${input.text} (${input.bytesFetched} bytes fetched)` }),
});

const aws = useLocalAws();
let bucket: string;
let logs: ReturnType<typeof captureLogs> | undefined;

beforeAll(async () => {
  bucket = await createBucket(aws.s3);
});
beforeEach(() => aws.codePipeline.reset());
afterEach(() => {
  if (!logs) return;
  expectCleanLogs(logs);
  logs = undefined;
});

const run = async (key: string, file: string, options: { timeoutMs?: number } = {}) => {
  const event = jobEvent({ userParameters: { file }, artifacts: [{ name: "BuildArtifact", bucket, key }] });
  logs = captureLogs();
  const result = await readFileRule(event, lambdaContext("read-file", options));
  logs.restore();
  return { id: event["CodePipeline.job"].id, result };
};

const onlyResult = (jobId: string) => recordedResult(aws.codePipeline, jobId);

describe("shared runtime over real HTTP (moto S3, local CodePipeline)", () => {
  it("reads a file from a zip in S3 and reports one signed success", async () => {
    await putObject(aws.s3, bucket, "p/BuildArtif/small", await zipBuffer({ "version.txt": "1.2.3" }));
    const { id } = await run("p/BuildArtif/small", "version.txt");
    const result = onlyResult(id);
    expect(result.operation).toBe("PutJobSuccessResult");
    expect(result.signed).toBe(true);
    expect(result.body).toMatchObject({
      executionDetails: { summary: expect.stringMatching(/^1\.2\.3 \(/) },
    });
  });

  it("moves little more than the central directory and the entry for a small file in a large artifact", async () => {
    const noise = randomBytes(64 * 1024 * 1024);
    const zip = await zipBuffer({ "layer.tar": noise, "version.txt": "9.9.9" });
    await putObject(aws.s3, bucket, "p/BuildArtif/large", zip);
    const { id } = await run("p/BuildArtif/large", "version.txt");
    const summary = String((onlyResult(id).body.executionDetails as { summary: string }).summary);
    const fetched = Number(summary.match(/\((\d+) bytes fetched\)/)?.[1]);
    expect(fetched).toBeGreaterThan(0);
    expect(fetched).toBeLessThan(256 * 1024);
  });

  it("fails on the size cap for a zip bomb (an entry inflating to 1 GiB)", async () => {
    const GiB = 1024 ** 3;
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const zeros = new Readable({
      read() {
        sent += chunk.length;
        this.push(sent > GiB ? null : chunk);
      },
    });
    await putObject(
      aws.s3,
      bucket,
      "p/BuildArtif/bomb",
      await zipBuffer({ "bomb.bin": { stream: zeros, size: GiB } }),
    );
    const { id } = await run("p/BuildArtif/bomb", "bomb.bin");
    const result = onlyResult(id);
    expect(result.body.failureDetails).toMatchObject({
      type: "JobFailed",
      message: expect.stringMatching(
        /"bomb.bin" .* is 1024\.0 MB uncompressed, over the 50\.0 MB cap on one file\.$/,
      ),
    });
  });

  it("fails clearly on a truncated artifact", async () => {
    const zip = await zipBuffer({ "a.txt": "a".repeat(5000) });
    await putObject(aws.s3, bucket, "p/BuildArtif/truncated", zip.subarray(0, zip.length - 30));
    const { id } = await run("p/BuildArtif/truncated", "a.txt");
    expect(onlyResult(id).body.failureDetails).toMatchObject({
      type: "JobFailed",
      message: expect.stringContaining("is not a readable zip archive"),
    });
  });

  it("names the bucket and key of a missing artifact", async () => {
    const { id } = await run("p/BuildArtif/missing", "a.txt");
    expect(onlyResult(id).body.failureDetails).toMatchObject({
      type: "JobFailed",
      message: `The input artifact "BuildArtifact" (s3://${bucket}/p/BuildArtif/missing) does not exist (NoSuchKey).`,
    });
  });

  describe("reporting", () => {
    beforeAll(async () => {
      await putObject(aws.s3, bucket, "p/BuildArtif/ok", await zipBuffer({ "ok.txt": "ok" }));
    });

    it.each([
      ["throttling", ["throttle", "throttle"] as const],
      ["500s", ["server-error", "server-error"] as const],
    ])("retries %s and lands exactly one result", async (_, faults) => {
      aws.codePipeline.injectFaults(...faults);
      const { id, result } = await run("p/BuildArtif/ok", "ok.txt");
      expect(result).toMatchObject({ reported: "reported" });
      expect(aws.codePipeline.calls).toBe(3);
      expect(onlyResult(id).operation).toBe("PutJobSuccessResult");
    });

    it("treats InvalidJobStateException as already reported", async () => {
      aws.codePipeline.injectFaults("invalid-job-state");
      const { result } = await run("p/BuildArtif/ok", "ok.txt");
      expect(result).toMatchObject({ reported: "already-reported" });
    });

    it("ends in time without throwing when CodePipeline is down for good", async () => {
      aws.codePipeline.failAlways("server-error");
      const context = lambdaContext("read-file", { timeoutMs: 20_000 });
      const event = jobEvent({
        userParameters: { file: "ok.txt" },
        artifacts: [{ name: "BuildArtifact", bucket, key: "p/BuildArtif/ok" }],
      });
      logs = captureLogs();
      const result = await readFileRule(event, context);
      logs.restore();
      expect(result).toMatchObject({ reported: "not-reported" });
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      expect(logs.json().some((l) => l.message === "Could not report the outcome to CodePipeline")).toBe(
        true,
      );
    });
  });
});
