import { stretchEnd, type Window } from "./windows.js";

/** What GetCalendarState said about one change calendar at the decision time. */
export interface CalendarState {
  name: string;
  state: "OPEN" | "CLOSED";
  /** When the state flips; after that, the calendar's state is not known. Absent: no change scheduled. */
  nextTransition?: number;
}

/** Everything that decides whether a stage may enter at a given minute. */
export interface Gate {
  allow: readonly Window[];
  deny: readonly Window[];
  calendars: readonly CalendarState[];
  /** Waivers that also open the gate while a calendar is CLOSED (`waiversOverrideCalendars`). */
  calendarWaivers?: readonly Window[];
}

export type Blocker =
  | { kind: "deny"; window: Window }
  | { kind: "allow" }
  | { kind: "calendar"; calendar: CalendarState };

/** Whether a calendar is open at `t`, and whether that is known or only that its last change flipped it. */
const calendarAt = (calendar: CalendarState, t: number) =>
  calendar.nextTransition === undefined || t < calendar.nextTransition
    ? { open: calendar.state === "OPEN", known: true }
    : { open: calendar.state !== "OPEN", known: false };

const calendarWaived = (gate: Gate, t: number) => gate.calendarWaivers?.some((w) => w.contains(t)) ?? false;

/** The first minute at or after `t` when the calendar is not (known to be) OPEN, waivers aside. */
const calendarClosedFrom = (calendar: CalendarState, t: number): number | undefined => {
  if (!calendarAt(calendar, t).open) return t;
  const next = calendar.nextTransition;
  return calendar.state === "OPEN" && next !== undefined && next > t ? next : undefined;
};

/** The first minute at or after `t` when the calendar blocks: not OPEN and not under a waiver. */
const calendarBlocksFrom = (gate: Gate, calendar: CalendarState, t: number, limit: number) => {
  const waivers = gate.calendarWaivers ?? [];
  let at: number | undefined = t;
  for (let round = 0; round <= waivers.length && at !== undefined; round++) {
    const closed = calendarClosedFrom(calendar, at);
    if (closed === undefined || closed >= limit) return undefined;
    if (!calendarWaived(gate, closed)) return closed;
    at = stretchEnd(waivers, closed, limit);
  }
  return undefined;
};

export const blockersAt = (gate: Gate, t: number): Blocker[] => [
  ...gate.deny.filter((w) => w.contains(t)).map((window) => ({ kind: "deny" as const, window })),
  ...(gate.allow.length > 0 && !gate.allow.some((w) => w.contains(t)) ? [{ kind: "allow" as const }] : []),
  ...gate.calendars
    .filter((c) => !calendarAt(c, t).open && !calendarWaived(gate, t))
    .map((calendar) => ({ kind: "calendar" as const, calendar })),
];

export interface Closing {
  /** When the stage stops being allowed; undefined when not before `limit`. */
  at?: number;
  /** What closes it: `deny "x" begins`, `allow "x" ends`, `change calendar "x" closes`. */
  cause?: string;
}

/** Until when an allowed minute `t` stays allowed. */
export const openUntil = (gate: Gate, t: number, limit: number): Closing => {
  let closing: Closing = {};
  const consider = (at: number | undefined, cause: string) => {
    if (at !== undefined && at < limit && (closing.at === undefined || at < closing.at))
      closing = { at, cause };
  };
  for (const window of gate.deny) consider(window.nextStart(t, limit), `deny ${window.label} begins`);
  if (gate.allow.length > 0) {
    // The allow windows together: follow overlapping and back-to-back windows to the end of the stretch.
    let end = t;
    let last: Window | undefined;
    for (;;) {
      let furthest = end;
      for (const window of gate.allow) {
        if (!window.contains(end)) continue;
        const windowEnd = window.nextEnd(end, limit) ?? limit;
        if (windowEnd > furthest) {
          furthest = windowEnd;
          last = window;
        }
      }
      if (furthest === end || furthest >= limit) {
        end = furthest;
        break;
      }
      end = furthest;
    }
    if (last) consider(end, `allow ${last.label} ends`);
  }
  for (const calendar of gate.calendars) {
    const at = calendarBlocksFrom(gate, calendar, t, limit);
    const name = JSON.stringify(calendar.name);
    if (at !== undefined) {
      consider(
        at,
        at === calendar.nextTransition
          ? `change calendar ${name} closes`
          : `a waiver ends while change calendar ${name} is CLOSED`,
      );
    }
  }
  return closing;
};

export type Opening =
  | {
      kind: "opens";
      at: number;
      closing: Closing;
      /** Calendars that open before `at` and are taken to stay open, which GetCalendarState cannot confirm. */
      assumed: CalendarState[];
    }
  | {
      kind: "never";
      /** Where the search stopped: the horizon, or earlier when it ran out of steps. */
      searchedUntil: number;
      /** The longest stretch it was open for, when every one was shorter than the runway. */
      longest?: { from: number; to: number };
    }
  /** A calendar stays closed with nothing scheduled, or closes and its state after that is not known. */
  | { kind: "unknown"; calendar: CalendarState };

/**
 * The first minute at or after `from` when the stage is allowed for at least `runwayMs`. Each thing
 * that blocks stays blocking until its own next change, so the search jumps to the latest of those.
 */
export const nextOpening = (gate: Gate, from: number, limit: number, runwayMs: number): Opening => {
  let t = from;
  let longest: { from: number; to: number } | undefined;
  const never = (): Opening => ({
    kind: "never",
    searchedUntil: Math.min(t, limit),
    ...(longest ? { longest } : {}),
  });
  for (let step = 0; step < 10_000 && t < limit; step++) {
    let jump = t;
    let blocked = false;
    for (const window of gate.deny) {
      if (!window.contains(t)) continue;
      blocked = true;
      const end = window.nextEnd(t, limit);
      if (end === undefined) {
        t = limit;
        return never();
      }
      jump = Math.max(jump, end);
    }
    if (gate.allow.length > 0 && !gate.allow.some((w) => w.contains(t))) {
      blocked = true;
      const starts = gate.allow.map((w) => w.nextStart(t, limit)).filter((s) => s !== undefined);
      if (starts.length === 0) {
        t = limit;
        return never();
      }
      jump = Math.max(jump, Math.min(...starts));
    }
    for (const calendar of gate.calendars) {
      const state = calendarAt(calendar, t);
      if (state.open || calendarWaived(gate, t)) continue;
      blocked = true;
      const known = state.known ? calendar.nextTransition : undefined;
      const waivers = (gate.calendarWaivers ?? []).map((w) => w.nextStart(t, limit));
      const candidates = [known, ...waivers].filter((at) => at !== undefined);
      if (candidates.length === 0) return { kind: "unknown", calendar };
      jump = Math.max(jump, Math.min(...candidates));
    }
    if (!blocked) {
      // Look past the horizon by the runway: an opening just before it must still be open long enough.
      const closing = openUntil(gate, t, limit + runwayMs);
      if (closing.at === undefined || closing.at - t >= runwayMs) {
        const assumed = gate.calendars.filter((c) => c.nextTransition !== undefined && c.nextTransition < t);
        return { kind: "opens", at: t, closing, assumed };
      }
      if (!longest || closing.at - t > longest.to - longest.from) longest = { from: t, to: closing.at };
      jump = closing.at;
    }
    t = jump;
  }
  return never();
};
