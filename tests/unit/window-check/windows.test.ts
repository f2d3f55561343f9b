import { describe, expect, it } from "vitest";
import type { WindowSpec } from "../../../functions/window-check/params.js";
import {
  compileWindow,
  describeWindow,
  exceptDuring,
  intervalsWindow,
  rangeWindow,
  stretchEnd,
  type Window,
} from "../../../functions/window-check/windows.js";
import { MINUTE_MS } from "../../../functions/window-check/zone.js";
import { parse, passed } from "./support.js";

/**
 * Each kind of window on its own: what it contains, where its next start and end are, and that a
 * search never returns a minute at or past its `limit` (the horizon of the decision).
 */
const m = (minutes: number) => minutes * MINUTE_MS;
const at = (iso: string) => Date.parse(iso);

/** A validated window spec, as the handler gets it from UserParameters. */
const specOf = (window: unknown): WindowSpec => parse({ allow: [window] }).allow?.[0] as WindowSpec;
const compile = (window: unknown, timeZone = "UTC"): Window => {
  const params = parse({ timeZone, allow: [window] });
  return compileWindow(params.allow?.[0] as WindowSpec, params.timeZone);
};

type Search = [t: number, limit: number, expected: number | undefined];

describe("a one-off range [10, 20)", () => {
  const window = rangeWindow('"r"', m(10), m(20));

  it("contains its start and not its end", () => {
    expect([9, 10, 19, 20].map((t) => window.contains(m(t)))).toEqual([false, true, true, false]);
  });

  it.each<Search>([
    [0, 100, 10],
    [15, 100, 15],
    [20, 100, undefined],
    [0, 11, 10],
    [0, 10, undefined],
    [15, 15, undefined],
  ])("next start from %i before %i is %s", (t, limit, expected) => {
    expect(window.nextStart(m(t), m(limit))).toBe(expected === undefined ? undefined : m(expected));
  });

  it.each<Search>([
    [5, 100, 5],
    [10, 100, 20],
    [15, 100, 20],
    [20, 100, 20],
    [25, 100, 25],
    [15, 21, 20],
    [15, 20, undefined],
    [5, 5, undefined],
  ])("next end from %i before %i is %s", (t, limit, expected) => {
    expect(window.nextEnd(m(t), m(limit))).toBe(expected === undefined ? undefined : m(expected));
  });
});

