import { plural } from "../../shared/index.js";
import type { Params } from "./params.js";
import type { Blocker, CalendarState, Opening } from "./schedule.js";
import type { Window } from "./windows.js";
import { formatTime, MINUTE_MS, type Zone } from "./zone.js";

/** How the rule's messages put its decisions into words. */

export const joinAnd = (parts: readonly string[]): string =>
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

/** "by deny "x" and outside allow window "y"": `allow` is the user's allow windows, without waivers. */
export const describeBlockers = (allow: readonly Window[], blockers: readonly Blocker[]): string => {
  const parts = blockers.map((blocker) => {
    if (blocker.kind === "deny") return `by deny ${blocker.window.label}`;
    if (blocker.kind === "calendar") return `by change calendar ${calendarName(blocker.calendar)} (CLOSED)`;
    return allow.length === 1
      ? `outside allow window ${allow[0]?.label}`
      : `outside every allow window (${allow.map((w) => w.label).join(", ")})`;
  });
  return joinAnd(parts);
};

/** The sentence about the next opening; `waiver` names the waiver that opens it, if one does. */
export const describeOpening = (zone: Zone, opening: Opening, limit: number, waiver?: string): string => {
  switch (opening.kind) {
    case "opens": {
      const opens = `Opens ${formatTime(zone, opening.at)}${waiver ? ` under waiver ${waiver}` : ""}`;
      const assumed = opening.assumed.map((c) => `change calendar ${calendarName(c)}`);
      return assumed.length === 0
        ? `${opens}.`
        : `${opens}, if ${joinAnd(assumed)} ${
            assumed.length === 1 ? "has" : "have"
          } not closed again by then: GetCalendarState tells only a calendar's next change.`;
    }
    case "never":
      return opening.searchedUntil >= limit
        ? `It does not open within a year (searched until ${formatTime(zone, limit)}).`
        : `It does not open before ${formatTime(zone, opening.searchedUntil)}, as far as the search went.`;
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
export const calendarNotes = (zone: Zone, blockers: readonly Blocker[]): string[] =>
  blockers.flatMap((blocker) =>
    blocker.kind === "calendar" && blocker.calendar.nextTransition !== undefined
      ? [
          `Change calendar ${calendarName(blocker.calendar)} is CLOSED until ${formatTime(zone, blocker.calendar.nextTransition)}.`,
        ]
      : [],
  );

/** "OPEN", "all OPEN", or how many are CLOSED when a waiver let the stage in anyway. */
const calendarStates = (calendars: readonly CalendarState[]): string => {
  const closed = calendars.filter((c) => c.state === "CLOSED").length;
  if (closed > 0) return `${closed} CLOSED, overridden by the waiver`;
  return calendars.length === 1 ? "OPEN" : "all OPEN";
};

/** `files`: each iCalendar file as "holidays.ics (12 events in the next year)". */
export const checkedLine = (
  params: Params,
  calendars: readonly CalendarState[],
  files: readonly string[] = [],
): string => {
  const allow = params.allow?.length ?? 0;
  const deny = (params.deny ?? []).filter((spec) => spec.kind !== "ics").length;
  const waivers = params.waivers?.length ?? 0;
  const parts = [
    allow ? plural(allow, "allow window") : "",
    deny ? plural(deny, "deny window") : "",
    files.length ? `${files.length === 1 ? "iCalendar file" : "iCalendar files"} ${joinAnd(files)}` : "",
    calendars.length ? `${plural(calendars.length, "change calendar")} (${calendarStates(calendars)})` : "",
    waivers ? plural(waivers, "waiver") : "",
  ].filter(Boolean);
  const runway = params.runwayMinutes ? `, with ${plural(params.runwayMinutes, "minute")} of runway` : "";
  return `Checked ${joinAnd(parts)} in ${params.timeZone.name}${runway}.`;
};
