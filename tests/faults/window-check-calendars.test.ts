import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jobEvent } from "../../local/job-event.js";
import { zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { type Expected, expectOutcome } from "../support/fault-matrix.js";

/**
 * Fault matrix, window-check iCalendar files: calendars that are huge, deep, endlessly repeating,
 * or carry enormous names. Every run must come back in time with one outcome within CodePipeline's
 * limits (message 5000, summary 2048 characters). The bundle reads the real clock: events are
 * placed around today.
 */
const aws = useLocalAws();
let bucket: string;
let keyCounter = 0;

beforeAll(async () => {
  bucket = await createBucket(aws.s3, "faults-calendars");
});
beforeEach(() => aws.codePipeline.reset());

const compact = (d: Date) => d.toISOString().slice(0, 10).replaceAll("-", "");
const today = new Date();
const dayFromNow = (days: number) => new Date(today.getTime() + days * 86_400_000);

const calendar = (...lines: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", ...lines, "END:VCALENDAR"].join("\r\n");

/** Runs window-check with `text` as an S3 calendar file and checks the outcome. */
const run = async (text: string, expected: { type: Expected; says: Array<string | RegExp> }) => {
  const key = `calendar-${keyCounter++}.ics`;
  await putObject(aws.s3, bucket, key, text);
  const result = await expectOutcome(
    aws.codePipeline,
    "window-check",
    jobEvent({ userParameters: { deny: [{ ics: `s3://${bucket}/${key}` }] } }),
    expected,
  );
  expect(result.text.length).toBeLessThanOrEqual(expected.type === "success" ? 2048 : 5000);
  return result;
};

describe("fault matrix: hostile iCalendar files", () => {
  it("40,000 events (4 MB) are expanded in time", async () => {
    const events = Array.from({ length: 40_000 }, (_, i) =>
      [
        "BEGIN:VEVENT",
        `UID:${i}@example.com`,
        `SUMMARY:Freeze ${i % 100}`,
        `DTSTART;VALUE=DATE:${compact(dayFromNow(2 + (i % 300)))}`,
        `DESCRIPTION:${"d".repeat(20)}`,
        "END:VEVENT",
      ].join("\r\n"),
    );
    const text = calendar(...events);
    expect(text.length).toBeGreaterThan(4_000_000);
    await run(text, { type: "success", says: [/\(300 events in the next year\)/] });
  });

  it("a file over 5 MB is refused before it is read", async () => {
    await run(calendar(`X-PAD:${"p".repeat(5 * 1024 * 1024)}`), {
      type: "JobFailed",
      says: [/^The iCalendar file s3:\/\/.* is \d+ bytes; at most 5242880 are read\.$/],
    });
  });

  it("an event name of 20,000 characters is cut in the message, not sent whole", async () => {
    const name = "N".repeat(20_000);
    const start = compact(dayFromNow(-1));
    const end = compact(dayFromNow(2));
    await run(
      calendar(
        "BEGIN:VEVENT",
        "UID:a",
        `SUMMARY:${name}`,
        `DTSTART;VALUE=DATE:${start}`,
        `DTEND;VALUE=DATE:${end}`,
        "END:VEVENT",
      ),
      { type: "JobFailed", says: [/^Blocked by deny "N+/] },
    );
  });

  it("20,000 nested components are read without running out of stack", async () => {
    const depth = 20_000;
    await run(calendar(...Array(depth).fill("BEGIN:X-BOX"), ...Array(depth).fill("END:X-BOX")), {
      type: "success",
      says: ["no events in the next year"],
    });
  });

  it("a series that repeats every minute since 2000 fails naming its line instead of running for minutes", async () => {
    await run(
      calendar(
        "BEGIN:VEVENT",
        "UID:a",
        "SUMMARY:Tick",
        "DTSTART:20000101T000000Z",
        "RRULE:FREQ=MINUTELY",
        "END:VEVENT",
      ),
      {
        type: "JobFailed",
        says: [
          /does not parse, line 3: the event repeats more than 50000 times before the end of the search/,
        ],
      },
    );
  });

  it("a calendar file in a zip that is not text fails naming the line, in time", async () => {
    const key = `pipe/Calendars/${keyCounter++}`;
    const binary = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256));
    await putObject(aws.s3, bucket, key, await zipBuffer({ "holidays.ics": binary }));
    await expectOutcome(
      aws.codePipeline,
      "window-check",
      jobEvent({
        userParameters: { deny: [{ icsFile: "holidays.ics" }] },
        artifacts: [{ name: "Calendars", bucket, key }],
      }),
      {
        type: "JobFailed",
        says: [
          /^iCalendar file holidays\.ics in the input artifact does not parse, line 1: expected BEGIN:VCALENDAR/,
        ],
      },
    );
  });
});
