import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../functions/window-check/evaluate.js";
import { expandCalendar } from "../../../functions/window-check/ics.js";
import { parse, problem } from "./support.js";

const HOLIDAYS = readFileSync("events/window-check/fixtures/holidays.ics", "utf8");
const S3 = "s3://team-calendars/holidays/holidays.ics";

/** Decides at `now` with the calendar file's text loaded the way `load` does. */
const decide = (userParameters: Record<string, unknown>, now: string, text = HOLIDAYS) => {
  const p = parse(userParameters);
  const from = Date.parse(now);
  const expanded = expandCalendar(text, p.timeZone, from, from + 374 * 86_400_000);
  if ("error" in expanded) throw new Error(expanded.error);
  const icsCalendars = (p.deny ?? []).flatMap((spec) =>
    spec.kind === "ics" ? [{ location: spec.location, events: expanded.events }] : [],
  );
  const verdict = evaluate({ calendars: [], icsCalendars }, p, new Date(now));
  return verdict.pass ? `PASSED: ${verdict.summary}` : `FAILED: ${verdict.message}`;
};

describe("iCalendar deny entries in UserParameters", () => {
  it("an S3 object or a file in an input artifact", () => {
    const parsed = parse({
      deny: [
        { ics: S3 },
        { icsFile: "./calendars/holidays.ics" },
        { icsFile: "ops.ics", artifact: "Calendars" },
      ],
    });
    expect(parsed.deny).toEqual([
      {
        kind: "ics",
        source: { from: "s3", bucket: "team-calendars", key: "holidays/holidays.ics" },
        fileName: "holidays.ics",
        location: S3,
      },
      {
        kind: "ics",
        source: { from: "artifact", path: "calendars/holidays.ics" },
        fileName: "holidays.ics",
        location: "calendars/holidays.ics in the input artifact",
      },
      {
        kind: "ics",
        source: { from: "artifact", path: "ops.ics", artifact: "Calendars" },
        fileName: "ops.ics",
        location: 'ops.ics in input artifact "Calendars"',
      },
    ]);
  });

  it.each([
    [
      { deny: [{ ics: "https://example.com/h.ics" }] },
      'deny[0].ics: expected an S3 object URL "s3://bucket/key.ics"; got "https://example.com/h.ics"',
    ],
    [
      { deny: [{ ics: "s3://bucket/" }] },
      'deny[0].ics: expected an S3 object URL "s3://bucket/key.ics"; got "s3://bucket/"',
    ],
    [{ deny: [{ ics: 42 }] }, "deny[0].ics: expected a non-empty string; got 42"],
    [{ deny: [{ ics: S3, reason: "x" }] }, 'deny[0]: unknown key "reason"; allowed: ics'],
    [
      { deny: [{ icsFile: "../etc/holidays.ics" }] },
      'deny[0].icsFile: expected a file path inside the input artifact such as "calendars/holidays.ics"; got "../etc/holidays.ics"',
    ],
    [{ deny: [{ icsFile: "h.ics", artifact: "" }] }, 'deny[0].artifact: expected a non-empty string; got ""'],
    [
      { allow: [{ ics: S3 }] },
      'allow[0]: the events of an iCalendar file are deny windows: move the entry to "deny"',
    ],
  ])("%j", (userParameters, message) => {
    expect(problem(userParameters)).toContain(message);
  });

  it("a deny entry of another shape lists the calendar forms too", () => {
    expect(problem({ deny: [7] })).toContain(
      'or an iCalendar file {"ics": "s3://bucket/key.ics"} or {"icsFile": "path/in/artifact.ics"}; got 7',
    );
  });
});

describe("deciding with an iCalendar file", () => {
  const rule = { timeZone: "Europe/Berlin", deny: [{ ics: S3 }] };

  it("blocks during an event and names it and the file", () => {
    expect(decide(rule, "2026-12-25T09:00:00Z")).toBe(
      'FAILED: Blocked by deny "Christmas Day" (holidays.ics) at Fri 2026-12-25 10:00 (Europe/Berlin, +01:00). Opens Sat 2026-12-26 00:00 (+01:00).',
    );
  });

  it("back-to-back events join: Christmas Eve runs into Christmas Day", () => {
    expect(decide(rule, "2026-12-24T12:00:00Z")).toMatch(
      /^FAILED: Blocked by deny "Christmas Eve" \(holidays\.ics\) at .*\. Opens Sat 2026-12-26 00:00 \(\+01:00\)\.$/,
    );
  });

  it("passes between events and says which one closes it next, with the file's count", () => {
    expect(decide(rule, "2026-12-28T09:00:00Z")).toBe(
      [
        'PASSED: Open at Mon 2026-12-28 10:00 (Europe/Berlin, +01:00) until Fri 2027-01-01 00:00 (+01:00), when deny "New Year\'s Day" (holidays.ics) begins.',
        "Checked iCalendar file holidays.ics (14 events in the next year) in Europe/Berlin.",
      ].join("\n"),
    );
  });

  it("an EXDATE occurrence does not block", () => {
    // The month-end close (last Friday, 16:00-20:00) falls on Christmas Day 2026 and is excluded.
    expect(decide(rule, "2026-12-25T15:30:00Z")).toBe(
      'FAILED: Blocked by deny "Christmas Day" (holidays.ics) at Fri 2026-12-25 16:30 (Europe/Berlin, +01:00). Opens Sat 2026-12-26 00:00 (+01:00).',
    );
    expect(decide(rule, "2026-11-27T15:30:00Z")).toContain(
      'Blocked by deny "Month-end close" (holidays.ics)',
    );
  });

  it("works with the other windows and names them apart", () => {
    expect(
      decide(
        {
          ...rule,
          allow: ["* * 9-16 ? * MON-FRI *"],
          deny: [{ ics: S3 }, { days: "SAT-SUN", reason: "weekend" }],
        },
        "2027-01-29T16:30:00Z",
      ),
    ).toBe(
      'FAILED: Blocked by deny "Month-end close" (holidays.ics) and outside allow window "* * 9-16 ? * MON-FRI *" at Fri 2027-01-29 17:30 (Europe/Berlin, +01:00). Opens Mon 2027-02-01 09:00 (+01:00).',
    );
  });

  it("a calendar with no events in the next year is not an error, and the summary says so", () => {
    const old = [
      "BEGIN:VCALENDAR",
      "BEGIN:VEVENT",
      "UID:a",
      "SUMMARY:Old",
      "DTSTART;VALUE=DATE:20200101",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    expect(decide(rule, "2026-12-28T09:00:00Z", old)).toBe(
      [
        "PASSED: Open at Mon 2026-12-28 10:00 (Europe/Berlin, +01:00) and stays open for at least a year.",
        "Checked iCalendar file holidays.ics (0 events in the next year) in Europe/Berlin.",
        "holidays.ics: no events in the next year.",
      ].join("\n"),
    );
  });
});
