import { deflateRawSync } from "node:zlib";
import {
  GetObjectCommand,
  type GetObjectCommandInput,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { jobEvent } from "../../../local/job-event.js";
import { zipBuffer } from "../../../local/zip.js";
import { openInputArtifact, selectInputArtifact } from "../../../shared/artifacts/index.js";
import { RuleError } from "../../../shared/errors.js";
import { type CodePipelineJob, parseJobEvent } from "../../../shared/job.js";
import { rangedGetObject } from "../../support/s3-mock.js";

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: "us-east-1" });

/** Serves GetObject like S3 does, ranges included, from an in-memory object. */
const serve = (object: Buffer) => {
  const requested: string[] = [];
  s3Mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    requested.push(input.Range ?? "");
    return rangedGetObject(object, input);
  });
  return requested;
};

const jobWith = (artifacts = [{ name: "BuildArtifact", bucket: "bucket", key: "pipe/BuildArtif/abc" }]) => {
  const parsed = parseJobEvent(jobEvent({ artifacts }));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.job;
};

const ruleError = async (promise: Promise<unknown>): Promise<RuleError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error("expected a RuleError");
};

const open = (job: CodePipelineJob = jobWith(), maxEntryBytes?: number) =>
  openInputArtifact(job, { s3, maxEntryBytes });

beforeEach(() => s3Mock.reset());

describe("selectInputArtifact", () => {
  const job = jobWith([
    { name: "SourceArtifact", bucket: "b", key: "k1" },
    { name: "BuildArtifact", bucket: "b", key: "k2" },
  ]);
  it("picks by name, or the first", () => {
    expect(selectInputArtifact(job, "BuildArtifact").key).toBe("k2");
    expect(selectInputArtifact(job).name).toBe("SourceArtifact");
  });
  it("names the artifacts there are when the name is unknown", () => {
    expect(() => selectInputArtifact(job, "Nope")).toThrow(
      'No input artifact named "Nope"; the rule\'s input artifacts are "SourceArtifact", "BuildArtifact".',
    );
  });
  it("says to add input artifacts when there are none", () => {
    expect(() => selectInputArtifact(jobWith([]))).toThrow(/has no input artifacts/);
  });
});

