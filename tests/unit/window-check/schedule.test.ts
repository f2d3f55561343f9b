import { describe, expect, it } from "vitest";
import { blockersAt, type Gate, nextOpening, openUntil } from "../../../functions/window-check/schedule.js";
import { compileWindow, type Window } from "../../../functions/window-check/windows.js";
import { localTime, MINUTE_MS } from "../../../functions/window-check/zone.js";
import { parse, random } from "./support.js";

/**
 * Property tests: the searches (next start, next end, next opening, open until) jump through time;
 * a minute-by-minute scan over `contains` must find the same minutes.
 */
const SCAN_MINUTES = 2 * 24 * 60;
const ZONES = ["Europe/Berlin", "America/New_York", "UTC", "UTC+05:30", "UTC-03:30", "Australia/Lord_Howe"];
// DST changes: Berlin 2026-03-29 / 2026-10-25 at 01:00Z, New York 2026-03-08 07:00Z / 2026-11-01 06:00Z,
// Lord Howe (half-hour DST) 2026-04-05 / 2026-10-04; plus month and year ends and a leap day.
const AROUND = [
  "2026-03-29T01:00:00Z",
  "2026-10-25T01:00:00Z",
  "2026-03-08T07:00:00Z",
  "2026-11-01T06:00:00Z",
  "2026-04-04T15:00:00Z",
  "2026-10-03T15:30:00Z",
  "2026-02-28T12:00:00Z",
  "2026-12-31T12:00:00Z",
  "2028-02-28T12:00:00Z",
  "2026-06-15T12:00:00Z",
].map(Date.parse);

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

const randomWindow = (rng: ReturnType<typeof random>, around: number): unknown => {
  switch (rng.int(0, 2)) {
    case 0: {
      const window: Record<string, string> = {};
      if (rng.next() < 0.7) window.days = `${rng.pick(DAYS)}-${rng.pick(DAYS)}`;
      const start = rng.int(0, 47) * 30 + rng.pick([0, 0, 7]);
      let end = rng.int(0, 48) * 30;
      if (end === start) end = (start + 90) % 1440;
      if (rng.next() < 0.8) window.start = clock(start);
      if (rng.next() < 0.8 && end !== (window.start ? start : 0)) window.end = clock(end);
      return window;
    }
    case 1: {
      const minutes = rng.pick(["*", "*", "0-29", "*/20", "15,45", "30-59", "0-58"]);
      const hours = rng.pick(["*", "*", "9-16", "22-2", "1-3", "2", "0-1,3-23"]);
      const [dom, dow] = rng.pick([
        ["?", "*"],
        ["?", "MON-FRI"],
        ["?", "FRI-SUN"],
        ["?", "2,4,6"],
        ["?", "6L"],
        ["?", "1#1"],
        ["L", "?"],
        ["15W", "?"],
        ["1-10", "?"],
        ["L-1", "?"],
        ["29", "?"],
      ]);
      return `* ${minutes} ${hours} ${dom} * ${dow} *`;
    }
    default: {
      const from = new Date(around + rng.int(-48, 48) * 3_600_000);
      const to = new Date(from.getTime() + rng.int(1, 72) * 3_600_000);
      const text = (d: Date) => d.toISOString().slice(0, rng.next() < 0.3 ? 10 : 16);
      const [a, b] = [text(from), text(to)];
      return a < b || a.length === 10
        ? { from: a, to: b.length === 10 && b < a ? a : b }
        : { from: a, to: a.slice(0, 10) };
    }
  }
};

/** The first minute in [t, t + SCAN) for which `test` holds, or undefined. */
const scan = (t: number, test: (m: number) => boolean): number | undefined => {
  for (let i = 0; i < SCAN_MINUTES; i++) {
    const m = t + i * MINUTE_MS;
    if (test(m)) return m;
  }
  return undefined;
};

/** A search result agrees with a scan: same minute, or both beyond the scanned span. */
const agrees = (found: number | undefined, scanned: number | undefined, t: number) => {
  if (scanned !== undefined) expect(found).toBe(scanned);
  else if (found !== undefined) expect(found).toBeGreaterThanOrEqual(t + SCAN_MINUTES * MINUTE_MS);
};

