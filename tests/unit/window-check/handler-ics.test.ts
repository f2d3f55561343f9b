import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { GetObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/window-check/index.js";
import { jobEvent } from "../../../local/job-event.js";
import { lambdaContext } from "../../../local/lambda-context.js";
import { captureLogs, expectCleanLogs } from "../../support/logs.js";
import { reportedTo } from "../../support/outcomes.js";

const s3 = mockClient(S3Client);
const codePipeline = mockClient(CodePipelineClient);
const HOLIDAYS = readFileSync("events/window-check/fixtures/holidays.ics", "utf8");
const S3_URL = "s3://team-calendars/holidays.ics";

const run = async (userParameters: unknown) => {
  const event = jobEvent({ userParameters: userParameters as Record<string, unknown> });
  await handler(event, lambdaContext("window-check"));
};
const reported = () => reportedTo(codePipeline);
const serve = (text: string) =>
  s3.on(GetObjectCommand, { Bucket: "team-calendars", Key: "holidays.ics" }).resolves({
    ContentLength: Buffer.byteLength(text),
    Body: sdkStreamMixin(Readable.from([Buffer.from(text)])),
  });
const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status }, message: name });

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-25T09:00:00Z"));
  s3.reset();
  codePipeline.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
  logs = captureLogs();
});
afterEach(() => {
  vi.useRealTimers();
  expectCleanLogs(logs);
});

describe("window-check with an iCalendar file in S3", () => {
  it("reads the object with the function's role and blocks on the event", async () => {
    serve(HOLIDAYS);
    await run({ timeZone: "Europe/Berlin", deny: [{ ics: S3_URL }] });
    expect(reported()).toMatchObject({
      type: "JobFailed",
      message:
        'Blocked by deny "Christmas Day" (holidays.ics) at Fri 2026-12-25 10:00 (Europe/Berlin, +01:00). Opens Sat 2026-12-26 00:00 (+01:00).',
    });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it("reads no S3 object when no calendar file is configured", async () => {
    await run({ deny: [{ days: "SAT-SUN" }] });
    expect(s3.calls()).toHaveLength(0);
  });

  it("access denied is a PermissionError naming s3:GetObject and the object", async () => {
    s3.on(GetObjectCommand).rejects(s3Error("AccessDenied", 403));
    await run({ deny: [{ ics: S3_URL }] });
    expect(reported()).toMatchObject({
      type: "PermissionError",
      message:
        "Access denied reading the iCalendar file s3://team-calendars/holidays.ics with the function's role: AccessDenied. The role needs s3:GetObject on arn:aws:s3:::team-calendars/holidays.ics (template parameter HolidayCalendarObjects).",
    });
  });

  it("a missing object is a JobFailed naming it", async () => {
    s3.on(GetObjectCommand).rejects(s3Error("NoSuchKey", 404));
    await run({ deny: [{ ics: S3_URL }] });
    expect(reported()).toMatchObject({
      type: "JobFailed",
      message: "The iCalendar file s3://team-calendars/holidays.ics does not exist (NoSuchKey).",
    });
  });

  it("a file that does not parse fails the rule naming the file and the line", async () => {
    serve(HOLIDAYS.replace("RRULE:FREQ=MONTHLY;BYDAY=-1FR", "RRULE:FREQ=MONTHLY;BYDAY=-1XX"));
    await run({ deny: [{ ics: S3_URL }] });
    expect(reported()).toMatchObject({
      type: "JobFailed",
      message:
        'iCalendar file s3://team-calendars/holidays.ics does not parse, line 34: invalid BYDAY value "-1XX".',
    });
  });

  it("an object too large to be a hand-kept calendar is refused before reading it", async () => {
    s3.on(GetObjectCommand).resolves({
      ContentLength: 6 * 1024 * 1024,
      Body: sdkStreamMixin(Readable.from([Buffer.from("")])),
    });
    await run({ deny: [{ ics: S3_URL }] });
    expect(reported()).toMatchObject({
      type: "JobFailed",
      message:
        "The iCalendar file s3://team-calendars/holidays.ics is 6291456 bytes; at most 5242880 are read.",
    });
  });
});
