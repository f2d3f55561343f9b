import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ecrClientFor,
  injectScanResults,
  type SeededImage,
  scanResult,
  seedImage,
  uniqueRepositoryName,
} from "../../local/ecr-fixtures.js";
import { jobEvent, MARKER_CREDENTIALS } from "../../local/job-event.js";
import { zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { type AwsStub, s3Error, s3Get, startAwsStub } from "../support/aws-stub.js";
import { invokeBundleInChild } from "../support/bundle-process.js";
import { type Expected, expectOutcome, recordedOutcome } from "../support/fault-matrix.js";
import { rawZip, withDataByte, withDeclaredSize } from "../support/zips.js";

/**
 * Fault matrix, artifacts: what the input artifact in S3 may be. Both functions that read an
 * artifact (artifact-check and, for the image file, ecr-findings-check) run on each row. S3 goes
 * through a stub in front of moto that can deny access or fail (tests/support/aws-stub.ts).
 */
const aws = useLocalAws();
let stub: AwsStub;
let bucket: string;
/** Buckets whose GETs the stub answers: 403 for all, 403 after the zip's tail, 500 for all. */
const special = { denied: "", deniedEntries: "", failing: "" };
let image: SeededImage;
const GiB = 1024 ** 3;
const MB = 1024 * 1024;
let bomb: Buffer;
let keyCounter = 0;

beforeAll(async () => {
  stub = await startAwsStub(aws.moto);
  process.env.AWS_ENDPOINT_URL_S3 = stub.endpoint;
  bucket = await createBucket(aws.s3, "faults-artifacts");
  special.denied = await createBucket(aws.s3, "faults-denied");
  special.deniedEntries = await createBucket(aws.s3, "faults-denied-entries");
  special.failing = await createBucket(aws.s3, "faults-failing");
  stub.fault({ when: s3Get(special.denied), answer: s3Error("AccessDenied", "Access Denied", 403) });
  stub.fault({
    when: s3Get(special.deniedEntries, { entriesOnly: true }),
    answer: s3Error("AccessDenied", "Access Denied", 403),
  });
  stub.fault({
    when: s3Get(special.failing),
    answer: s3Error("InternalError", "We encountered an internal error. Please try again.", 500),
  });
  image = await seedImage(ecrClientFor(aws.moto), { repository: uniqueRepositoryName("faults-art") });
  await injectScanResults(aws.moto, [scanResult(image, { findings: [] })]);
  // One entry of 1 GiB of zeros, deflated to about 1 MB (built once: it takes seconds).
  const chunk = Buffer.alloc(MB);
  let sent = 0;
  const zeros = new Readable({
    read() {
      sent += chunk.length;
      this.push(sent > GiB ? null : chunk);
    },
  });
  bomb = await zipBuffer({ "bomb.json": { stream: zeros, size: GiB } });
}, 60_000);
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_S3;
  await stub?.stop();
});
beforeEach(() => aws.codePipeline.reset());

/** What each function is asked to read `file` for. */
type Reader = "artifact-check" | "ecr-findings-check";
const READERS: Reader[] = ["artifact-check", "ecr-findings-check"];
const paramsFor = (fn: Reader, file: string): Record<string, unknown> =>
  fn === "artifact-check" ? { checks: [{ file, expect: "ImageURI" }] } : { imageFile: file };

const imageDetail = () => JSON.stringify({ ImageURI: image.digestUri, ImageTags: ["v1"] });

/** Uploads the object (unless it is undefined: a missing object) and returns a job for it. */
const artifactJob = async (fn: Reader, object: Buffer | undefined, file: string, where = bucket) => {
  const key = `pipe/BuildArtif/${keyCounter++}`;
  if (object) await putObject(aws.s3, where, key, object);
  return {
    location: `s3://${where}/${key}`,
    event: jobEvent({
      userParameters: paramsFor(fn, file),
      artifacts: [{ name: "BuildArtifact", bucket: where, key }],
    }),
  };
};

interface Row {
  name: string;
  object: () => Buffer | Promise<Buffer> | undefined;
  file?: string;
  bucket?: keyof typeof special | "none";
  type: Expected | ((fn: Reader) => Expected);
  says: (location: string, fn: Reader) => Array<string | RegExp>;
}

const label = (location: string) => `input artifact "BuildArtifact" (${location})`;
/** How each function words a file's problem: artifact-check lists it under the failing check. */
const fileProblem = (fn: Reader, file: string) => (fn === "artifact-check" ? `✗ ImageURI (${file}): ` : "");

const good = () => zipBuffer({ "imageDetail.json": imageDetail() });

