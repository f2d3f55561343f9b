import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expandCalendar } from "../../../functions/window-check/ics.js";
import { parseTimeZone, type Zone } from "../../../functions/window-check/zone.js";

const HOLIDAYS = readFileSync("events/window-check/fixtures/holidays.ics", "utf8");
const zone = (name: string) => parseTimeZone(name) as Zone;
const FROM = Date.parse("2026-11-27T00:00:00Z");
const TO = FROM + 400 * 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
/** Each event's intervals as "start..end" in UTC; a parse error fails the test. */
const expand = (text: string, zoneName = "Europe/Berlin", from = FROM, to = TO): Record<string, string[]> => {
  const result = expandCalendar(text, zone(zoneName), from, to);
  if ("error" in result) throw new Error(`line ${result.line}: ${result.error}`);
  return Object.fromEntries(
    result.events.map((e) => [e.summary, e.intervals.map(([a, b]) => `${iso(a)}..${iso(b)}`)]),
  );
};
const calendar = (...lines: string[]) => ["BEGIN:VCALENDAR", ...lines, "END:VCALENDAR"].join("\r\n");
const event = (...lines: string[]) => ["BEGIN:VEVENT", ...lines, "END:VEVENT"].join("\r\n");

describe("expanding an iCalendar file", () => {
  it("all-day events cover whole days in the rule's zone, yearly ones once per year in the range", () => {
    const events = expand(HOLIDAYS);
    expect(events["Christmas Day"]).toEqual([
      "2026-12-24T23:00..2026-12-25T23:00",
      "2027-12-24T23:00..2027-12-25T23:00",
    ]);
    // No DTEND: an all-day event is one day long.
    expect(events["New Year's Day"]).toEqual([
      "2026-12-31T23:00..2027-01-01T23:00",
      "2027-12-31T23:00..2028-01-01T23:00",
    ]);
    // The range ends 2028-01-01T00:00Z: 2028's Christmas Eve is not in it.
    expect(events["Christmas Eve"]).toHaveLength(2);
    // The same file read in another zone: the same dates, other instants.
    expect(expand(HOLIDAYS, "America/New_York")["Christmas Day"]?.[0]).toBe(
      "2026-12-25T05:00..2026-12-26T05:00",
    );
  });

  it("timed events with a TZID are fixed instants, EXDATE takes an occurrence out", () => {
    const closes = expand(HOLIDAYS, "UTC")["Month-end close"] ?? [];
    // 16:00-20:00 Berlin on the last Friday: +01:00 in winter, +02:00 in summer.
    expect(closes[0]).toBe("2026-11-27T15:00..2026-11-27T19:00");
    expect(closes).toContain("2027-06-25T14:00..2027-06-25T18:00");
    // The last Friday of December 2026 is Christmas Day, excluded by EXDATE.
    expect(closes.filter((c) => c.startsWith("2026-12"))).toEqual([]);
    expect(closes[1]).toBe("2027-01-29T15:00..2027-01-29T19:00");
  });

  it("UTC times stay as they are; floating times are read in the rule's zone; DURATION gives the end", () => {
    const text = calendar(
      event("UID:a", "SUMMARY:Release train", "DTSTART:20261201T090000Z", "DURATION:PT2H"),
      event("UID:b", "SUMMARY:Floating", "DTSTART:20261202T090000", "DTEND:20261202T093000"),
    );
    expect(expand(text, "Asia/Tokyo")).toEqual({
      "Release train": ["2026-12-01T09:00..2026-12-01T11:00"],
      Floating: ["2026-12-02T00:00..2026-12-02T00:30"],
    });
  });

  it("an event in progress is kept; ones that ended, or start after the range, are not", () => {
    const text = calendar(
      event("UID:a", "SUMMARY:Ongoing", "DTSTART:20261126T000000Z", "DTEND:20261128T000000Z"),
      event("UID:b", "SUMMARY:Over", "DTSTART:20261120T000000Z", "DTEND:20261127T000000Z"),
      event("UID:c", "SUMMARY:Far", "DTSTART:20300101T000000Z", "DTEND:20300102T000000Z"),
    );
    expect(expand(text, "UTC")).toEqual({ Ongoing: ["2026-11-26T00:00..2026-11-28T00:00"] });
  });

  it("a RECURRENCE-ID override moves one occurrence and may rename it", () => {
    const text = calendar(
      event(
        "UID:standup",
        "SUMMARY:Freeze",
        "DTSTART;TZID=Europe/Berlin:20261130T100000",
        "DTEND;TZID=Europe/Berlin:20261130T110000",
        "RRULE:FREQ=DAILY;COUNT=3",
      ),
      event(
        "UID:standup",
        "RECURRENCE-ID;TZID=Europe/Berlin:20261201T100000",
        "SUMMARY:Moved freeze",
        "DTSTART;TZID=Europe/Berlin:20261201T140000",
        "DTEND;TZID=Europe/Berlin:20261201T150000",
      ),
    );
    expect(expand(text)).toEqual({
      Freeze: ["2026-11-30T09:00..2026-11-30T10:00", "2026-12-02T09:00..2026-12-02T10:00"],
      "Moved freeze": ["2026-12-01T13:00..2026-12-01T14:00"],
    });
  });

  it("an override belongs only to the series with its UID", () => {
    const text = calendar(
      event(
        "UID:a",
        "SUMMARY:Series",
        "DTSTART:20261130T100000Z",
        "DURATION:PT1H",
        "RRULE:FREQ=DAILY;COUNT=2",
      ),
      event(
        "UID:b",
        "RECURRENCE-ID:20261130T100000Z",
        "SUMMARY:Other",
        "DTSTART:20261130T150000Z",
        "DURATION:PT1H",
      ),
    );
    expect(expand(text, "UTC")).toEqual({
      Series: ["2026-11-30T10:00..2026-11-30T11:00", "2026-12-01T10:00..2026-12-01T11:00"],
      Other: ["2026-11-30T15:00..2026-11-30T16:00"],
    });
  });

  it("a TZID that is not an IANA zone is read from the file's VTIMEZONE", () => {
    const text = calendar(
      "BEGIN:VTIMEZONE",
      "TZID:W. Europe Standard Time",
      "BEGIN:STANDARD",
      "DTSTART:16011028T030000",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
      "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100",
      "END:STANDARD",
      "BEGIN:DAYLIGHT",
      "DTSTART:16010325T020000",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0200",
      "END:DAYLIGHT",
      "END:VTIMEZONE",
      event(
        "UID:a",
        "SUMMARY:Outlook freeze",
        "DTSTART;TZID=W. Europe Standard Time:20261210T080000",
        "DTEND;TZID=W. Europe Standard Time:20261210T120000",
      ),
      event(
        "UID:b",
        "SUMMARY:Summer freeze",
        "DTSTART;TZID=W. Europe Standard Time:20270610T080000",
        "DTEND;TZID=W. Europe Standard Time:20270610T120000",
      ),
    );
    expect(expand(text, "UTC")).toEqual({
      "Outlook freeze": ["2026-12-10T07:00..2026-12-10T11:00"],
      "Summer freeze": ["2027-06-10T06:00..2027-06-10T10:00"],
    });
  });

  it("folded lines are joined; an event without SUMMARY is named by its line", () => {
    const text = calendar(
      event("UID:a", "SUMMARY:Quarter", " ly freeze", "DTSTART;VALUE=DATE:20261201"),
      event("UID:b", "DTSTART;VALUE=DATE:20261202"),
    );
    expect(Object.keys(expand(text, "UTC"))).toEqual(["Quarterly freeze", "untitled event on line 8"]);
  });

  it("floating times follow the rule's zone on a day the clocks change; a byte order mark is ignored", () => {
    const text = calendar(
      event("UID:a", "SUMMARY:Sunday", "DTSTART:20270328T100000", "DTEND:20270328T110000"),
    );
    // Berlin is +02:00 from 02:00 that day.
    expect(expand(`\uFEFF${text}`)).toEqual({ Sunday: ["2027-03-28T08:00..2027-03-28T09:00"] });
  });

  it("a series too long to walk to the end of the search is refused, not cut short", () => {
    const text = calendar(
      event("UID:a", "SUMMARY:Hourly", "DTSTART:20261101T000000Z", "DURATION:PT1H", "RRULE:FREQ=HOURLY"),
    );
    expect(expandCalendar(text, zone("UTC"), FROM, TO, 500)).toEqual({
      error:
        "the event repeats more than 500 times before the end of the search (a year ahead); start the series later or repeat it less often",
      line: 2,
    });
    // With room for every hour until the end of the search, it is expanded: the hours from the
    // start of the search on, back to back, are one stretch.
    const hours = (TO - Date.parse("2026-11-01T00:00:00Z")) / 3_600_000;
    expect(expandCalendar(text, zone("UTC"), FROM, TO, hours + 1)).toEqual({
      events: [{ summary: "Hourly", intervals: [[FROM, TO]] }],
    });
  });

  it("a calendar without events in the range is empty, not an error", () => {
    expect(expand(calendar(event("UID:a", "SUMMARY:Old", "DTSTART;VALUE=DATE:20200101")))).toEqual({});
    expect(expand(calendar())).toEqual({});
  });
});

