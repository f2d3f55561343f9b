import { Cron } from "croner";
import { type AwsCron, CRONER_OPTIONS } from "./cron.js";
import type { WindowSpec } from "./params.js";
import type { LocalRange } from "./ranges.js";
import {
  addDays,
  daysInMonth,
  instantAt,
  type LocalDate,
  localTime,
  MINUTE_MS,
  startOfNextDay,
  weekdayOf,
  type Zone,
} from "./zone.js";

/**
 * A set of minutes. All instants are epoch milliseconds on a whole minute; searches stop at
 * `limit` and return undefined when they get there.
 */
export interface Window {
  /** How messages name it: the reason if given, else the window itself. */
  label: string;
  contains(t: number): boolean;
  /** The first minute at or after `t` inside the window. */
  nextStart(t: number, limit: number): number | undefined;
  /** The first minute at or after `t` outside the window. */
  nextEnd(t: number, limit: number): number | undefined;
}

const HOUR_MS = 60 * MINUTE_MS;

/** A one-off range [start, end). */
export const rangeWindow = (label: string, start: number, end: number): Window => ({
  label,
  contains: (t) => start <= t && t < end,
  nextStart: (t, limit) => {
    const at = Math.max(t, start);
    return at < end && at < limit ? at : undefined;
  },
  nextEnd: (t, limit) => {
    const at = t < start || t >= end ? t : end;
    return at < limit ? at : undefined;
  },
});

/** Sorted, non-overlapping intervals [start, end): a calendar event's occurrences. */
export const intervalsWindow = (label: string, intervals: readonly (readonly [number, number])[]): Window => {
  /** The first interval that ends after `t`. */
  const firstEndingAfter = (t: number) => {
    let low = 0;
    let high = intervals.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((intervals[mid]?.[1] ?? 0) <= t) low = mid + 1;
      else high = mid;
    }
    return intervals[low];
  };
  return {
    label,
    contains: (t) => {
      const interval = firstEndingAfter(t);
      return interval !== undefined && interval[0] <= t;
    },
    nextStart: (t, limit) => {
      const interval = firstEndingAfter(t);
      const at = interval && Math.max(t, interval[0]);
      return at !== undefined && at < limit ? at : undefined;
    },
    nextEnd: (t, limit) => {
      const interval = firstEndingAfter(t);
      const at = interval && interval[0] <= t ? interval[1] : t;
      return at < limit ? at : undefined;
    },
  };
};

/**
 * Weekly: on each listed day, from the moment the local clock first reads `start` until it first
 * reads `end` (the next day's when `end` is not after `start`).
 */
const weeklyWindow = (
  label: string,
  zone: Zone,
  days: readonly number[],
  start: number,
  end: number,
): Window => {
  const daySet = new Set(days);
  const wraps = end <= start;
  /** The interval that starts on `date`, if the day is listed. */
  const intervalOn = (date: LocalDate): [number, number] | undefined => {
    if (!daySet.has(weekdayOf(date))) return undefined;
    const from = instantAt(zone, date, start);
    const to = instantAt(zone, wraps ? addDays(date, 1) : date, end);
    return from < to ? [from, to] : undefined;
  };
  /** The interval holding `t`: it started today or, past midnight, yesterday. */
  const intervalHolding = (t: number): [number, number] | undefined => {
    const today = localTime(zone, t);
    for (const date of [today, addDays(today, -1)]) {
      const interval = intervalOn(date);
      if (interval && interval[0] <= t && t < interval[1]) return interval;
    }
    return undefined;
  };
  return {
    label,
    contains: (t) => intervalHolding(t) !== undefined,
    nextStart: (t, limit) => {
      if (intervalHolding(t)) return t < limit ? t : undefined;
      const today = localTime(zone, t);
      // Two weeks and a day: a weekly window that falls into the hour a DST change skips has
      // no minute that week, and must still be found the week after.
      for (let i = 0; i <= 15; i++) {
        const interval = intervalOn(addDays(today, i));
        if (interval && interval[0] >= t) return interval[0] < limit ? interval[0] : undefined;
      }
      return undefined;
    },
    nextEnd: (t, limit) => {
      let at = t;
      // Back-to-back days (FRI-SUN all day) join into one stretch.
      for (let interval = intervalHolding(at); interval && at < limit; interval = intervalHolding(at)) {
        at = interval[1];
      }
      return at < limit ? at : undefined;
    },
  };
};

