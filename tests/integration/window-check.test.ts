import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CodePipelineEndpoint, startCodePipelineEndpoint } from "../../local/codepipeline-endpoint.js";
import { jobEvent } from "../../local/job-event.js";
import { zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { invokeBundle } from "../support/lambda.js";
import { captureLogs, expectCleanLogs } from "../support/logs.js";
import { onlyResult } from "../support/outcomes.js";

/**
 * The built bundle end to end against the local CodePipeline endpoint. The bundle reads the real
 * clock, so the windows are built around today's date (UTC) and cover a day either side: the
 * outcome cannot depend on when the test runs.
 */
const aws = useLocalAws();
let calendars: CodePipelineEndpoint;

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const day = (offset: number) => {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset));
  return { date: d.toISOString().slice(0, 10), weekday: WEEKDAYS[d.getUTCDay()] };
};

beforeAll(async () => {
  // The same local endpoint also answers SSM GetCalendarState from a table of calendars.
  calendars = await startCodePipelineEndpoint({
    calendars: {
      "prod-freeze": { state: "CLOSED", nextTransitionTime: "2199-01-01T00:00:00Z" },
      "release-days": { state: "OPEN" },
    },
  });
  process.env.AWS_ENDPOINT_URL_SSM = calendars.endpoint;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SSM;
  await calendars?.stop();
});

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  aws.codePipeline.reset();
  logs = captureLogs();
});
afterEach(() => expectCleanLogs(logs));

const run = async (
  userParameters: Record<string, unknown>,
  artifacts: { name: string; bucket: string; key: string }[] = [],
) => {
  const event = jobEvent({ userParameters, artifacts });
  await invokeBundle("window-check", event);
  const result = onlyResult(aws.codePipeline, event["CodePipeline.job"].id);
  expect(result.signed).toBe(true);
  return result;
};