describe("a file that does not parse names the line", () => {
  it.each([
    ["not a calendar", "hello", 1, "expected BEGIN:VCALENDAR: this is not an iCalendar file"],
    ["an empty file", "", 1, "expected BEGIN:VCALENDAR: this is not an iCalendar file"],
    [
      "a malformed date",
      calendar(event("UID:a", "DTSTART;VALUE=DATE:2026-12-25")),
      4,
      'DTSTART "2026-12-25" is not a date YYYYMMDD',
    ],
    [
      "a day that does not exist",
      calendar(event("UID:a", "DTSTART:20260231T100000Z")),
      4,
      'DTSTART "20260231T100000Z" is not a date-time YYYYMMDDTHHMMSS (with Z for UTC), or a date with VALUE=DATE',
    ],
    [
      "a bad EXDATE in a list",
      calendar(
        event("UID:a", "DTSTART:20261201T100000Z", "RRULE:FREQ=DAILY", "EXDATE:20261202T100000Z,2026120"),
      ),
      6,
      'EXDATE "2026120" is not a date-time YYYYMMDDTHHMMSS (with Z for UTC), or a date with VALUE=DATE',
    ],
    [
      "an unknown RRULE frequency",
      calendar(event("UID:a", "DTSTART:20261201T100000Z", "RRULE:FREQ=FORTNIGHTLY")),
      5,
      'invalid frequency "FORTNIGHTLY" expected: "SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY"',
    ],
    [
      "a bad DURATION",
      calendar(event("UID:a", "DTSTART:20261201T100000Z", "DURATION:2h")),
      5,
      'DURATION "2h" is not a duration such as P1D or PT1H30M',
    ],
    [
      "a line without a colon",
      calendar(event("UID:a", "Christmas")),
      4,
      'invalid line (no token ";" or ":") "Christmas"',
    ],
    [
      "a file cut short",
      ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:a"].join("\r\n"),
      2,
      "BEGIN:VEVENT is never closed by END:VEVENT",
    ],
    [
      "END of the wrong block",
      calendar("BEGIN:VEVENT", "UID:a", "END:VTODO"),
      4,
      "END:VTODO does not close BEGIN:VEVENT of line 2",
    ],
    ["an event without DTSTART", calendar(event("UID:a", "SUMMARY:x")), 2, "VEVENT has no DTSTART"],
    [
      "a TZID nobody defines",
      calendar(event("UID:a", "DTSTART;TZID=Office Time:20261201T100000")),
      2,
      'TZID "Office Time" is neither an IANA time zone nor defined by a VTIMEZONE in the file',
    ],
  ])("%s", (_, text, line, error) => {
    expect(expandCalendar(text, zone("UTC"), FROM, TO)).toEqual({ error, line });
  });

  it("counts physical lines, folded ones included", () => {
    const text = calendar(event("UID:a", "SUMMARY:A long", "  name", "DTSTART:2026"));
    expect(expandCalendar(text, zone("UTC"), FROM, TO)).toMatchObject({ line: 6 });
  });
});
