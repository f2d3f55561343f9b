import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  basicFinding,
  ecrClientFor,
  injectScanResults,
  scanResult,
  seedImage,
  uniqueRepositoryName,
} from "../../local/ecr-fixtures.js";
import { jobEvent } from "../../local/job-event.js";
import { type ZipFiles, zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { invokeBundleInChild } from "../support/bundle-process.js";
import { type Expected, expectOutcome, type FunctionName, recordedOutcome } from "../support/fault-matrix.js";
import { rawZip } from "../support/zips.js";

/**
 * Fault matrix, hostile input: patterns built to backtrack, enormous strings, odd Unicode in file
 * names and messages. Every outcome must still come back in time, within CodePipeline's limits
 * (message 5000, summary 2048 characters) and as well-formed text.
 */
const aws = useLocalAws();
let bucket: string;
let keyCounter = 0;

beforeAll(async () => {
  bucket = await createBucket(aws.s3, "faults-hostile");
});
beforeEach(() => aws.codePipeline.reset());

const artifactEvent = async (files: ZipFiles | Buffer, userParameters: Record<string, unknown>) => {
  const key = `pipe/BuildArtif/${keyCounter++}`;
  await putObject(aws.s3, bucket, key, Buffer.isBuffer(files) ? files : await zipBuffer(files));
  return jobEvent({ userParameters, artifacts: [{ name: "BuildArtifact", bucket, key }] });
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The limits CodePipeline puts on what a rule reports, and text without lone surrogates. */
const withinLimits = (run: { type: Expected; text: string }) => {
  expect(run.text.length).toBeLessThanOrEqual(run.type === "success" ? 2048 : 5000);
  expect(run.text, "no half of a surrogate pair left alone").not.toMatch(LONE_SURROGATE);
};

const run = async (
  fn: FunctionName,
  event: unknown,
  expected: { type: Expected; says: Array<string | RegExp>; timeoutMs?: number },
) => {
  const result = await expectOutcome(aws.codePipeline, fn, event, expected);
  withinLimits(result);
  return result;
};

describe("fault matrix: hostile input", () => {
  describe("regular expressions built to backtrack catastrophically (RE2: linear time)", () => {
    const text = `${"a".repeat(100_000)}!\n${"x ".repeat(50_000)}!\n`;
    it.each(["^(a+)+$", "(a|aa)+$", "(a*)*b", "^(\\w+\\s?)*$", "(.*a){12}!x", "(x+x+)+y"])(
      "%s",
      async (pattern) => {
        await run(
          "artifact-check",
          await artifactEvent(
            { "build.log": text },
            {
              checks: [
                { file: "build.log", match: pattern },
                { file: "build.log", notMatch: pattern },
              ],
            },
          ),
          {
            type: "JobFailed",
            says: [
              `1 of 2 artifact checks failed`,
              `✗ matches /${pattern}/ (build.log): no line matches (the file has 2 lines)`,
              `✓ does not match /${pattern}/ (build.log): no line matches`,
            ],
          },
        );
      },
    );

    it("a pattern RE2 cannot run (back-reference) is a configuration error, not a hang", async () => {
      await run(
        "artifact-check",
        jobEvent({ userParameters: { checks: [{ file: "a.txt", match: "^(a+)\\1$" }] } }),
        {
          type: "ConfigurationError",
          says: [
            "checks[0].match: not a valid regular expression",
            "the syntax is RE2's, which has no look-around or back-references",
          ],
        },
      );
    });

    it("a glob built to backtrack, over a long file name, answers before the deadline", async () => {
      const name = `logs/${"a".repeat(2_000)}.txt`;
      const event = await artifactEvent(rawZip([{ name, data: "ok" }]), {
        checks: [{ file: "**/*a*a*a*a*a*a*a*a*a*a*a*a*b", match: "ok" }],
      });
      // In its own process: code stuck in a regex never lets the deadline guard run, and would stall this worker.
      const child = await invokeBundleInChild("artifact-check", event, { timeoutMs: 10_000 });
      expect(child.error).toBeUndefined();
      expect(child.remainingMs).toBeGreaterThan(0);
      const outcome = recordedOutcome(aws.codePipeline, event["CodePipeline.job"].id);
      expect(outcome).toEqual({
        type: "JobFailed",
        text: expect.stringContaining('No file matches the pattern "**/*a*a*a*a*a*a*a*a*a*a*a*a*b"'),
      });
    });
  });

  describe("enormous strings", () => {
    /** UserParameters of exactly 10,000 characters whose one long value is `fill` repeated. */
    const tenThousand = (make: (value: string) => Record<string, unknown>, fill: string) => {
      const overhead = JSON.stringify(make("")).length;
      return JSON.stringify(make(fill.repeat(Math.floor((10_000 - overhead) / fill.length))));
    };
    it.each([
      {
        fn: "artifact-check" as const,
        userParameters: tenThousand(
          (file) => ({ checks: [{ file: `reports/${file}.json`, expect: "ok" }] }),
          "f",
        ),
        type: "JobFailed" as const,
        says: [/^1 of 1 artifact check failed on input artifact "BuildArtifact":\n✗ ok: File "reports\/f+…/],
      },
      {
        fn: "ecr-findings-check" as const,
        userParameters: tenThousand(
          (repository) => ({ image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repository}:v1` }),
          "a",
        ),
        type: "JobFailed" as const,
        // One 20,000-character line (the name twice): its start is kept.
        says: [/^Repository not found: a+…\n…and 2 more lines \(\d+ characters\) left out$/],
      },
      {
        fn: "window-check" as const,
        userParameters: tenThousand((timeZone) => ({ timeZone, deny: [{ days: "SAT" }] }), "A"),
        type: "ConfigurationError" as const,
        says: [
          /^Invalid UserParameters:\ntimeZone: expected an IANA time zone such as "Europe\/Berlin".*; got "A+…\n…and 1 more line/,
        ],
      },
    ])(
      "$fn: UserParameters of 10,000 characters with one enormous value",
      async ({ fn, userParameters, type, says }) => {
        expect(userParameters.length).toBeGreaterThan(9_990);
        expect(userParameters.length).toBeLessThanOrEqual(10_000);
        const key = `pipe/BuildArtif/${keyCounter++}`;
        await putObject(aws.s3, bucket, key, await zipBuffer({ "ok.json": '{"ok": true}' }));
        await run(fn, jobEvent({ userParameters, artifacts: [{ name: "BuildArtifact", bucket, key }] }), {
          type,
          says,
        });
      },
    );

    it("a 10 MB single-line file: its matching line is shown cut, not whole", async () => {
      const line = `${"x".repeat(10 * 1024 * 1024)} DO NOT SHIP`;
      const result = await run(
        "artifact-check",
        await artifactEvent(
          { "NOTES.md": line },
          { checks: [{ file: "NOTES.md", notMatch: "DO NOT SHIP" }] },
        ),
        { type: "JobFailed", says: ['✗ does not match /DO NOT SHIP/ (NOTES.md): line 1 matches: "…xxxx'] },
      );
      expect(result.text.length).toBeLessThan(5000);
    });

    it("a 5 MB JSON string value compared in an expression", async () => {
      const result = await run(
        "artifact-check",
        await artifactEvent(
          { "release.json": JSON.stringify({ channel: "b".repeat(5 * 1024 * 1024) }) },
          { checks: [{ file: "release.json", expect: "channel == 'stable'" }] },
        ),
        { type: "JobFailed", says: ["✗ channel == 'stable' (release.json): channel is \"bbbb"] },
      );
      expect(result.text.length).toBeLessThan(5000);
    });

    it("a JUnit report with 20,000 failed tests", async () => {
      const cases = Array.from(
        { length: 20_000 },
        (_, i) => `<testcase name="case ${i}"><failure message="boom ${i}"/></testcase>`,
      ).join("");
      await run(
        "artifact-check",
        await artifactEvent(
          { "junit.xml": `<testsuite name="Big">${cases}</testsuite>` },
          { checks: [{ file: "junit.xml", expect: "failures == `0`" }] },
        ),
        {
          type: "JobFailed",
          says: ["failures is 20000, expected == 0", "20000 failed tests:", /…and \d+ more/],
        },
      );
    });

    it("an image with 2,000 findings", async () => {
      const image = await seedImage(ecrClientFor(aws.moto), {
        repository: uniqueRepositoryName("faults-hostile"),
      });
      const findings = Array.from({ length: 2_000 }, (_, i) =>
        basicFinding(`CVE-2024-${String(i).padStart(5, "0")}`, i % 2 ? "CRITICAL" : "HIGH", {
          name: `package-${"p".repeat(100)}-${i}`,
          version: "1.0.0",
          score: 9.1,
        }),
      );
      await injectScanResults(aws.moto, [scanResult(image, { findings })]);
      await run("ecr-findings-check", jobEvent({ userParameters: { image: image.digestUri } }), {
        type: "JobFailed",
        says: ["Critical findings detected", "has 1000 CRITICAL", /…and \d+ more/],
      });
    });
  });

  describe("documents built to expand or reach out", () => {
    const entities = Array.from(
      { length: 8 },
      (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i + 1};`.repeat(10)}">`,
    ).join("\n");
    const billionLaughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol1 "lol">\n${entities}\n]>\n<testsuite name="&lol9;"><testcase name="&lol9;"><failure message="&lol9;"/></testcase></testsuite>`;

    it("XML entities nested a billion times are not expanded", async () => {
      const result = await run(
        "artifact-check",
        await artifactEvent(
          { "junit.xml": billionLaughs },
          { checks: [{ file: "junit.xml", expect: "failures == `0`" }] },
        ),
        { type: "JobFailed", says: ["failures is 1, expected == 0", "&lol9;"] },
      );
      expect(result.text).not.toContain("lollol");
    });

    it("an XML external entity is refused, not fetched", async () => {
      const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><testsuite name="&xxe;"><testcase name="a"/></testsuite>`;
      const result = await run(
        "artifact-check",
        await artifactEvent(
          { "junit.xml": xxe },
          { checks: [{ file: "junit.xml", expect: "failures == `0`" }] },
        ),
        {
          type: "JobFailed",
          says: ["✗ failures == `0` (junit.xml): not readable XML: External entities are not supported"],
        },
      );
      expect(result.text).not.toMatch(/root:/);
    });
  });

  describe("odd Unicode in file names and messages", () => {
    const nfc = "café/résumé.json";
    const nfd = nfc.normalize("NFD");

    it.each([
      ["an emoji and CJK name", { "報告/🚀 launch.json": '{"ok": true}' }, "報告/🚀 launch.json", "success"],
      ["an NFC name asked for in NFC", { [nfc]: '{"ok": true}' }, nfc, "success"],
      ["an NFD name (as macOS writes it) asked for in NFC", { [nfd]: '{"ok": true}' }, nfc, "success"],
      ["an NFC name asked for in NFD", { [nfc]: '{"ok": true}' }, nfd, "success"],
    ] as const)("%s", async (_, files, file, type) => {
      await run("artifact-check", await artifactEvent(files, { checks: [{ file, expect: "ok" }] }), {
        type,
        says: [`(${file.normalize("NFC")})`],
      });
    });

    it("a name that is not UTF-8 (CP437, no UTF-8 flag) is listed as decoded", async () => {
      // 0x82 is "é" in code page 437.
      const zip = rawZip([
        { name: Buffer.from([0x72, 0x82, 0x73, 0x2e, 0x6a, 0x73, 0x6f, 0x6e]), data: '{"ok": true}' },
      ]);
      await run(
        "artifact-check",
        await artifactEvent(zip, { checks: [{ file: "rés.json", expect: "ok" }] }),
        {
          type: "success",
          says: ["(rés.json)"],
        },
      );
    });

    it("emoji cut short in a message leave no half character behind", async () => {
      // JUnit failure messages are cut at 300 characters: here inside an emoji (two UTF-16 units).
      const message = "🚀".repeat(400);
      const report = `<testsuite name="Rockets"><testcase name="launch"><failure message="${message}"/></testcase></testsuite>`;
      await run(
        "artifact-check",
        await artifactEvent(
          { "junit.xml": report },
          { checks: [{ file: "junit.xml", expect: "failures == `0`" }] },
        ),
        {
          type: "JobFailed",
          says: ["Rockets › launch: 🚀🚀🚀", "…"],
        },
      );
    });

    it("control and bidirectional characters in a name are shown escaped, not obeyed", async () => {
      const name = "report\u202Egnp.json";
      await run(
        "artifact-check",
        await artifactEvent({ [name]: '{"ok": false}' }, { checks: [{ file: name, expect: "ok" }] }),
        {
          type: "JobFailed",
          says: ["(report\\u202Egnp.json)"],
        },
      );
    });
  });
});