const ROWS: Row[] = [
  {
    name: "missing object",
    object: () => undefined,
    type: "JobFailed",
    says: (l) => [`The ${label(l)} does not exist (NoSuchKey).`],
  },
  {
    name: "missing bucket",
    object: () => undefined,
    bucket: "none",
    type: "JobFailed",
    says: (l) => [`The ${label(l)} does not exist (NoSuchBucket).`],
  },
  {
    name: "access denied",
    object: good,
    bucket: "denied",
    type: "PermissionError",
    says: (l) => [
      `Access denied reading the ${label(l)} with the job's artifact credentials: AccessDenied: Access Denied`,
    ],
  },
  {
    name: "access denied after the central directory was read",
    // The entry lies before the last 128 KB (the tail read first), so reading it is a second GET.
    object: () =>
      Promise.resolve(
        rawZip([
          { name: "imageDetail.json", data: imageDetail() },
          { name: "layer.bin", data: randomBytes(300_000) },
        ]),
      ),
    bucket: "deniedEntries",
    type: "PermissionError",
    says: () => [
      /^Access denied while reading imageDetail\.json from (BuildArtifact|the input artifact): AccessDenied: Access Denied$/,
    ],
  },
  {
    name: "access denied while reading a central directory larger than the first read",
    object: () =>
      Promise.resolve(
        rawZip(
          Array.from({ length: 5_000 }, (_, i) => ({
            name: `reports/a-rather-long-directory-name/part-${i}.json`,
            data: "{}",
          })),
        ),
      ),
    bucket: "deniedEntries",
    type: "PermissionError",
    says: (l) => [
      `Access denied reading the ${label(l)} with the job's artifact credentials: AccessDenied: Access Denied`,
    ],
  },
  {
    name: "S3 failing with 500s",
    object: good,
    bucket: "failing",
    type: "SystemUnavailable",
    says: () => [
      /^AWS did not answer while opening (the input artifact|input artifact \(the first\)), after retries: InternalError: We encountered an internal error\. Please try again\. Retry the stage\.$/,
    ],
  },
  {
    name: "empty object",
    object: () => Buffer.alloc(0),
    type: "JobFailed",
    says: (l) => [`The ${label(l)} is empty (0 bytes), not a zip archive.`],
  },
  {
    name: "not a zip",
    object: () => Buffer.from("<html>This is not the artifact you are looking for</html>"),
    type: "JobFailed",
    says: (l) => [
      `The ${label(l)} is not a readable zip archive (57 bytes): End of central directory record signature not found. Either not a zip file, or file is truncated. Check that the stage's input artifact is the one the build produced.`,
    ],
  },
  {
    name: "truncated zip (the end cut off)",
    object: async () => (await good()).subarray(0, 60),
    type: "JobFailed",
    says: (l) => [`The ${label(l)} is not a readable zip archive (60 bytes)`],
  },
  {
    name: "corrupt entry (stored, a byte changed)",
    object: () => withDataByte(rawZip([{ name: "imageDetail.json", data: imageDetail() }]), 0x5b),
    type: "JobFailed",
    says: (l, fn) => [
      `${fileProblem(fn, "imageDetail.json")}File "imageDetail.json" in the ${label(l)} is corrupt: its CRC-32 does not match the archive's.`,
    ],
  },
  {
    name: "corrupt entry (deflated, an invalid block)",
    object: () =>
      withDataByte(rawZip([{ name: "imageDetail.json", data: imageDetail(), deflate: true }]), 0xff),
    type: "JobFailed",
    says: (l, fn) => [
      `${fileProblem(fn, "imageDetail.json")}File "imageDetail.json" in the ${label(l)} is corrupt: invalid block type.`,
    ],
  },
  {
    name: "file that is not valid JSON",
    object: () => zipBuffer({ "imageDetail.json": '{"ImageURI": "x",\n  "ImageTags": [v1]\n}' }),
    type: "JobFailed",
    says: (_, fn) =>
      fn === "artifact-check"
        ? [
            '✗ ImageURI (imageDetail.json): not valid JSON at line 2, column 17: unexpected "v"; the line reads: "ImageTags": [v1]',
          ]
        : [/^imageDetail\.json in input artifact "BuildArtifact" is not valid JSON: Unexpected token/],
  },
];

const CASES = ROWS.flatMap((row) => READERS.map((fn) => ({ ...row, fn })));