/** Every minute the cron expression matches, read in the zone. */
const cronWindow = (label: string, zone: Zone, cron: AwsCron): Window => {
  const schedule = new Cron(cron.pattern, { ...CRONER_OPTIONS, ...zone.croner });
  // parseAwsCron writes a field that holds every value as "*" (however it was written: 0-59, */1).
  const [, minutes, hours] = cron.pattern.split(" ");
  const allMinutes = minutes === "*";
  const allHours = hours === "*";

  const dayMatches = (t: number): boolean => {
    if (cron.lastDayOffset === undefined) return true;
    const local = localTime(zone, t);
    return local.day === daysInMonth(local.year, local.month) - cron.lastDayOffset;
  };
  const contains = (t: number) => schedule.match(new Date(t)) && dayMatches(t);

  return {
    label,
    contains,
    nextStart: (t, limit) => {
      let at = t;
      while (at < limit) {
        if (schedule.match(new Date(at))) {
          if (dayMatches(at)) return at;
          at = startOfNextDay(zone, at);
          continue;
        }
        // croner skips minutes that a DST change leaves out, and finds both copies of a repeated one.
        const next = schedule.nextRun(new Date(at));
        if (!next) return undefined;
        at = Math.floor(next.getTime() / MINUTE_MS) * MINUTE_MS;
      }
      return undefined;
    },
    nextEnd: (t, limit) => {
      // The minutes, hours and days fields are independent, so step by the coarsest unit that is
      // known to be all inside: a stretch of minutes ends within the hour unless every minute
      // matches, and within the day unless every hour does.
      let at = t;
      while (at < limit && contains(at)) {
        if (!allMinutes) at += MINUTE_MS;
        else if (!allHours) at += HOUR_MS - localTime(zone, at).minute * MINUTE_MS;
        else at = startOfNextDay(zone, at);
      }
      return at < limit ? at : undefined;
    },
  };
};

/** The end of the stretch of `windows` (overlapping or back to back) that holds `t`; `t` when none does. */
export const stretchEnd = (windows: readonly Window[], t: number, limit: number): number | undefined => {
  let at = t;
  for (;;) {
    const holding = windows.find((w) => w.contains(at));
    if (!holding) return at;
    const end = holding.nextEnd(at, limit);
    if (end === undefined) return undefined;
    at = end;
  }
};

/** `window` with the minutes of `except` (waivers) taken out. */
export const exceptDuring = (window: Window, except: readonly Window[]): Window => {
  if (except.length === 0) return window;
  const excepted = (t: number) => except.some((w) => w.contains(t));
  return {
    label: window.label,
    contains: (t) => window.contains(t) && !excepted(t),
    nextStart: (t, limit) => {
      let at: number | undefined = t;
      // Each round skips past one stretch of waivers; there are finitely many.
      for (let round = 0; round <= except.length && at !== undefined; round++) {
        const start = window.nextStart(at, limit);
        if (start === undefined || !excepted(start)) return start;
        at = stretchEnd(except, start, limit);
      }
      return undefined;
    },
    nextEnd: (t, limit) => {
      // A minute outside `window` or waived needs no case of its own: `window.nextEnd` or the
      // waiver's `nextStart` returns it.
      const ends = [window.nextEnd(t, limit), ...except.map((w) => w.nextStart(t, limit))];
      const found = ends.filter((end) => end !== undefined);
      return found.length > 0 ? Math.min(...found) : undefined;
    },
  };
};

const pad = (n: number) => String(n).padStart(2, "0");
const clock = (minuteOfDay: number) => `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;

/** How a window without a reason is named in messages. */
export const describeWindow = (spec: WindowSpec): string => {
  switch (spec.kind) {
    case "cron":
      return spec.cron.source.trim().split(/\s+/).join(" ");
    case "weekly": {
      const days = spec.daysText ?? "every day";
      if (spec.start === 0 && spec.end === 1440) return days;
      return `${days} ${clock(spec.start)}-${clock(spec.end)}`;
    }
    case "range":
      return spec.fromText === spec.toText ? spec.fromText : `${spec.fromText} to ${spec.toText}`;
  }
};

/** The instants a one-off range starts and ends at, in the rule's zone. */
export const rangeBounds = (spec: LocalRange, zone: Zone): [number, number] => [
  instantAt(zone, spec.from.date, spec.from.minuteOfDay),
  spec.to.minuteOfDay === undefined
    ? instantAt(zone, addDays(spec.to.date, 1), 0)
    : instantAt(zone, spec.to.date, spec.to.minuteOfDay),
];

/** Builds the window a validated spec describes, in the rule's zone. */
export const compileWindow = (spec: WindowSpec, zone: Zone): Window => {
  const label = JSON.stringify(spec.reason ?? describeWindow(spec));
  switch (spec.kind) {
    case "cron":
      return cronWindow(label, zone, spec.cron);
    case "weekly":
      return weeklyWindow(label, zone, spec.days, spec.start, spec.end);
    case "range":
      return rangeWindow(label, ...rangeBounds(spec, zone));
  }
};
