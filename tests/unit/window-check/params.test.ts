import { describe, expect, it } from "vitest";
import { params } from "../../../functions/window-check/params.js";
import { parseUserParameters } from "../../../shared/params.js";
import { problem } from "./support.js";

describe("valid UserParameters", () => {
  it("defaults: UTC, no runway", () => {
    const parsed = parseUserParameters('{"deny":[{"days":"FRI-SUN"}]}', params);
    expect(parsed.timeZone.name).toBe("UTC");
    expect(parsed.runwayMinutes).toBe(0);
    expect(parsed.deny?.[0]).toEqual({
      kind: "weekly",
      days: [0, 5, 6],
      daysText: "FRI-SUN",
      start: 0,
      end: 1440,
    });
  });

  it("every window form", () => {
    const parsed = parseUserParameters(
      JSON.stringify({
        timeZone: "europe/berlin",
        allow: [
          "* * 9-16 ? * MON-FRI *",
          { cron: "* 0-29 10 ? * TUE", reason: "tuesday" },
          { days: ["MON", "WED"], start: "09:30", end: "24:00" },
        ],
        deny: [{ from: "2026-12-24", to: "2026-12-26T12:00", reason: "christmas" }],
        changeCalendars: ["prod-freeze", "arn:aws:ssm:eu-central-1:123456789012:document/holidays"],
        runwayMinutes: 30,
      }),
      params,
    );
    expect(parsed.timeZone.name).toBe("Europe/Berlin");
    expect(parsed.allow?.map((w) => w.kind)).toEqual(["cron", "cron", "weekly"]);
    expect(parsed.allow?.[1]).toMatchObject({
      reason: "tuesday",
      cron: { pattern: `* ${Array.from({ length: 30 }, (_, m) => m).join(",")} 10 * * 3 *` },
    });
    expect(parsed.allow?.[2]).toMatchObject({ days: [1, 3], start: 570, end: 1440 });
    expect(parsed.deny?.[0]).toMatchObject({
      kind: "range",
      from: { date: { year: 2026, month: 12, day: 24 }, minuteOfDay: 0 },
      to: { date: { year: 2026, month: 12, day: 26 }, minuteOfDay: 720 },
    });
  });

  it.each(["UTC", "UTC+05:30", "UTC-03:00", "UTC+14:00", "America/New_York", "Asia/Kolkata"])(
    "time zone %s",
    (tz) => {
      expect(
        parseUserParameters(JSON.stringify({ timeZone: tz, allow: [{}] }), params).timeZone.name,
      ).toBeTruthy();
    },
  );
});

