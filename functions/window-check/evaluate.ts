import type { Verdict } from "../../shared/index.js";
import { plural } from "../../shared/index.js";
import { type CalendarSpec, eventLabel, type LoadedCalendar } from "./calendar-spec.js";
import { calendarNotes, checkedLine, describeBlockers, describeOpening, formatDuration } from "./messages.js";
import type { Params } from "./params.js";
import { neverMatching } from "./reachable.js";
import {
  blockersAt,
  type CalendarState,
  type Closing,
  type Gate,
  nextOpening,
  type Opening,
  openUntil,
} from "./schedule.js";
import { compileWaiver, passedUnder, staleLines, type Waiver } from "./waivers.js";
import { compileWindow, exceptDuring, intervalsWindow, stretchEnd, type Window } from "./windows.js";
import { DAY_MS, formatTime, MINUTE_MS, type Zone } from "./zone.js";

/** What `load` gathers: the change calendars' states at the decision time, and the iCalendar files' events. */
export interface WindowInput {
  calendars: CalendarState[];
  /** One per iCalendar deny entry. */
  icsCalendars?: LoadedCalendar[];
}

/** How far ahead the next opening is searched. */
export const HORIZON_MS = 366 * DAY_MS;

/** For the shared runtime's metrics and decision records: minutes until it opens, when known. */
const untilOpen = (next: Opening, t: number): Record<string, number> =>
  next.kind === "opens" ? { MinutesUntilOpen: Math.ceil((next.at - t) / MINUTE_MS) } : {};

/**
 * When every stretch the windows are open within the horizon is shorter than the runway, the stage
 * can never enter: that is the configuration, not the moment, so it says so instead of "blocked".
 */
const runwayNeverFits = (
  zone: Zone,
  opening: Opening,
  params: Params,
  limit: number,
): Verdict | undefined => {
  if (opening.kind !== "never" || !opening.longest || opening.searchedUntil < limit) return undefined;
  const { from, to } = opening.longest;
  const runway = params.runwayMinutes;
  const longestMinutes = Math.round((to - from) / MINUTE_MS);
  return {
    pass: false,
    type: "ConfigurationError",
    message:
      `It never opens with runwayMinutes ${runway} (${formatDuration(runway * MINUTE_MS)}): within a year the windows ` +
      `are never open that long. The longest open stretch until ${formatTime(zone, limit)} is ${formatDuration(to - from)}, ` +
      `from ${formatTime(zone, from)} to ${formatTime(zone, to)}. ` +
      `Lower runwayMinutes to ${longestMinutes} or less, or widen the windows.`,
  };
};

/**
 * The gate as configured (`plain`) and with the waivers applied (`gate`): a waiver is one more allow
 * window, a hole in every deny window, and, with `waiversOverrideCalendars`, in every calendar's
 * CLOSED time.
 */
export const buildGates = (
  params: Params,
  calendars: readonly CalendarState[],
  waivers: readonly Waiver[],
  icsCalendars: readonly LoadedCalendar[] = [],
) => {
  const zone = params.timeZone;
  const waiverWindows = waivers.map((w) => w.window);
  /** Per deny entry: its window, or one window per event of an iCalendar file. */
  const denyBySpec = (params.deny ?? []).map((spec): Window[] =>
    spec.kind === "ics"
      ? calendarEvents(spec, icsCalendars).map((e) =>
          intervalsWindow(eventLabel(e.summary, spec), e.intervals),
        )
      : [compileWindow(spec, zone)],
  );
  const plain: Gate = {
    allow: (params.allow ?? []).map((spec) => compileWindow(spec, zone)),
    deny: denyBySpec.flat(),
    calendars,
  };
  const gate: Gate = {
    allow: plain.allow.length > 0 ? [...plain.allow, ...waiverWindows] : [],
    deny: plain.deny.map((window) => exceptDuring(window, waiverWindows)),
    calendars,
    calendarWaivers: params.waiversOverrideCalendars ? waiverWindows : [],
  };
  return { plain, gate, denyBySpec };
};

/** The gates for what `load` read: one wiring, for `evaluate` and the command line's `next`. */
export const gatesFor = (input: WindowInput, params: Params) => {
  const waivers = (params.waivers ?? []).map((spec) => compileWaiver(spec, params.timeZone));
  return { waivers, ...buildGates(params, input.calendars, waivers, input.icsCalendars ?? []) };
};

/** The events `load` found for a calendar deny entry; a file it did not read is a bug, not "no events". */
const calendarEvents = (spec: CalendarSpec, loaded: readonly LoadedCalendar[]) => {
  const found = loaded.find((c) => c.location === spec.location);
  if (!found) throw new Error(`iCalendar file ${spec.location} was not loaded`);
  return found.events;
};

/** Each calendar file as "holidays.ics (12 events in the next year)": occurrences that start before `limit`. */
const fileCounts = (params: Params, loaded: readonly LoadedCalendar[], limit: number): string[] =>
  (params.deny ?? []).flatMap((spec) => {
    if (spec.kind !== "ics") return [];
    const count = calendarEvents(spec, loaded)
      .flatMap((e) => e.intervals)
      .filter(([start]) => start < limit).length;
    return [`${spec.fileName} (${plural(count, "event")} in the next year)`];
  });

