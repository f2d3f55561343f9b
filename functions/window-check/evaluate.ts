import type { Verdict } from "../../shared/rule.js";
import { plural } from "../../shared/text.js";
import type { Params } from "./params.js";
import {
  type Blocker,
  blockersAt,
  type CalendarState,
  type Gate,
  nextOpening,
  type Opening,
  openUntil,
} from "./schedule.js";
import { compileWindow } from "./windows.js";
import { DAY_MS, formatTime, MINUTE_MS, type Zone } from "./zone.js";

/** What `load` gathers: the change calendars' states at the decision time. */
export interface WindowInput {
  calendars: CalendarState[];
}

/** How far ahead the next opening is searched. */
export const HORIZON_MS = 366 * DAY_MS;

const joinAnd = (parts: readonly string[]): string =>
  parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;

export const formatDuration = (ms: number): string => {
  const minutes = Math.round(ms / MINUTE_MS);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? plural(days, "day") : "",
    hours ? plural(hours, "hour") : "",
    rest || minutes === 0 ? plural(rest, "minute") : "",
  ];
  return parts.filter(Boolean).join(" ");
};

const calendarName = (calendar: CalendarState) => JSON.stringify(calendar.name);

const describeBlockers = (gate: Gate, blockers: readonly Blocker[]): string => {
  const parts = blockers.map((blocker) => {
    if (blocker.kind === "deny") return `by deny ${blocker.window.label}`;
    if (blocker.kind === "calendar") return `by change calendar ${calendarName(blocker.calendar)} (CLOSED)`;
    return gate.allow.length === 1
      ? `outside allow window ${gate.allow[0]?.label}`
      : `outside every allow window (${gate.allow.map((w) => w.label).join(", ")})`;
  });
  return joinAnd(parts);
};

const describeOpening = (zone: Zone, opening: Opening, limit: number): string => {
  switch (opening.kind) {
    case "opens": {
      const assumed = opening.assumed.map((c) => `change calendar ${calendarName(c)}`);
      return assumed.length === 0
        ? `Opens ${formatTime(zone, opening.at)}.`
        : `Opens ${formatTime(zone, opening.at)}, if ${joinAnd(assumed)} ${
            assumed.length === 1 ? "has" : "have"
          } not closed again by then: GetCalendarState tells only a calendar's next change.`;
    }
    case "never":
      return `It does not open within a year (searched until ${formatTime(zone, limit)}).`;
    case "unknown": {
      const { calendar } = opening;
      return calendar.state === "CLOSED"
        ? `When it opens is not known: change calendar ${calendarName(calendar)} is CLOSED with no change scheduled.`
        : `When it opens is not known: change calendar ${calendarName(calendar)} closes at ${formatTime(
            zone,
            calendar.nextTransition ?? 0,
          )} and GetCalendarState does not say when it opens again.`;
    }
  }
};

/** Later lines: when each closed calendar opens, as GetCalendarState said. */
const calendarNotes = (zone: Zone, blockers: readonly Blocker[]): string[] =>
  blockers.flatMap((blocker) =>
    blocker.kind === "calendar" && blocker.calendar.nextTransition !== undefined
      ? [
          `Change calendar ${calendarName(blocker.calendar)} is CLOSED until ${formatTime(zone, blocker.calendar.nextTransition)}.`,
        ]
      : [],
  );

const checkedLine = (gate: Gate, params: Params): string => {
  const parts = [
    gate.allow.length ? plural(gate.allow.length, "allow window") : "",
    gate.deny.length ? plural(gate.deny.length, "deny window") : "",
    gate.calendars.length
      ? `${plural(gate.calendars.length, "change calendar")} (${gate.calendars.length === 1 ? "OPEN" : "all OPEN"})`
      : "",
  ].filter(Boolean);
  const runway = params.runwayMinutes ? `, with ${plural(params.runwayMinutes, "minute")} of runway` : "";
  return `Checked ${joinAnd(parts)} in ${params.timeZone.name}${runway}.`;
};

/** For the shared runtime's metrics and decision records: minutes until it opens, when known. */
const untilOpen = (next: Opening, t: number): Record<string, number> =>
  next.kind === "opens" ? { MinutesUntilOpen: Math.ceil((next.at - t) / MINUTE_MS) } : {};

/**
 * Decides at `now` (to the minute): blocked while any deny window holds, while no allow window does,
 * or while a change calendar is CLOSED; with a runway, also when it would close too soon.
 */
export const evaluate = (input: WindowInput, params: Params, now: Date): Verdict => {
  const zone = params.timeZone;
  const t = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const limit = t + HORIZON_MS;
  const runwayMs = params.runwayMinutes * MINUTE_MS;
  const gate: Gate = {
    allow: (params.allow ?? []).map((spec) => compileWindow(spec, zone)),
    deny: (params.deny ?? []).map((spec) => compileWindow(spec, zone)),
    calendars: input.calendars,
  };
  const at = formatTime(zone, t, true);

  const blockers = blockersAt(gate, t);
  if (blockers.length > 0) {
    const next = nextOpening(gate, t, limit, runwayMs);
    const opening = describeOpening(zone, next, limit);
    return {
      pass: false,
      message: [
        `Blocked ${describeBlockers(gate, blockers)} at ${at}. ${opening}`,
        ...calendarNotes(zone, blockers),
      ].join("\n"),
      figures: untilOpen(next, t),
    };
  }

  const closing = openUntil(gate, t, limit);
  if (closing.at !== undefined && closing.at - t < runwayMs) {
    const next = nextOpening(gate, closing.at, limit, runwayMs);
    const opening = describeOpening(zone, next, limit);
    return {
      pass: false,
      message:
        `Blocked by runway at ${at}: it closes at ${formatTime(zone, closing.at)} when ${closing.cause}, ` +
        `${formatDuration(closing.at - t)} from now; runwayMinutes is ${params.runwayMinutes}. ${opening}`,
      figures: untilOpen(next, t),
    };
  }
  const until =
    closing.at === undefined
      ? "and stays open for at least a year"
      : `until ${formatTime(zone, closing.at)}, when ${closing.cause}`;
  return {
    pass: true,
    summary: `Open at ${at} ${until}.\n${checkedLine(gate, params)}`,
    figures: { MinutesUntilOpen: 0 },
  };
};
