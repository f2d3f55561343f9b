import type { CalendarSpec } from "./calendar-spec.js";
import type { WindowSpec } from "./params.js";
import { describeWindow, rangeBounds, type Window } from "./windows.js";
import { formatTime, type Zone } from "./zone.js";

/** The dialect has no year after 2199: no cron matches a minute after this. */
const END_OF_CRON_YEARS = Date.UTC(2200, 0, 2);

const EFFECT = {
  allow: "an allow window that never matches would never let a stage in",
  deny: "a deny window that never matches would never block",
} as const;

/**
 * One line per window (`deny[1]: …`) that can never match again from `t` on: a past year, a
 * one-off range that is over. Such a window is a typo or left over; as a deny it would silently
 * fail open, so it is a configuration error rather than a no-op. A window whose next minute is
 * merely beyond the search (a leap day, next year's freeze) is fine: it will apply in time.
 */
export const neverMatching = (
  key: "allow" | "deny",
  specs: readonly (WindowSpec | CalendarSpec)[],
  windows: readonly (Window | undefined)[],
  zone: Zone,
  t: number,
  limit: number,
): string[] =>
  specs.flatMap((spec, index) => {
    const window = windows[index];
    // A calendar without events ahead is said in the summary: next year's file may be uploaded later.
    if (spec.kind === "ics" || !window || window.nextStart(t, limit) !== undefined) return [];
    const name = `${JSON.stringify(describeWindow(spec))}${spec.reason ? ` (${JSON.stringify(spec.reason)})` : ""}`;
    let when: string;
    if (spec.kind === "range") {
      const [, end] = rangeBounds(spec, zone);
      if (end > t) return [];
      when = `ended at ${formatTime(zone, end)}, before now`;
    } else {
      if (window.nextStart(limit, END_OF_CRON_YEARS) !== undefined) return [];
      when = `matches no minute after ${formatTime(zone, t)}`;
    }
    return [`${key}[${index}]: ${name} ${when}: ${EFFECT[key]}. Remove it or correct it.`];
  });