describe("invalid UserParameters name the key, what was expected and what was got", () => {
  it.each<[string, unknown, string]>([
    ["nothing to check", {}, 'UserParameters: give at least one of "allow", "deny" or "changeCalendars"'],
    [
      "unknown top-level key",
      { deny: [{}], window: "x" },
      'unknown key "window"; allowed: timeZone, allow, deny',
    ],
    [
      "bad zone",
      { timeZone: "Mars/Olympus", deny: [{}] },
      'timeZone: expected an IANA time zone such as "Europe/Berlin", "UTC" or "UTC+05:30"; got "Mars/Olympus"',
    ],
    ["bare offset", { timeZone: "+01:00", deny: [{}] }, "timeZone: expected an IANA time zone"],
    [
      "offset out of range",
      { timeZone: "UTC+15:00", deny: [{}] },
      "(offsets go from UTC-14:00 to UTC+14:00)",
    ],
    ["empty allow", { allow: [] }, "allow: give at least one window, or leave the key out"],
    [
      "cron with a seconds value",
      { allow: ["0 * 9-16 ? * MON-FRI *"] },
      'allow[0]: invalid cron "0 * 9-16 ? * MON-FRI *": seconds "0": must be "*" (a window is made of whole minutes)',
    ],
    [
      "cron with too few fields",
      { allow: ["* 9-16 * * MON-FRI"] },
      'allow[0]: invalid cron "* 9-16 * * MON-FRI": expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]) separated by spaces; got 5',
    ],
    [
      "cron with both day fields",
      { deny: ["* * * 15 * MON *"] },
      'deny[0]: invalid cron "* * * 15 * MON *": day-of-month "15" and day-of-week "MON": one of them must be "?"',
    ],
    [
      "cron minute 60",
      { deny: ["* 60 * ? * * *"] },
      'deny[0]: invalid cron "* 60 * ? * * *": minutes "60": 60 is out of range 0-59',
    ],
    [
      "cron weekday 0",
      { deny: ["* * * ? * 0 *"] },
      'day-of-week "0": 0 is out of range 1-7 (1 = SUN … 7 = SAT)',
    ],
    ["cron weekday 8", { deny: ["* * * ? * 8 *"] }, 'day-of-week "8": 8 is out of range 1-7'],
    ["cron year 2200", { deny: ["* * * ? * * 2200"] }, 'year "2200": 2200 is out of range 1970-2199'],
    ["cron bad name", { deny: ["* * * ? * FRY *"] }, 'deny[0]: invalid cron "* * * ? * FRY *"'],
    [
      "cron L-31",
      { deny: ["* * * L-31 * ? *"] },
      'day-of-month "L-31": offset 31 is out of range 0-30 (the number after "L-")',
    ],
    ["cron object without a string", { deny: [{ cron: 5 }] }, "deny[0].cron: expected a string; got 5"],
    [
      "bad day name",
      { deny: [{ days: "FRY-SUN" }] },
      'deny[0].days: expected day names SUN MON TUE WED THU FRI SAT, single or as a range such as "MON-FRI" or "FRI-SUN"; got "FRY-SUN"',
    ],
    ["bad day in a list", { deny: [{ days: ["MON", "Funday"] }] }, "deny[0].days: expected day names"],
    [
      "days of the wrong type",
      { deny: [{ days: 5 }] },
      'deny[0].days: expected day names as a string ("MON-FRI") or an array (["MON","WED"]); got 5',
    ],
    [
      "bad start",
      { deny: [{ start: "9:00" }] },
      'deny[0].start: expected a time "HH:MM" from 00:00 to 23:59; got "9:00"',
    ],
    [
      "start 24:00",
      { deny: [{ start: "24:00" }] },
      'deny[0].start: expected a time "HH:MM" from 00:00 to 23:59; got "24:00"',
    ],
    [
      "bad end",
      { deny: [{ end: "17:60" }] },
      'deny[0].end: expected a time "HH:MM" from 00:00 to 24:00; got "17:60"',
    ],
    [
      "start equals end",
      { deny: [{ start: "09:00", end: "09:00" }] },
      'deny[0].end: start and end are both "09:00"',
    ],
    [
      "unknown window key",
      { deny: [{ days: "MON", until: "17:00" }] },
      'deny[0]: unknown key "until"; allowed: days, start, end, reason',
    ],
    [
      "unknown range key",
      { deny: [{ from: "2026-01-01", to: "2026-01-02", note: "x" }] },
      'deny[0]: unknown key "note"; allowed: from, to, reason',
    ],
    ["range without to", { deny: [{ from: "2026-01-01" }] }, "deny[0].to: expected a string; got nothing"],
    [
      "not a date",
      { deny: [{ from: "2026-02-29", to: "2026-03-01" }] },
      'deny[0].from: expected a date "YYYY-MM-DD" or a date and time "YYYY-MM-DDTHH:MM" in the rule\'s time zone; got "2026-02-29"',
    ],
    [
      "time with seconds",
      { deny: [{ from: "2026-01-01T10:00:00", to: "2026-01-02" }] },
      "deny[0].from: expected a date",
    ],
    [
      "range backwards",
      { deny: [{ from: "2026-01-02", to: "2026-01-01" }] },
      'deny[0].to: "from" "2026-01-02" must be before "to" "2026-01-01"',
    ],
    ["empty range", { deny: [{ from: "2026-01-02T10:00", to: "2026-01-02T10:00" }] }, "must be before"],
    [
      "a number as a window",
      { deny: [5] },
      'deny[0]: expected a cron string such as "* * 9-16 ? * MON-FRI *"',
    ],
    ["empty reason", { deny: [{ days: "MON", reason: " " }] }, "deny[0].reason: a reason must not be empty"],
    [
      "bad calendar",
      { changeCalendars: ["my calendar"] },
      'changeCalendars[0]: expected an SSM Change Calendar name (3-128 letters, digits, "_", "-", ".") or its document ARN; got "my calendar"',
    ],
    [
      "repeated calendar",
      { changeCalendars: ["prod", "prod"] },
      "changeCalendars: each calendar may be named once",
    ],
    ["runway not an integer", { deny: [{}], runwayMinutes: 1.5 }, "runwayMinutes: expected int; got 1.5"],
    [
      "runway too long",
      { deny: [{}], runwayMinutes: 20_000 },
      "runwayMinutes: expected number to be <=10080; got 20000",
    ],
  ])("%s", (_, userParameters, expected) => {
    expect(problem(userParameters)).toContain(expected);
  });

  it("lists every problem of every cron at once: bad-cron-config.json needs one round, not two", () => {
    expect(problem({ allow: ["0 * 9-16 ? * MON-FRY *", { cron: "* 65/15 10 * * ? *" }] })).toBe(
      "Invalid UserParameters:\n" +
        'allow[0]: invalid cron "0 * 9-16 ? * MON-FRY *": seconds "0": must be "*" (a window is made of whole minutes)\n' +
        'allow[0]: invalid cron "0 * 9-16 ? * MON-FRY *": day-of-week "MON-FRY": "FRY" is not a value; expected 1-7 or SUN-SAT (1 = SUN); did you mean FRI?\n' +
        'allow[1].cron: invalid cron "* 65/15 10 * * ? *": minutes "65/15": 65 is out of range 0-59',
    );
  });

  it("lists every problem at once", () => {
    const message = problem({ timeZone: "Nowhere", allow: ["bad"], deny: [{ days: "XYZ" }] });
    expect(message.split("\n")).toHaveLength(4);
    expect(message).toMatch(/^Invalid UserParameters:\ntimeZone: .*\nallow\[0\]: .*\ndeny\[0\]\.days: /);
  });
});