describe("fault matrix: artifacts", () => {
  it.each(CASES)("$fn: $name", async ({ fn, object, file, bucket: where, type, says }) => {
    const target = where === "none" ? `no-such-bucket-${randomUUID()}` : where ? special[where] : bucket;
    const { event, location } = await artifactJob(fn, await object(), file ?? "imageDetail.json", target);
    const expected = typeof type === "function" ? type(fn) : type;
    await expectOutcome(aws.codePipeline, fn, event, { type: expected, says: says(location, fn) });
  });

  it.each([
    [
      "reports/coverage.yaml",
      "total: [1, 2\nother: 3\n",
      "✗ total (reports/coverage.yaml): not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1",
    ],
    [
      "reports/coverage.yaml",
      `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from(
        { length: 12 },
        (_, i) =>
          `l${i + 1}: &l${i + 1} [${Array(10)
            .fill(`*${i === 0 ? "a" : `l${i}`}`)
            .join(",")}]`,
      ).join("\n")}\ntotal: *l12\n`,
      "✗ total (reports/coverage.yaml): not usable YAML: Excessive alias count indicates a resource exhaustion attack",
    ],
    [
      "reports/junit.xml",
      "<testsuite><testcase name='a'></testsuite>",
      "✗ total (reports/junit.xml): not well-formed XML at line 1, column 31: Expected closing tag 'testcase' (opened in line 1, col 12) instead of closing tag 'testsuite'.",
    ],
    [
      "reports/junit.xml",
      "<html><body/></html>",
      "✗ total (reports/junit.xml): not a test or coverage report: the root element is <html>; expected <testsuites> or <testsuite> (JUnit), <test-run> or <test-results> (NUnit), <TestRun> (TRX), <coverage> (Cobertura), <report> (JaCoCo)",
    ],
    [
      "reports/junit.xml",
      '<testsuites>\n  <testsuite name="api">\n    <testcase name="a"><failure message="bo',
      "✗ total (reports/junit.xml): not well-formed XML: the file ends at line 3, column 43 in the middle of a tag or text inside <testcase> (in <testsuites> › <testsuite>), before it is closed; it looks truncated",
    ],
  ])("artifact-check: %s that does not parse (%#)", async (file, content, says) => {
    const key = `pipe/BuildArtif/${keyCounter++}`;
    await putObject(aws.s3, bucket, key, await zipBuffer({ [file]: content }));
    const event = jobEvent({
      userParameters: { checks: [{ file, expect: "total" }] },
      artifacts: [{ name: "BuildArtifact", bucket, key }],
    });
    await expectOutcome(aws.codePipeline, "artifact-check", event, {
      type: "JobFailed",
      says: ['1 of 1 artifact check failed on input artifact "BuildArtifact":\n', ...[says].flat()],
    });
  });

  describe("entry names that climb out of the archive", () => {
    const token = randomUUID();
    const names = [`../../evil-${token}.json`, `/tmp/evil-${token}.json`, `a/../../../evil-${token}.json`];
    const zip = () =>
      rawZip([
        ...names.map((name) => ({ name, data: imageDetail() })),
        { name: "../imageDetail.json", data: imageDetail() },
        { name: "notes.txt", data: "ok" },
      ]);
    const written = () =>
      [process.cwd(), tmpdir(), resolve("dist", "artifact-check"), "/"].flatMap((base) =>
        [".", "..", "../..", "../../.."].map((up) => resolve(base, up, `evil-${token}.json`)),
      );

    it.each([
      ["artifact-check", { checks: [{ file: "**/*.json", expect: "ImageURI" }] }],
      ["ecr-findings-check", {}],
    ] as const)("%s: are never read, matched or written", async (fn, userParameters) => {
      const key = `pipe/BuildArtif/${keyCounter++}`;
      await putObject(aws.s3, bucket, key, zip());
      const event = jobEvent({ userParameters, artifacts: [{ name: "BuildArtifact", bucket, key }] });
      const run = await expectOutcome(aws.codePipeline, fn, event, {
        type: fn === "artifact-check" ? "JobFailed" : "ConfigurationError",
        says:
          fn === "artifact-check"
            ? [
                `✗ ImageURI: No file matches the pattern "**/*.json" in the input artifact "BuildArtifact" (s3://${bucket}/${key}), which holds 1 file. Closest: "notes.txt".`,
              ]
            : [`has neither imageDetail.json nor imagedefinitions.json at its root. It holds notes.txt.`],
      });
      expect(run.text).not.toContain("evil");
      for (const path of written()) expect(existsSync(path), path).toBe(false);
    });

    it("artifact-check: a check that names one is a configuration error", async () => {
      const event = jobEvent({
        userParameters: { checks: [{ file: names[0], expect: "ImageURI" }] },
        artifacts: [{ name: "BuildArtifact", bucket, key: "unused" }],
      });
      await expectOutcome(aws.codePipeline, "artifact-check", event, {
        type: "ConfigurationError",
        says: [
          `checks[0].file: expected a path inside the artifact's zip, like "reports/junit.xml"; got "${names[0]}"`,
        ],
      });
    });
  });

  it.each(READERS)("%s: a symbolic link entry is read as its stored text, never followed", async (fn) => {
    const zip = rawZip([{ name: "imageDetail.json", data: "/etc/passwd", mode: 0o120777 }]);
    const { event } = await artifactJob(fn, zip, "imageDetail.json");
    const run = await expectOutcome(aws.codePipeline, fn, event, {
      type: "JobFailed",
      says: [
        fn === "artifact-check"
          ? "not valid JSON"
          : 'imageDetail.json in input artifact "BuildArtifact" is not valid JSON',
      ],
    });
    expect(run.text).not.toMatch(/root:/);
  });

  describe("100,000 tiny entries (zip64)", () => {
    let key: string;
    beforeAll(async () => {
      key = `pipe/BuildArtif/many-${keyCounter++}`;
      const entries = Array.from({ length: 100_000 }, (_, i) => ({
        name: `reports/part-${String(i).padStart(6, "0")}.json`,
        data: `{"part": ${i}, "ok": true}`,
      }));
      entries.splice(54_321, 0, { name: "imageDetail.json", data: imageDetail() });
      await putObject(aws.s3, bucket, key, rawZip(entries));
    });
    const many = (userParameters: Record<string, unknown>) =>
      jobEvent({ userParameters, artifacts: [{ name: "BuildArtifact", bucket, key }] });

    it("artifact-check: lists them, reads one, refuses a glob over all and names the closest to a missing one", async () => {
      await expectOutcome(
        aws.codePipeline,
        "artifact-check",
        many({
          checks: [
            { file: "reports/part-099999.json", expect: "part == `99999` && ok" },
            { file: "reports/*.json", expect: "ok" },
            { file: "reports/part-1.json", expect: "ok" },
          ],
        }),
        {
          type: "JobFailed",
          says: [
            '2 of 3 artifact checks failed on input artifact "BuildArtifact":',
            '✗ ok: the pattern "reports/*.json" matches 100000 files; a check reads at most 100. Narrow the pattern.',
            /✗ ok: File "reports\/part-1\.json" not found in the input artifact "BuildArtifact" \(.*\), which holds 100001 files\. Closest: "reports\/part-/,
            "✓ part == `99999` && ok (reports/part-099999.json)",
          ],
        },
      );
    });

    it("ecr-findings-check: finds imageDetail.json among them and checks the image", async () => {
      await expectOutcome(aws.codePipeline, "ecr-findings-check", many({}), {
        type: "success",
        says: [
          `Passed: ${image.repository}@${image.digest.slice(0, 19)}…`,
          'from imageDetail.json in input artifact "BuildArtifact"',
        ],
      });
    });
  });

  describe("zip bomb: an entry inflating to 1 GiB, run in its own process to measure its memory", () => {
    const PEAK_RSS_LIMIT = 300 * MB;
    it.each([
      [
        "artifact-check",
        "honest header (1 GiB declared)",
        () => bomb,
        /is 1024\.0 MB uncompressed, over the 50\.0 MB cap on one file\.$/,
      ],
      [
        "ecr-findings-check",
        "honest header (1 GiB declared)",
        () => bomb,
        /is 1024\.0 MB uncompressed, over the 50\.0 MB cap on one file\.$/,
      ],
      [
        "artifact-check",
        "lying header (50 MB declared)",
        () => withDeclaredSize(bomb, 50 * MB),
        /is corrupt: it inflates past its declared size of 52428800 bytes \(a damaged or hostile archive\); reading stopped there\.$/,
      ],
      [
        "ecr-findings-check",
        "lying header (50 MB declared)",
        () => withDeclaredSize(bomb, 50 * MB),
        /is corrupt: it inflates past its declared size of 52428800 bytes \(a damaged or hostile archive\); reading stopped there\.$/,
      ],
    ] as const)(
      "%s: %s stops at the cap or at its declared size, with peak RSS under 300 MB",
      async (fn, _, zip, says) => {
        const key = `pipe/BuildArtif/bomb-${keyCounter++}`;
        await putObject(aws.s3, bucket, key, zip());
        const event = jobEvent({
          userParameters: paramsFor(fn, "bomb.json"),
          artifacts: [{ name: "BuildArtifact", bucket, key }],
        });
        const run = await invokeBundleInChild(fn, event, { timeoutMs: 30_000 });
        expect(run.error).toBeUndefined();
        expect(run.result).toMatchObject({ reported: "reported" });
        expect(run.remainingMs).toBeGreaterThan(0);
        expect(run.peakRssBytes).toBeGreaterThan(0);
        expect(run.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT);
        for (const line of run.logs) {
          expect(() => JSON.parse(line), line).not.toThrow();
          for (const secret of Object.values(MARKER_CREDENTIALS)) expect(line).not.toContain(secret);
        }
        const outcome = recordedOutcome(aws.codePipeline, event["CodePipeline.job"].id);
        expect(outcome.type).toBe("JobFailed");
        expect(outcome.text).toContain(
          `File "bomb.json" in the input artifact "BuildArtifact" (s3://${bucket}/${key})`,
        );
        expect(outcome.text).toMatch(says);
      },
    );
  });
});
