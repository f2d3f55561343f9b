import ICAL from "ical.js";
import { scanCalendar } from "./ics-lines.js";
import { instantAt, MINUTE_MS, parseTimeZone, type Zone } from "./zone.js";

/** One VEVENT's occurrences that touch the search interval, as instants; named by its SUMMARY. */
export interface CalendarEvent {
  summary: string;
  /** [start, end) on whole minutes, sorted, not overlapping. */
  intervals: [number, number][];
}

export type ExpandedCalendar = { events: CalendarEvent[] } | { error: string; line?: number };

/**
 * Occurrences walked per event, from its first one (ical.js cannot skip ahead): a daily event
 * since 1900 is 46 000, about a second. A rule that needs more to reach the end of the search
 * (hourly since 2010) is refused rather than cut short, which would leave later occurrences out:
 * a deny that silently stops blocking.
 */
const MAX_OCCURRENCES = 50_000;

class CalendarError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Whole minutes: a start is rounded down, an end up, so that an event's every second is covered. */
const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Places a time from the file on the time line: all-day dates and floating times (no TZID) in the
 * rule's zone, UTC times as they are, TZID times in that IANA zone or, failing that, in the
 * file's own VTIMEZONE of that name.
 */
const toInstant = (
  time: ICAL.Time,
  tzid: string | undefined,
  ruleZone: Zone,
  vtimezones: Map<string, ICAL.Timezone>,
  line: number | undefined,
): number => {
  const date = { year: time.year, month: time.month, day: time.day };
  if (time.isDate) return instantAt(ruleZone, date, 0);
  const minuteOfDay = time.hour * 60 + time.minute;
  const seconds = time.second * 1000;
  if (time.zone === ICAL.Timezone.utcTimezone) {
    return Date.UTC(time.year, time.month - 1, time.day, 0, minuteOfDay) + seconds;
  }
  if (tzid === undefined) return instantAt(ruleZone, date, minuteOfDay) + seconds;
  const iana = parseTimeZone(tzid);
  if (typeof iana !== "string") return instantAt(iana, date, minuteOfDay) + seconds;
  const own = vtimezones.get(tzid);
  if (!own) {
    throw new CalendarError(
      `TZID ${JSON.stringify(tzid)} is neither an IANA time zone nor defined by a VTIMEZONE in the file`,
      line,
    );
  }
  return Date.UTC(time.year, time.month - 1, time.day, 0, minuteOfDay) + seconds - own.utcOffset(time) * 1000;
};

/** The TZID a property was written with, if any. */
const tzidOf = (component: ICAL.Component, name: string): string | undefined => {
  const value = component.getFirstProperty(name)?.getParameter("tzid");
  return typeof value === "string" ? value : undefined;
};

const mergeIntervals = (intervals: [number, number][]): [number, number][] => {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
};

/**
 * Parses an iCalendar file and expands each VEVENT (RRULE, RDATE, EXDATE and RECURRENCE-ID
 * overrides) into the occurrences that overlap [from, to). A file that does not parse gives an
 * error naming the line.
 */
export const expandCalendar = (
  file: string,
  ruleZone: Zone,
  from: number,
  to: number,
  maxOccurrences = MAX_OCCURRENCES,
): ExpandedCalendar => {
  const text = file.replace(/^\uFEFF/, "");
  const scanned = scanCalendar(text);
  if ("error" in scanned) return scanned;
  try {
    let root: ICAL.Component;
    try {
      root = new ICAL.Component(ICAL.parse(text) as unknown[]);
    } catch (error) {
      throw new CalendarError((error as Error).message);
    }
    const vtimezones = new Map<string, ICAL.Timezone>();
    for (const component of root.getAllSubcomponents("vtimezone")) {
      const tzid = component.getFirstPropertyValue("tzid");
      if (typeof tzid === "string") vtimezones.set(tzid, new ICAL.Timezone(component));
    }
    const vevents = root.getAllSubcomponents("vevent");
    const lines = new Map(vevents.map((component, index) => [component, scanned.eventLines[index]]));
    const lineOf = (component: ICAL.Component) => lines.get(component);
    // Overrides (RECURRENCE-ID) belong to the series with their UID.
    const overrides = vevents.filter((v) => v.hasProperty("recurrence-id"));
    const masters = vevents.filter((v) => !v.hasProperty("recurrence-id"));
    const masterUids = new Set(masters.map((v) => v.getFirstPropertyValue("uid")));
    const overridesByUid = new Map<unknown, ICAL.Component[]>();
    for (const override of overrides) {
      const uid = override.getFirstPropertyValue("uid");
      overridesByUid.set(uid, [...(overridesByUid.get(uid) ?? []), override]);
    }
    const series = [...masters, ...overrides.filter((v) => !masterUids.has(v.getFirstPropertyValue("uid")))];

    const byName = new Map<string, [number, number][]>();
    for (const component of series) {
      const line = lineOf(component);
      if (!component.hasProperty("dtstart")) throw new CalendarError("VEVENT has no DTSTART", line);
      // Given the overrides explicitly: by default ical.js relates every RECURRENCE-ID in the file,
      // whatever its UID, walking all events for each one.
      const uid = component.getFirstPropertyValue("uid");
      const exceptions = component.hasProperty("recurrence-id") ? [] : (overridesByUid.get(uid) ?? []);
      const event = new ICAL.Event(component, { exceptions, strictExceptions: true });
      const place = (item: ICAL.Event, start: ICAL.Time, end: ICAL.Time): void => {
        const startTz = tzidOf(item.component, "dtstart");
        const at = floorMinute(toInstant(start, startTz, ruleZone, vtimezones, line));
        const endTz = item.component.hasProperty("dtend") ? tzidOf(item.component, "dtend") : startTz;
        // An event without an end blocks the minute it is at.
        const until = Math.max(ceilMinute(toInstant(end, endTz, ruleZone, vtimezones, line)), at + MINUTE_MS);
        if (until <= from) return;
        const name = item.summary || `untitled event on line ${lineOf(item.component) ?? line}`;
        const list = byName.get(name) ?? [];
        list.push([at, until]);
        byName.set(name, list);
      };
      if (!event.isRecurring()) {
        place(event, event.startDate, event.endDate);
        continue;
      }
      const iterator = event.iterator();
      for (let count = 0; ; count++) {
        const next = iterator.next();
        if (!next) break;
        const details = event.getOccurrenceDetails(next);
        const startTz = tzidOf(details.item.component, "dtstart");
        if (toInstant(details.startDate, startTz, ruleZone, vtimezones, line) >= to) break;
        if (count === maxOccurrences) {
          throw new CalendarError(
            `the event repeats more than ${maxOccurrences} times before the end of the search (a year ahead); start the series later or repeat it less often`,
            line,
          );
        }
        place(details.item, details.startDate, details.endDate);
      }
    }
    const events = [...byName].map(([summary, intervals]) => ({
      summary,
      intervals: mergeIntervals(intervals.filter(([start]) => start < to)),
    }));
    return { events: events.filter((e) => e.intervals.length > 0) };
  } catch (error) {
    if (error instanceof CalendarError) {
      return error.line === undefined ? { error: error.message } : { error: error.message, line: error.line };
    }
    return { error: error instanceof Error ? error.message : String(error) };
  }
};
