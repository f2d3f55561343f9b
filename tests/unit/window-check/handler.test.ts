import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { GetCalendarStateCommand, InvalidDocument, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/window-check/index.js";
import { jobEvent } from "../../../local/job-event.js";
import { lambdaContext } from "../../../local/lambda-context.js";
import { captureLogs, expectCleanLogs } from "../../support/logs.js";
import { reportedTo } from "../../support/outcomes.js";

const ssm = mockClient(SSMClient);
const codePipeline = mockClient(CodePipelineClient);
const NOW = "2026-11-27T10:00:00.000Z"; // a Friday

const run = async (userParameters: unknown) => {
  const event = jobEvent({ userParameters: userParameters as Record<string, unknown> });
  await handler(event, lambdaContext("window-check"));
  return event["CodePipeline.job"].id;
};

const reported = () => reportedTo(codePipeline);

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  // Only Date is faked: the runtime's deadline timer keeps running on real time.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(NOW));
  ssm.reset();
  codePipeline.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
  logs = captureLogs();
});
afterEach(() => {
  vi.useRealTimers();
  expectCleanLogs(logs);
});

describe("window-check handler", () => {
  it("blocks the blog's Friday without asking SSM", async () => {
    const jobId = await run({
      timeZone: "Europe/Berlin",
      deny: [{ days: "FRI-SUN", reason: "no weekend releases" }],
    });
    expect(reported()).toEqual({
      jobId,
      summary: undefined,
      type: "JobFailed",
      message:
        'Blocked by deny "no weekend releases" at Fri 2026-11-27 11:00 (Europe/Berlin, +01:00). Opens Mon 2026-11-30 00:00 (+01:00).',
    });
    expect(ssm.calls()).toHaveLength(0);
  });

  it("asks SSM once per calendar, at the decision time, with the abort signal", async () => {
    ssm.on(GetCalendarStateCommand, { CalendarNames: ["prod-freeze"] }).resolves({
      State: "OPEN",
      AtTime: NOW,
      NextTransitionTime: "2026-12-19T00:00:00Z",
    });
    ssm.on(GetCalendarStateCommand, { CalendarNames: ["holidays"] }).resolves({ State: "OPEN", AtTime: NOW });
    const jobId = await run({ changeCalendars: ["prod-freeze", "holidays"] });
    expect(reported()).toEqual({
      jobId,
      summary:
        'Open at Fri 2026-11-27 10:00 (UTC, +00:00) until Sat 2026-12-19 00:00 (+00:00), when change calendar "prod-freeze" closes.\n' +
        "Checked 2 change calendars (all OPEN) in UTC.",
      type: undefined,
      message: undefined,
    });
    const calls = ssm.commandCalls(GetCalendarStateCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      { CalendarNames: ["prod-freeze"], AtTime: NOW },
      { CalendarNames: ["holidays"], AtTime: NOW },
    ]);
    for (const call of calls) {
      expect((call.args as unknown[])[1]).toMatchObject({ abortSignal: expect.any(AbortSignal) });
    }
  });

  it("names the CLOSED calendar and when it opens", async () => {
    ssm.on(GetCalendarStateCommand, { CalendarNames: ["prod-freeze"] }).resolves({ State: "OPEN" });
    ssm.on(GetCalendarStateCommand, { CalendarNames: ["holidays"] }).resolves({
      State: "CLOSED",
      NextTransitionTime: "2026-11-30T07:00:00Z",
    });
    await run({ timeZone: "Europe/Berlin", changeCalendars: ["prod-freeze", "holidays"] });
    expect(reported()).toMatchObject({
      type: "JobFailed",
      message:
        'Blocked by change calendar "holidays" (CLOSED) at Fri 2026-11-27 11:00 (Europe/Berlin, +01:00). Opens Mon 2026-11-30 08:00 (+01:00).\n' +
        'Change calendar "holidays" is CLOSED until Mon 2026-11-30 08:00 (+01:00).',
    });
  });

  it("a calendar that does not exist is a ConfigurationError", async () => {
    ssm
      .on(GetCalendarStateCommand)
      .rejects(new InvalidDocument({ message: "Document not found", $metadata: { httpStatusCode: 400 } }));
    await run({ changeCalendars: ["no-such-calendar"] });
    expect(reported()).toMatchObject({
      type: "ConfigurationError",
      message:
        'Change calendar "no-such-calendar" not found: InvalidDocument: Document not found. Check the name in changeCalendars and the function\'s region.',
    });
  });

  it("access denied is a PermissionError naming the permission", async () => {
    const denied = Object.assign(new Error("not authorized to perform ssm:GetCalendarState"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    ssm.on(GetCalendarStateCommand).rejects(denied);
    await run({ changeCalendars: ["prod-freeze"] });
    expect(reported()).toMatchObject({ type: "PermissionError" });
    expect(reported().message).toContain("ssm:GetCalendarState");
  });

  it("bad UserParameters are a ConfigurationError naming the bad value", async () => {
    await run({ timeZone: "Europe/Berlin", allow: ["* * 9-16 ? * MON-FRY *"] });
    expect(reported()).toMatchObject({ type: "ConfigurationError" });
    expect(reported().message).toMatch(
      /^Invalid UserParameters:\nallow\[0\]: invalid cron "\* \* 9-16 \? \* MON-FRY \*"/,
    );
    expect(ssm.calls()).toHaveLength(0);
  });
});
