import { describe, expect, it } from "vitest";
import { expectUsageError, runCli } from "./support.js";

const OFFICE_HOURS = JSON.stringify({
  timeZone: "Europe/Berlin",
  allow: [{ days: "MON-FRI", start: "09:00", end: "17:00" }],
  deny: [{ from: "2026-12-24", to: "2026-12-26", reason: "Christmas freeze" }],
  runwayMinutes: 30,
});

describe("codepipeline-gates check window-check", () => {
  it("passes inside the window at --at, exit 0, with the summary the pipeline shows", async () => {
    const run = await runCli([
      "check",
      "window-check",
      "--params",
      OFFICE_HOURS,
      "--at",
      "2026-12-03T10:00:00Z",
    ]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(
      "PASSED window-check\n" +
        'Open at Thu 2026-12-03 11:00 (Europe/Berlin, +01:00) until Thu 2026-12-03 17:00 (+01:00), when allow "MON-FRI 09:00-17:00" ends.\n' +
        "Checked 1 allow window and 1 deny window in Europe/Berlin, with 30 minutes of runway.\n",
    );
  });

  it("fails as JobFailed with exit 1 inside a deny window, and says when it opens", async () => {
    const run = await runCli([
      "check",
      "window-check",
      "--params",
      OFFICE_HOURS,
      "--at",
      "2026-12-24T10:00:00+01:00",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      "FAILED window-check (JobFailed)\n" +
        'Blocked by deny "Christmas freeze" at Thu 2026-12-24 10:00 (Europe/Berlin, +01:00). Opens Mon 2026-12-28 09:00 (+01:00).\n',
    );
  });

  it("prints one JSON object with --json", async () => {
    const run = await runCli([
      "check",
      "window-check",
      "--json",
      "--params",
      OFFICE_HOURS,
      "--at",
      "2026-12-05T12:00:00Z",
    ]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      rule: "window-check",
      outcome: "failed",
      type: "JobFailed",
      message: expect.stringMatching(
        /^Blocked outside allow window "MON-FRI 09:00-17:00" at Sat 2026-12-05 13:00/,
      ),
    });
  });

  it("reports a configuration error with exit 2, as the pipeline would", async () => {
    const run = await runCli(["check", "window-check", "--params", '{"allow": ["* * 25 ? * MON *"]}']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /^FAILED window-check \(ConfigurationError\)\nInvalid UserParameters:\nallow\[0\]: /,
    );
  });

  it("rejects a time without an offset, an unknown option and options of other rules", async () => {
    expectUsageError(
      await runCli(["check", "window-check", "--params", OFFICE_HOURS, "--at", "2026-12-03 10:00"]),
      /--at expects an ISO-8601 time with an offset/,
    );
    expectUsageError(await runCli(["check", "window-check", "--bogus"]), /Unknown option '--bogus'\.$/m);
    expectUsageError(
      await runCli(["check", "window-check", "--params", OFFICE_HOURS, "--image", "x"]),
      /--image applies to ecr-findings-check, not window-check/,
    );
    expectUsageError(await runCli(["check", "window-check", "--params"]), /--params/);
  });
});

describe("codepipeline-gates next window-check", () => {
  it("lists the next open intervals in the rule's time zone, skipping the freeze", async () => {
    const run = await runCli([
      "next",
      "window-check",
      "--params",
      OFFICE_HOURS,
      "--at",
      "2026-12-23T16:00:00Z",
      "--count",
      "2",
    ]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      "Open intervals from Wed 2026-12-23 17:00 (Europe/Berlin, +01:00):",
      "  Mon 2026-12-28 09:00 (+01:00) to Mon 2026-12-28 17:00 (+01:00) (8 hours; with 30 minutes of runway, last start Mon 2026-12-28 16:30 (+01:00))",
      "  Tue 2026-12-29 09:00 (+01:00) to Tue 2026-12-29 17:00 (+01:00) (8 hours; with 30 minutes of runway, last start Tue 2026-12-29 16:30 (+01:00))",
      // The freeze has ended by then: the rule would report its stale range (see window-check's "never matches").
      'From Mon 2026-12-28 09:00 (+01:00) the rule fails with a ConfigurationError until its UserParameters are cleaned up: deny[0]: "2026-12-24 to 2026-12-26" ("Christmas freeze") ended at Sun 2026-12-27 00:00 (+01:00), before now: a deny window that never matches would never block. Remove it or correct it.',
    ]);
  });

  it("lists an opening a waiver makes inside the freeze, as the rule would pass it", async () => {
    const withWaiver = JSON.stringify({
      ...JSON.parse(OFFICE_HOURS),
      waivers: [
        {
          from: "2026-12-24T10:00",
          to: "2026-12-24T12:00",
          reason: "hotfix",
          ticket: "CHG-1",
          approvedBy: "alice@example.com",
        },
      ],
    });
    const run = await runCli([
      "next",
      "window-check",
      "--params",
      withWaiver,
      "--at",
      "2026-12-23T16:00:00Z",
      "--count",
      "2",
    ]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout.trimEnd().split("\n").slice(1, 3)).toEqual([
      "  Thu 2026-12-24 10:00 (+01:00) to Thu 2026-12-24 12:00 (+01:00) (2 hours; with 30 minutes of runway, last start Thu 2026-12-24 11:30 (+01:00))",
      "  Mon 2026-12-28 09:00 (+01:00) to Mon 2026-12-28 17:00 (+01:00) (8 hours; with 30 minutes of runway, last start Mon 2026-12-28 16:30 (+01:00))",
    ]);
  });

  it("starts with the current interval when the gate is open now", async () => {
    const run = await runCli([
      "next",
      "window-check",
      "--params",
      OFFICE_HOURS,
      "--at",
      "2026-12-03T10:00:00Z",
      "--count",
      "1",
    ]);
    expect(run.stdout.split("\n")[1]).toBe(
      "  Thu 2026-12-03 11:00 (+01:00) to Thu 2026-12-03 17:00 (+01:00) (6 hours; with 30 minutes of runway, last start Thu 2026-12-03 16:30 (+01:00))",
    );
  });

  it("says when there is no opening within a year", async () => {
    const run = await runCli([
      "next",
      "window-check",
      "--params",
      '{"deny": [{"from": "2026-01-01", "to": "2028-01-01"}]}',
      "--at",
      "2026-06-01T00:00:00Z",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")[1]).toBe("None within a year.");
  });

  it("works on window-check only and needs --params and a sensible --count", async () => {
    expectUsageError(
      await runCli(["next", "artifact-check", "--params", "{}"]),
      /works on window-check, not artifact-check/,
    );
    expectUsageError(await runCli(["next", "window-check"]), /next needs --params/);
    expectUsageError(
      await runCli(["next", "window-check", "--params", OFFICE_HOURS, "--count", "0"]),
      /--count expects a whole number from 1 to 100; got "0"/,
    );
  });
});