describe("window-check bundle", () => {
  it("has no ECR in it, in any chunk (S3, the artifact reader and the iCalendar parser load only for calendar files)", () => {
    // That those stay out of the cold start is checked in tests/unit/window-check/lazy-calendar.test.ts.
    const dir = "dist/window-check";
    const files = ["index.mjs", ...readdirSync(join(dir, "chunks")).map((f) => join("chunks", f))];
    const bundle = files.map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
    for (const marker of ["ECRClient", "DescribeImageScanFindings"]) {
      expect(bundle.includes(marker), marker).toBe(false);
    }
    expect(bundle).toContain("GetCalendarState");
  });

  it("blocks inside a freeze and says when it opens", async () => {
    const result = await run({ deny: [{ from: day(-1).date, to: day(1).date, reason: "freeze" }] });
    expect(result.operation).toBe("PutJobFailureResult");
    const failure = result.body.failureDetails as { type: string; message: string };
    expect(failure.type).toBe("JobFailed");
    expect(failure.message).toMatch(
      new RegExp(
        `^Blocked by deny "freeze" at \\w{3} \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\(UTC, \\+00:00\\)\\. Opens ${day(2).weekday} ${day(2).date} 00:00 \\(\\+00:00\\)\\.$`,
      ),
    );
  });

  it("passes inside an allow window and says until when", async () => {
    const result = await run({
      timeZone: "UTC",
      allow: [{ from: day(-1).date, to: day(1).date, reason: "release week" }],
    });
    expect(result.operation).toBe("PutJobSuccessResult");
    const summary = (result.body.executionDetails as { summary: string }).summary;
    expect(summary).toMatch(
      new RegExp(
        `until ${day(2).weekday} ${day(2).date} 00:00 \\(\\+00:00\\), when allow "release week" ends\\.\\n`,
      ),
    );
  });

  it("blocks on today's weekday and passes when only other days are denied", async () => {
    const others = WEEKDAYS.filter(
      (d) => d !== day(0).weekday && d !== day(1).weekday && d !== day(-1).weekday,
    );
    const today = [day(-1), day(0), day(1)].map((d) => (d.weekday ?? "").toUpperCase());
    const blocked = await run({ deny: [{ days: today }] });
    expect(blocked.operation).toBe("PutJobFailureResult");
    const open = await run({ deny: [{ days: others.map((d) => d.toUpperCase()) }] });
    expect(open.operation).toBe("PutJobSuccessResult");
  });

  it("reads change calendars through SSM", async () => {
    const result = await run({ changeCalendars: ["release-days", "prod-freeze"] });
    const failure = result.body.failureDetails as { type: string; message: string };
    expect(failure.message).toMatch(
      /^Blocked by change calendar "prod-freeze" \(CLOSED\) at .* It does not open within a year/,
    );
    expect(failure.message).toContain(
      'Change calendar "prod-freeze" is CLOSED until Tue 2199-01-01 00:00 (+00:00).',
    );
    const missing = await run({ changeCalendars: ["no-such-calendar"] });
    expect((missing.body.failureDetails as { type: string }).type).toBe("ConfigurationError");
  });

  it("passes inside a freeze under an audited waiver, and says so in the summary", async () => {
    const minute = (offset: number) =>
      new Date(Math.floor(Date.now() / 60_000) * 60_000 + offset * 60_000).toISOString().slice(0, 16);
    const until = minute(120);
    const result = await run({
      deny: [{ from: day(-1).date, to: day(1).date, reason: "freeze" }],
      waivers: [
        {
          from: minute(-60),
          to: until,
          reason: "hotfix",
          ticket: "CHG-4711",
          approvedBy: "alice@example.com",
        },
      ],
    });
    expect(result.operation).toBe("PutJobSuccessResult");
    const summary = (result.body.executionDetails as { summary: string }).summary;
    const [date, time] = until.split("T");
    expect(summary).toMatch(
      new RegExp(
        `^Passed under waiver CHG-4711 approved by alice@example\\.com until \\w{3} ${date} ${time} \\(\\+00:00\\): hotfix\\n` +
          '.*without the waiver it is blocked by deny "freeze"\\.\\n',
      ),
    );
  });

  it("reports every cron problem and every window that can never match, each in one round", async () => {
    const cron = await run({ allow: ["0 * 9-16 ? * MON-FRY *"], deny: ["* 65/15 10 * * ? *"] });
    expect(cron.body.failureDetails).toMatchObject({
      type: "ConfigurationError",
      message:
        "Invalid UserParameters:\n" +
        'allow[0]: invalid cron "0 * 9-16 ? * MON-FRY *": seconds "0": must be "*" (a window is made of whole minutes)\n' +
        'allow[0]: invalid cron "0 * 9-16 ? * MON-FRY *": day-of-week "MON-FRY": "FRY" is not a value; expected 1-7 or SUN-SAT (1 = SUN); did you mean FRI?\n' +
        'deny[0]: invalid cron "* 65/15 10 * * ? *": minutes "65/15": 65 is out of range 0-59',
    });
    const stale = await run({ deny: [{ from: "2020-01-01", to: "2020-01-02" }, "* * * ? * * 2021"] });
    const failure = stale.body.failureDetails as { type: string; message: string };
    expect(failure.type).toBe("ConfigurationError");
    expect(failure.message).toMatch(
      /^Invalid UserParameters:\ndeny\[0\]: "2020-01-01 to 2020-01-02" ended at Fri 2020-01-03 00:00 \(\+00:00\), before now: .*\ndeny\[1\]: "\* \* \* \? \* \* 2021" matches no minute after /,
    );
  });

  it("reports bad UserParameters as a ConfigurationError", async () => {
    const result = await run({ timeZone: "Mars/Olympus", deny: [{ days: "FRI-SUN" }] });
    const failure = result.body.failureDetails as { type: string; message: string };
    expect(failure.type).toBe("ConfigurationError");
    expect(failure.message).toContain('timeZone: expected an IANA time zone such as "Europe/Berlin"');
  });
});