describe("a calendar event's occurrences [10, 20) and [30, 40)", () => {
  const window = intervalsWindow('"e"', [
    [m(10), m(20)],
    [m(30), m(40)],
  ]);

  it("contains the minutes of each occurrence only, also after the last one", () => {
    expect([5, 10, 19, 20, 25, 30, 39, 40, 50].map((t) => window.contains(m(t)))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it.each<Search>([
    [0, 100, 10],
    [15, 100, 15],
    [20, 100, 30],
    [40, 100, undefined],
    [50, 100, undefined],
    [25, 31, 30],
    [25, 30, undefined],
    [15, 15, undefined],
  ])("next start from %i before %i is %s", (t, limit, expected) => {
    expect(window.nextStart(m(t), m(limit))).toBe(expected === undefined ? undefined : m(expected));
  });

  it.each<Search>([
    [5, 100, 5],
    [15, 100, 20],
    [25, 100, 25],
    [35, 100, 40],
    [45, 100, 45],
    [35, 41, 40],
    [35, 40, undefined],
    [25, 25, undefined],
  ])("next end from %i before %i is %s", (t, limit, expected) => {
    expect(window.nextEnd(m(t), m(limit))).toBe(expected === undefined ? undefined : m(expected));
  });

  it("without occurrences it contains nothing and never starts", () => {
    const empty = intervalsWindow('"none"', []);
    expect(empty.contains(m(10))).toBe(false);
    expect(empty.nextStart(m(10), m(100))).toBeUndefined();
    expect(empty.nextEnd(m(10), m(100))).toBe(m(10));
  });
});

describe("searches stop at the limit", () => {
  // Mon 2026-11-23 in UTC: office hours 09:00-17:00 as a weekly and as a cron window.
  const mon = (time: string) => at(`2026-11-23T${time}:00Z`);
  it.each([
    ["weekly", { days: "MON-FRI", start: "09:00", end: "17:00" }],
    ["cron", "* * 9-16 ? * MON-FRI *"],
  ])("%s", (_, spec) => {
    const window = compile(spec);
    // Next start: the start itself must be before the limit.
    expect(window.nextStart(mon("08:00"), mon("09:01"))).toBe(mon("09:00"));
    expect(window.nextStart(mon("08:00"), mon("09:00"))).toBeUndefined();
    // Inside, the next start is now, unless now is the limit.
    expect(window.nextStart(mon("10:00"), mon("10:01"))).toBe(mon("10:00"));
    expect(window.nextStart(mon("10:00"), mon("10:00"))).toBeUndefined();
    // Next end: likewise.
    expect(window.nextEnd(mon("10:00"), mon("17:01"))).toBe(mon("17:00"));
    expect(window.nextEnd(mon("10:00"), mon("17:00"))).toBeUndefined();
    expect(window.nextEnd(mon("18:00"), mon("18:01"))).toBe(mon("18:00"));
    expect(window.nextEnd(mon("18:00"), mon("18:00"))).toBeUndefined();
  });

  it("a cron window that matches every minute ends beyond any limit", () => {
    const always = compile("* * * ? * * *");
    expect(always.nextEnd(mon("10:00"), mon("10:00") + 400 * 24 * m(60))).toBeUndefined();
    expect(always.nextStart(mon("10:00"), mon("10:01"))).toBe(mon("10:00"));
  });
});

describe("cron windows step through a stretch by the fields that are full", () => {
  const window = (cron: string) => compile(cron);
  const limit = at("2027-01-01T00:00:00Z");

  it.each([
    ["some minutes of some hours", "* 0-29 9-16 ? * * *", "2026-11-23T09:10:00Z", "2026-11-23T09:30:00Z"],
    ["every minute of some hours", "* * 9-16 ? * * *", "2026-11-23T09:10:00Z", "2026-11-23T17:00:00Z"],
    ["0-59 is every minute", "* 0-59 22-2 ? * * *", "2026-11-23T22:10:00Z", "2026-11-24T03:00:00Z"],
    [
      "every minute of every hour on weekdays",
      "* * * ? * MON-FRI *",
      "2026-11-23T09:10:00Z",
      "2026-11-28T00:00:00Z",
    ],
    [
      "every minute of every hour on the last day",
      "* * * L * ? *",
      "2026-11-30T09:10:00Z",
      "2026-12-01T00:00:00Z",
    ],
    ["L-1: the day before the last", "* * 8-9 L-1 * ? *", "2026-11-29T09:10:00Z", "2026-11-29T10:00:00Z"],
  ])("%s: %s from %s ends at %s", (_, cron, from, end) => {
    expect(window(cron).nextEnd(at(from), limit)).toBe(at(end));
  });
});

describe("weekly windows around the spring DST change", () => {
  // Europe/Berlin skips 02:00-02:59 on Sun 2026-03-29: SUN 02:15-02:45 does not happen that day.
  const window = compile({ days: "SUN", start: "02:15", end: "02:45" }, "Europe/Berlin");
  const limit = at("2026-06-01T00:00:00Z");

  it("the skipped day's window is empty, and the next start is a week later", () => {
    expect(window.contains(at("2026-03-29T01:00:00Z"))).toBe(false);
    // Sat 2026-03-28 03:00 CET: the next day has no such minute, the Sunday after does (CEST).
    expect(window.nextStart(at("2026-03-28T02:00:00Z"), limit)).toBe(at("2026-04-05T00:15:00Z"));
    expect(window.nextStart(at("2026-03-29T00:30:00Z"), limit)).toBe(at("2026-04-05T00:15:00Z"));
  });

  it("from the week before, the skipped Sunday is passed over to the one after", () => {
    // Was "never": the search looked 8 days ahead, so Sun 2026-03-22 02:45 to Sat 03-28 found nothing.
    for (const t of ["2026-03-22T03:00:00Z", "2026-03-23T00:00:00Z", "2026-03-27T12:00:00Z"]) {
      expect(window.nextStart(at(t), limit), t).toBe(at("2026-04-05T00:15:00Z"));
    }
  });

  it("a deny window in the skipped hour is a working deny, not a window that never matches", () => {
    const rule = { timeZone: "Europe/Berlin", deny: [{ days: "SUN", start: "02:15", end: "02:45" }] };
    expect(passed(rule, "2026-03-23T10:00:00Z")).toMatch(
      /^Open at Mon 2026-03-23 11:00 .* until Sun 2026-04-05 02:15/,
    );
  });

  it("a normal Sunday has it", () => {
    expect(window.nextStart(at("2026-03-21T12:00:00Z"), limit)).toBe(at("2026-03-22T01:15:00Z"));
    expect(window.nextEnd(at("2026-03-22T01:15:00Z"), limit)).toBe(at("2026-03-22T01:45:00Z"));
  });
});

describe("stretchEnd: windows that overlap or touch are one stretch", () => {
  const windows = [
    rangeWindow('"a"', m(10), m(20)),
    rangeWindow('"b"', m(20), m(30)),
    rangeWindow('"c"', m(25), m(40)),
  ];

  it.each<Search>([
    [15, 100, 40],
    [26, 100, 40],
    [5, 100, 5],
    [40, 100, 40],
    [15, 40, undefined],
    [15, 41, 40],
  ])("from %i before %i it ends at %s", (t, limit, expected) => {
    expect(stretchEnd(windows, m(t), m(limit))).toBe(expected === undefined ? undefined : m(expected));
  });
});

describe("exceptDuring: a window with waivers taken out", () => {
  const window = rangeWindow('"freeze"', m(10), m(50));
  // Two waivers back to back: [20, 35) is one hole.
  const waived = exceptDuring(window, [rangeWindow('"w1"', m(20), m(30)), rangeWindow('"w2"', m(30), m(35))]);

  it("keeps the window's label and leaves a window without waivers as it is", () => {
    expect(waived.label).toBe('"freeze"');
    expect(exceptDuring(window, [])).toBe(window);
  });

  it("contains the window's minutes outside the waivers", () => {
    expect([5, 10, 19, 20, 32, 34, 35, 49, 50].map((t) => waived.contains(m(t)))).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it.each<Search>([
    [0, 100, 10],
    [15, 100, 15],
    [20, 100, 35],
    [31, 100, 35],
    [45, 100, 45],
    [50, 100, undefined],
    [20, 36, 35],
    [20, 35, undefined],
  ])("next start from %i before %i is %s", (t, limit, expected) => {
    expect(waived.nextStart(m(t), m(limit))).toBe(expected === undefined ? undefined : m(expected));
  });

  it.each<Search>([
    [15, 100, 20],
    [35, 100, 50],
    [5, 100, 5],
    [25, 100, 25],
    [60, 100, 60],
    [15, 21, 20],
    [35, 50, undefined],
    [25, 25, undefined],
    [5, 5, undefined],
  ])("next end from %i before %i is %s", (t, limit, expected) => {
    expect(waived.nextEnd(m(t), m(limit))).toBe(expected === undefined ? undefined : m(expected));
  });
});

describe("how a window without a reason is named", () => {
  it.each([
    ["a cron string, spaces tidied", "  * *   9-16 ? * MON-FRI *  ", "* * 9-16 ? * MON-FRI *"],
    ["every day, all day", {}, "every day"],
    ["every day, with times", { start: "09:00", end: "17:00" }, "every day 09:00-17:00"],
    ["days in upper case", { days: "mon-fri" }, "MON-FRI"],
    ["a list of days", { days: ["MON", "wed"] }, "MON,WED"],
    ["from midnight to a time", { days: "MON", start: "00:00", end: "10:00" }, "MON 00:00-10:00"],
    ["from a time to the end of the day", { days: "MON", start: "09:00" }, "MON 09:00-24:00"],
    ["to 24:00 from midnight is all day", { days: "SAT", end: "24:00" }, "SAT"],
    ["past midnight", { days: "FRI", start: "22:00", end: "02:30" }, "FRI 22:00-02:30"],
    ["a one-day range", { from: "2026-12-25", to: "2026-12-25" }, "2026-12-25"],
    ["a range of days", { from: "2026-12-24", to: "2026-12-26" }, "2026-12-24 to 2026-12-26"],
    ["a range with times", { from: "2026-12-24T18:00", to: "2026-12-26" }, "2026-12-24T18:00 to 2026-12-26"],
  ])("%s", (_, window, name) => {
    expect(describeWindow(specOf(window))).toBe(name);
    expect(compile(window).label).toBe(JSON.stringify(name));
  });

  it("a reason names the window instead", () => {
    expect(compile({ days: "SAT", reason: "no weekend releases" }).label).toBe('"no weekend releases"');
  });
});
