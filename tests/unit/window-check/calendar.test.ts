import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { LoadedCalendar } from "../../../functions/window-check/calendar-spec.js";
import { evaluate, HORIZON_MS } from "../../../functions/window-check/evaluate.js";
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

describe("several iCalendar files", () => {
  const rule = parse({ deny: [{ ics: "s3://cals/holidays.ics" }, { icsFile: "ops.ics" }] });
  const now = Date.parse("2026-11-27T10:00:00Z");
  const limit = now + HORIZON_MS;
  const hour = 3_600_000;
  const at = (iso: string) => Date.parse(iso);
  /** Each file's events, listed in another order than the deny entries: files are matched by location. */
  const loaded = (ops: [number, number][], holidays: [number, number][]): LoadedCalendar[] => [
    { location: "ops.ics in the input artifact", events: [{ summary: "Ops freeze", intervals: ops }] },
    { location: "s3://cals/holidays.ics", events: [{ summary: "Holiday", intervals: holidays }] },
  ];
  const run = (icsCalendars: LoadedCalendar[], when = now) =>
    evaluate({ calendars: [], icsCalendars }, rule, new Date(when));

  it("each deny entry gets its own file's events", () => {
    const calendars = loaded(
      [[at("2026-12-01T08:00:00Z"), at("2026-12-01T10:00:00Z")]],
      [[at("2026-12-25T00:00:00Z"), at("2026-12-26T00:00:00Z")]],
    );
    expect(run(calendars, at("2026-12-25T12:00:00Z"))).toMatchObject({
      pass: false,
      message: expect.stringMatching(/^Blocked by deny "Holiday" \(holidays\.ics\) at /),
    });
    expect(run(calendars, at("2026-12-01T09:00:00Z"))).toMatchObject({
      pass: false,
      message: expect.stringMatching(/^Blocked by deny "Ops freeze" \(ops\.ics\) at /),
    });
  });

  it("counts the occurrences that start before the horizon; one that starts at it is next year's", () => {
    const verdict = run(
      loaded(
        [
          [at("2026-12-01T08:00:00Z"), at("2026-12-01T10:00:00Z")],
          [at("2027-01-05T08:00:00Z"), at("2027-01-05T10:00:00Z")],
          [limit, limit + hour],
        ],
        [[limit, limit + hour]],
      ),
    );
    expect(verdict.pass ? verdict.summary.split("\n") : verdict.message).toEqual([
      'Open at Fri 2026-11-27 10:00 (UTC, +00:00) until Tue 2026-12-01 08:00 (+00:00), when deny "Ops freeze" (ops.ics) begins.',
      "Checked iCalendar files holidays.ics (0 events in the next year) and ops.ics (2 events in the next year) in UTC.",
      "holidays.ics: no events in the next year.",
    ]);
  });

  it("a file with one occurrence before the horizon and one after has events in the next year", () => {
    const verdict = run(
      loaded(
        [[at("2026-12-01T08:00:00Z"), at("2026-12-01T10:00:00Z")]],
        [
          [limit - 2 * hour, limit - hour],
          [limit + hour, limit + 2 * hour],
        ],
      ),
    );
    expect(verdict.pass ? verdict.summary.split("\n").slice(1) : verdict.message).toEqual([
      "Checked iCalendar files holidays.ics (1 event in the next year) and ops.ics (1 event in the next year) in UTC.",
    ]);
  });

  it("a file that load did not read is a bug, not a calendar without events", () => {
    expect(() => run([loaded([], [])[0] as LoadedCalendar])).toThrow(
      "iCalendar file s3://cals/holidays.ics was not loaded",
    );
  });
});
