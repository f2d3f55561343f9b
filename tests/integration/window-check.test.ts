import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CodePipelineEndpoint, startCodePipelineEndpoint } from "../../local/codepipeline-endpoint.js";
import { jobEvent } from "../../local/job-event.js";
import { useLocalAws } from "../support/aws.js";
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

const run = async (userParameters: Record<string, unknown>) => {
  const event = jobEvent({ userParameters });
  await invokeBundle("window-check", event);
  const result = onlyResult(aws.codePipeline, event["CodePipeline.job"].id);
  expect(result.signed).toBe(true);
  return result;
};

describe("window-check bundle", () => {
  it("has no ECR or artifact reader in it", () => {
    const bundle = readFileSync("dist/window-check/index.mjs", "utf8");
    // The S3 client (S3Client, and GetObjectCommand in its middleware) is in every bundle now: the
    // shared runtime writes decision records with it. The artifact reader's own text is not.
    for (const marker of ["ECRClient", "not a readable zip archive", "DescribeImageScanFindings", "yauzl"]) {
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

  it("reports bad UserParameters as a ConfigurationError", async () => {
    const result = await run({ timeZone: "Mars/Olympus", deny: [{ days: "FRI-SUN" }] });
    const failure = result.body.failureDetails as { type: string; message: string };
    expect(failure.type).toBe("ConfigurationError");
    expect(failure.message).toContain('timeZone: expected an IANA time zone such as "Europe/Berlin"');
  });
});
