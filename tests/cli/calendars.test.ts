import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodePipelineEndpoint, startCodePipelineEndpoint } from "../../local/codepipeline-endpoint.js";
import { runCli } from "./support.js";

/** SSM GetCalendarState from the local stand-in (moto has none), reached through AWS_ENDPOINT_URL_SSM. */
let ssm: CodePipelineEndpoint;
beforeAll(async () => {
  ssm = await startCodePipelineEndpoint({
    calendars: {
      "prod-freeze": { state: "CLOSED", nextTransitionTime: "2026-12-07T08:00:00Z" },
      "year-end": { state: "OPEN", nextTransitionTime: "2026-12-08T17:00:00Z" },
    },
  });
});
afterAll(async () => ssm?.stop());

const env = () => ({
  AWS_ENDPOINT_URL_SSM: ssm.endpoint,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
});

const PARAMS = JSON.stringify({
  timeZone: "UTC",
  allow: [{ days: "MON-FRI", start: "09:00", end: "17:00" }],
  changeCalendars: ["prod-freeze"],
});

describe("window-check with change calendars on the command line", () => {
  it("check: blocked while the calendar is CLOSED, exit 1", async () => {
    const run = await runCli(["check", "window-check", "--params", PARAMS, "--at", "2026-12-04T10:00:00Z"], {
      env: env(),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('by change calendar "prod-freeze" (CLOSED)');
  });

  it("next: lists the openings after the calendar's change, saying they assume it stays open", async () => {
    const run = await runCli(
      ["next", "window-check", "--params", PARAMS, "--at", "2026-12-04T10:00:00Z", "--count", "3"],
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      "Open intervals from Fri 2026-12-04 10:00 (UTC, +00:00):",
      '  Mon 2026-12-07 09:00 (+00:00) to Mon 2026-12-07 17:00 (+00:00) (8 hours; if change calendar "prod-freeze" has not closed again)',
      '  Tue 2026-12-08 09:00 (+00:00) to Tue 2026-12-08 17:00 (+00:00) (8 hours; if change calendar "prod-freeze" has not closed again)',
      '  Wed 2026-12-09 09:00 (+00:00) to Wed 2026-12-09 17:00 (+00:00) (8 hours; if change calendar "prod-freeze" has not closed again)',
    ]);
  });

  it("next: stops where a calendar closes and its state after is not known", async () => {
    const params = JSON.stringify({ changeCalendars: ["year-end"], timeZone: "UTC" });
    const run = await runCli(["next", "window-check", "--params", params, "--at", "2026-12-04T10:00:00Z"], {
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      "Open intervals from Fri 2026-12-04 10:00 (UTC, +00:00):",
      "  Fri 2026-12-04 10:00 (+00:00) to Tue 2026-12-08 17:00 (+00:00) (4 days 7 hours)",
      'Then not known: change calendar "year-end" closes at Tue 2026-12-08 17:00 (+00:00) and GetCalendarState does not say when it opens again.',
    ]);
  });

  it("a calendar that does not exist is a configuration error, exit 2", async () => {
    const params = JSON.stringify({ changeCalendars: ["no-such-calendar"] });
    const run = await runCli(["check", "window-check", "--params", params], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Change calendar "no-such-calendar" not found');
  });
});