describe.each([1, 2, 3, 4, 5, 6, 7, 8])("random gates (seed %i)", (seed) => {
  const rng = random(seed * 7919);
  const cases = Array.from({ length: 12 }, (_, i) => {
    const around = rng.pick(AROUND);
    const now = Math.floor((around + rng.int(-36 * 60, 36 * 60) * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
    const userParameters = {
      timeZone: rng.pick(ZONES),
      allow: Array.from({ length: rng.int(0, 2) }, () => randomWindow(rng, around)),
      deny: Array.from({ length: rng.int(0, 2) }, () => randomWindow(rng, around)),
    };
    if (userParameters.allow.length === 0 && userParameters.deny.length === 0) userParameters.allow.push({});
    return [i, now, userParameters] as const;
  });

  it.each(cases)("case %i", (_, now, userParameters) => {
    const params = parse({
      timeZone: userParameters.timeZone,
      ...(userParameters.allow.length ? { allow: userParameters.allow } : {}),
      ...(userParameters.deny.length ? { deny: userParameters.deny } : {}),
    });
    // The generated windows are never iCalendar files (those are tested in ics.test.ts).
    const compile = (specs: typeof params.deny) =>
      (specs ?? []).flatMap((s) => (s.kind === "ics" ? [] : [compileWindow(s, params.timeZone)]));
    const gate: Gate = { allow: compile(params.allow), deny: compile(params.deny), calendars: [] };
    const limit = now + 400 * 24 * 60 * MINUTE_MS;
    const context = JSON.stringify({ now: new Date(now).toISOString(), ...userParameters });

    const check = (window: Window) => {
      const inside = new Map<number, boolean>();
      const contains = (m: number) => {
        const known = inside.get(m);
        if (known !== undefined) return known;
        const value = window.contains(m);
        inside.set(m, value);
        return value;
      };
      agrees(window.nextStart(now, limit), scan(now, contains), now);
      if (contains(now))
        agrees(
          window.nextEnd(now, limit),
          scan(now, (m) => !contains(m)),
          now,
        );
      return contains;
    };
    const allow = gate.allow.map(check);
    const deny = gate.deny.map(check);
    const allowed = (m: number) => (allow.length === 0 || allow.some((c) => c(m))) && !deny.some((c) => c(m));

    expect(blockersAt(gate, now).length === 0, context).toBe(allowed(now));
    const opening = nextOpening(gate, now, limit, 0);
    agrees(opening.kind === "opens" ? opening.at : undefined, scan(now, allowed), now);
    if (allowed(now))
      agrees(
        openUntil(gate, now, limit).at,
        scan(now, (m) => !allowed(m)),
        now,
      );
  });
});

describe("weekly windows follow the local clock", () => {
  // Away from DST changes a weekly window is exactly the minutes whose local weekday and time fit.
  it.each(ZONES)("%s", (timeZone) => {
    const rng = random(timeZone.length);
    for (let i = 0; i < 20; i++) {
      const spec = randomWindow({ ...rng, int: (a, b) => (a === 0 && b === 2 ? 0 : rng.int(a, b)) }, 0) as {
        days?: string;
        start?: string;
        end?: string;
      };
      const params = parse({ timeZone, allow: [spec] });
      const window = compileWindow(params.allow?.[0] as never, params.timeZone);
      const weekly = params.allow?.[0] as { days: number[]; start: number; end: number };
      const t0 = Date.parse("2026-06-10T00:00:00Z");
      for (let k = 0; k < 300; k++) {
        const m = t0 + rng.int(0, 7 * 24 * 60) * MINUTE_MS;
        const local = localTime(params.timeZone, m);
        const yesterday = (local.weekday + 6) % 7;
        const expected =
          weekly.end > weekly.start
            ? weekly.days.includes(local.weekday) &&
              local.minuteOfDay >= weekly.start &&
              local.minuteOfDay < weekly.end
            : (weekly.days.includes(local.weekday) && local.minuteOfDay >= weekly.start) ||
              (weekly.days.includes(yesterday) && local.minuteOfDay < weekly.end);
        expect(window.contains(m), `${JSON.stringify(spec)} at ${new Date(m).toISOString()}`).toBe(expected);
      }
    }
  });
});