/** "holidays.ics: no events in the next year", for each calendar file with nothing before `limit`. */
const emptyCalendarLines = (params: Params, loaded: readonly LoadedCalendar[], limit: number): string[] =>
  (params.deny ?? []).flatMap((spec) =>
    spec.kind === "ics" &&
    !calendarEvents(spec, loaded).some((e) => e.intervals.some(([start]) => start < limit))
      ? [`${spec.fileName}: no events in the next year.`]
      : [],
  );

/**
 * Decides at `now` (to the minute): blocked while any deny window holds, while no allow window does,
 * or while a change calendar is CLOSED, unless a waiver holds; with a runway, also when it would
 * close too soon.
 */
export const evaluate = (input: WindowInput, params: Params, now: Date): Verdict => {
  const zone = params.timeZone;
  const t = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const limit = t + HORIZON_MS;
  const runwayMs = params.runwayMinutes * MINUTE_MS;
  const files = input.icsCalendars ?? [];
  const { plain, gate, denyBySpec, waivers } = gatesFor(input, params);
  const at = formatTime(zone, t, true);

  const unmatched = [
    ...neverMatching("allow", params.allow ?? [], plain.allow, zone, t, limit),
    ...neverMatching(
      "deny",
      params.deny ?? [],
      denyBySpec.map((windows) => windows[0]),
      zone,
      t,
      limit,
    ),
  ];
  if (unmatched.length > 0) {
    return {
      pass: false,
      type: "ConfigurationError",
      message: `Invalid UserParameters:\n${unmatched.join("\n")}`,
    };
  }

  const stale = [...emptyCalendarLines(params, files, limit), ...staleLines(waivers, zone, t)];
  const waiverAt = (m: number) => waivers.find((w) => w.window.contains(m));
  /** The waiver that opens minute `m`, when without waivers it would be blocked. */
  const openedBy = (m: number) => (blockersAt(plain, m).length > 0 ? waiverAt(m) : undefined);
  const opening = (from: number): Verdict | { text: string; figures: Record<string, number> } => {
    const next = nextOpening(gate, from, limit, runwayMs);
    const never = runwayNeverFits(zone, next, params, limit);
    if (never) return never;
    const ticket = next.kind === "opens" ? openedBy(next.at)?.spec.ticket : undefined;
    return { text: describeOpening(zone, next, limit, ticket), figures: untilOpen(next, t) };
  };
  /** A waiver's end reads as what it is, not as the freeze it interrupted "beginning". */
  const causeOf = (closing: Closing & { at: number }) => {
    const active = waiverAt(t);
    const end =
      active &&
      stretchEnd(
        waivers.map((w) => w.window),
        t,
        limit,
      );
    return active && closing.at === end ? `waiver ${active.spec.ticket} ends` : closing.cause;
  };

  const blockers = blockersAt(gate, t);
  if (blockers.length > 0) {
    const next = opening(t);
    if ("pass" in next) return next;
    // Under a waiver only a CLOSED change calendar can still block (see buildGates), so it is the one to name.
    const active = waiverAt(t);
    const note = active
      ? [
          `Waiver ${active.spec.ticket} holds, but change calendars stay authoritative (waiversOverrideCalendars is false).`,
        ]
      : [];
    return {
      pass: false,
      message: [
        `Blocked ${describeBlockers(plain.allow, blockers)} at ${at}. ${next.text}`,
        ...calendarNotes(zone, blockers),
        ...note,
        ...stale,
      ].join("\n"),
      figures: next.figures,
    };
  }

  const closing = openUntil(gate, t, limit);
  if (closing.at !== undefined && closing.at - t < runwayMs) {
    const next = opening(closing.at);
    if ("pass" in next) return next;
    return {
      pass: false,
      message: [
        `Blocked by runway at ${at}: it closes at ${formatTime(zone, closing.at)} when ${causeOf({ ...closing, at: closing.at })}, ` +
          `${formatDuration(closing.at - t)} from now; runwayMinutes is ${params.runwayMinutes}. ${next.text}`,
        ...stale,
      ].join("\n"),
      figures: next.figures,
    };
  }
  const until =
    closing.at === undefined
      ? "and stays open for at least a year"
      : `until ${formatTime(zone, closing.at)}, when ${causeOf({ ...closing, at: closing.at })}`;
  const waiver = openedBy(t);
  const lines = waiver
    ? [
        passedUnder(waiver, zone),
        `Open at ${at} ${until}; without the waiver it is blocked ${describeBlockers(plain.allow, blockersAt(plain, t))}.`,
      ]
    : [`Open at ${at} ${until}.`];
  return {
    pass: true,
    summary: [
      ...lines,
      checkedLine(params, input.calendars, fileCounts(params, files, limit)),
      ...stale,
    ].join("\n"),
    figures: { MinutesUntilOpen: 0 },
  };
};