describe("openInputArtifact", () => {
  it("lists files and reads one", async () => {
    serve(await zipBuffer({ "imageDetail.json": '{"ImageURI":"x"}', "reports/": "", "reports/a.txt": "A" }));
    const artifact = await open();
    expect(artifact.files).toEqual(
      ["imageDetail.json", "reports/", "reports/a.txt"].filter((f) => !f.endsWith("/")),
    );
    expect(await artifact.readText("imageDetail.json")).toBe('{"ImageURI":"x"}');
    expect(artifact.location).toBe("s3://bucket/pipe/BuildArtif/abc");
  });

  it("finds a name whichever Unicode normalisation it was written or asked in", async () => {
    const composed = "café/résumé.txt";
    serve(await zipBuffer({ [composed.normalize("NFD")]: "decomposed, as macOS writes it" }));
    const artifact = await open();
    expect(artifact.files).toEqual([composed]);
    expect(artifact.has(composed)).toBe(true);
    expect(artifact.has(composed.normalize("NFD"))).toBe(true);
    expect(await artifact.readText(composed)).toBe("decomposed, as macOS writes it");
  });

  it("reads a small file from a large archive with ranged GETs only", async () => {
    const filler = Buffer.alloc(20 * 1024 * 1024, 7);
    const zip = await zipBuffer({ "big.bin": filler, "small.txt": "hello" }, { compress: false });
    const requested = serve(zip);
    const artifact = await open();
    expect(await artifact.readText("small.txt")).toBe("hello");
    expect(requested.every((r) => r.startsWith("bytes="))).toBe(true);
    expect(artifact.stats.bytesFetched).toBeLessThan(512 * 1024);
  });

  it("names the closest files when one is missing", async () => {
    serve(
      await zipBuffer({
        "reports/coverage-summary.json": "{}",
        "reports/junit.xml": "<x/>",
        "README.md": "",
      }),
    );
    const artifact = await open();
    const error = await ruleError(artifact.read("reports/coverage.json"));
    expect(error.type).toBe("JobFailed");
    expect(error.message).toBe(
      'File "reports/coverage.json" not found in the input artifact "BuildArtifact" (s3://bucket/pipe/BuildArtif/abc), ' +
        'which holds 3 files. Closest: "reports/coverage-summary.json", "reports/junit.xml", "README.md".',
    );
  });

  it("refuses an entry whose header says it is over the cap, before inflating", async () => {
    serve(await zipBuffer({ "big.txt": Buffer.alloc(2 * 1024 * 1024, 0x61) }));
    const error = await ruleError((await open(jobWith(), 1024 * 1024)).read("big.txt"));
    expect(error.message).toBe(
      'File "big.txt" in the input artifact "BuildArtifact" (s3://bucket/pipe/BuildArtif/abc) is 2.0 MB uncompressed, over the 1.0 MB cap on one file.',
    );
  });

  it("stops inflating an entry whose header lies about its size", async () => {
    // Build a zip whose central directory claims 10 bytes for an entry that inflates to 4 MB.
    const zip = await zipBuffer({ "bomb.txt": Buffer.alloc(4 * 1024 * 1024, 0x62) });
    const patched = Buffer.from(zip);
    const cd = patched.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    patched.writeUInt32LE(10, cd + 24);
    serve(patched);
    const error = await ruleError((await open()).read("bomb.txt"));
    expect(error.message).toMatch(
      /^File "bomb.txt" in the input artifact .* is corrupt: it inflates past its declared size of 10 bytes \(a damaged or hostile archive\); reading stopped there\.$/,
    );
  });

  it("detects a corrupt entry by its CRC-32", async () => {
    const zip = await zipBuffer({ "a.txt": "hello world" }, { compress: false });
    const patched = Buffer.from(zip);
    const at = patched.indexOf("hello world");
    patched.write("HELLO", at);
    serve(patched);
    const error = await ruleError((await open()).read("a.txt"));
    expect(error.message).toMatch(/is corrupt: its CRC-32 does not match/);
  });

  it("reports deflate data that does not inflate as corrupt", async () => {
    const zip = await zipBuffer({ "a.txt": "hello world hello world hello world" });
    const patched = Buffer.from(zip);
    const deflated = deflateRawSync(Buffer.from("hello world hello world hello world"));
    const at = patched.indexOf(deflated);
    patched.fill(0xff, at, at + deflated.length);
    serve(patched);
    const error = await ruleError((await open()).read("a.txt"));
    expect(error.message).toMatch(/^File "a.txt" .* is corrupt: /);
  });

  it("says an object that is not a zip is not a zip", async () => {
    serve(Buffer.from("this is plain text, not a zip archive"));
    const error = await ruleError(open());
    expect(error.type).toBe("JobFailed");
    expect(error.message).toMatch(
      /^The input artifact "BuildArtifact" .* is not a readable zip archive \(37 bytes\): End of central directory record signature not found/,
    );
  });

  it("says a truncated zip is truncated or corrupt", async () => {
    const zip = await zipBuffer(
      { "a.txt": "a".repeat(1000), "b.txt": "b".repeat(1000) },
      { compress: false },
    );
    // Keep the end records but lose the start: the central directory points into missing bytes.
    serve(Buffer.concat([zip.subarray(0, 200), zip.subarray(zip.length - 150)]));
    const error = await ruleError(open().then((a) => a.read("a.txt")));
    expect(error.type).toBe("JobFailed");
    expect(error.message).toMatch(/truncated or corrupt|not a readable zip archive|is corrupt/);
  });

  it("says an empty object is empty", async () => {
    serve(Buffer.alloc(0));
    const error = await ruleError(open());
    expect(error.message).toMatch(/is empty \(0 bytes\), not a zip archive/);
  });

  it.each([
    ["NoSuchKey", 404, "JobFailed", /does not exist \(NoSuchKey\)/],
    [
      "AccessDenied",
      403,
      "PermissionError",
      /^Access denied reading the input artifact "BuildArtifact" \(s3:\/\/bucket\/pipe\/BuildArtif\/abc\) with the job's artifact credentials/,
    ],
  ])("maps S3 %s to %s naming the bucket and key", async (name, status, type, message) => {
    s3Mock.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name,
        $fault: "client",
        $metadata: { httpStatusCode: status },
        message: name,
      }),
    );
    const error = await ruleError(open());
    expect(error.type).toBe(type);
    expect(error.message).toMatch(message);
  });

  it("never lists or reads entries whose names climb out of the archive", async () => {
    // yazl refuses such names, so write a same-length safe name and patch it in both headers.
    const zip = await zipBuffer({ "aaa/zz/zz/evil.sh": "rm -rf /", "ok.txt": "fine" });
    serve(Buffer.from(zip.toString("latin1").replaceAll("aaa/zz/zz/evil.sh", "aaa/../../evil.sh"), "latin1"));
    const artifact = await open();
    expect(artifact.files).toEqual(["ok.txt"]);
    expect(artifact.unsafeNames).toEqual(["aaa/../../evil.sh"]);
    await expect(artifact.read("aaa/../../evil.sh")).rejects.toThrow(/not found/);
  });
});