describe("window-check with iCalendar files", () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await createBucket(aws.s3, "calendars");
  });

  /** A calendar with an all-day freeze from yesterday to tomorrow and a yearly event long past. */
  const calendarText = () =>
    [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//codepipeline-gates//integration//EN",
      "BEGIN:VEVENT",
      "UID:freeze@example.com",
      "SUMMARY:Release freeze",
      `DTSTART;VALUE=DATE:${day(-1).date.replaceAll("-", "")}`,
      `DTEND;VALUE=DATE:${day(2).date.replaceAll("-", "")}`,
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");

  it("reads {ics} from S3 with the function's role and blocks on the event", async () => {
    await putObject(aws.s3, bucket, "holidays/freeze.ics", calendarText());
    const result = await run({ deny: [{ ics: `s3://${bucket}/holidays/freeze.ics` }] });
    const failure = result.body.failureDetails as { type: string; message: string };
    expect(failure.type).toBe("JobFailed");
    expect(failure.message).toMatch(
      new RegExp(
        `^Blocked by deny "Release freeze" \\(freeze\\.ics\\) at .* Opens ${day(2).weekday} ${day(2).date} 00:00 \\(\\+00:00\\)\\.$`,
      ),
    );
  });

  it("a missing S3 object is a JobFailed naming it", async () => {
    const result = await run({ deny: [{ ics: `s3://${bucket}/no-such.ics` }] });
    expect(result.body.failureDetails).toMatchObject({
      type: "JobFailed",
      message: `The iCalendar file s3://${bucket}/no-such.ics does not exist (NoSuchKey).`,
    });
  });

  it("reads {icsFile} from the input artifact zip", async () => {
    const key = "pipe/Calendars/abc.zip";
    await putObject(aws.s3, bucket, key, await zipBuffer({ "calendars/freeze.ics": calendarText() }));
    const artifacts = [{ name: "Calendars", bucket, key }];
    const blocked = await run({ deny: [{ icsFile: "calendars/freeze.ics" }] }, artifacts);
    expect((blocked.body.failureDetails as { message: string }).message).toMatch(
      /^Blocked by deny "Release freeze" \(freeze\.ics\) at /,
    );
    const missing = await run({ deny: [{ icsFile: "calendars/holidays.ics" }] }, artifacts);
    expect(missing.body.failureDetails).toMatchObject({ type: "ConfigurationError" });
    expect((missing.body.failureDetails as { message: string }).message).toMatch(
      /^icsFile: File "calendars\/holidays\.ics" not found in the input artifact "Calendars"/,
    );
  });

  it("a file that does not parse fails the rule naming the file and the line", async () => {
    const key = "pipe/Calendars/broken.zip";
    const broken = calendarText().replace("DTEND;VALUE=DATE:", "DTEND;VALUE=DATE:x");
    await putObject(aws.s3, bucket, key, await zipBuffer({ "freeze.ics": broken }));
    const result = await run({ deny: [{ icsFile: "freeze.ics" }] }, [{ name: "Calendars", bucket, key }]);
    expect(result.body.failureDetails).toMatchObject({
      type: "JobFailed",
      message: expect.stringMatching(
        /^iCalendar file freeze\.ics in the input artifact does not parse, line 8: DTEND "x\d{8}" is not a date YYYYMMDD\.$/,
      ),
    });
  });

  it("a calendar with no events ahead passes and says so", async () => {
    const old = calendarText()
      .replace(/DTSTART;VALUE=DATE:\d+/, "DTSTART;VALUE=DATE:20200101")
      .replace(/DTEND;VALUE=DATE:\d+/, "DTEND;VALUE=DATE:20200102");
    await putObject(aws.s3, bucket, "old.ics", old);
    const result = await run({ deny: [{ ics: `s3://${bucket}/old.ics` }] });
    expect(result.operation).toBe("PutJobSuccessResult");
    expect((result.body.executionDetails as { summary: string }).summary).toMatch(
      /\nChecked iCalendar file old\.ics \(0 events in the next year\) in UTC\.\nold\.ics: no events in the next year\.$/,
    );
  });
});
