import * as z from "zod";
import { plural } from "../../shared/index.js";
import { type Issue, type LocalRange, parseRange, quote } from "./ranges.js";
import { rangeBounds, rangeWindow, type Window } from "./windows.js";
import { formatTime, MINUTE_MS, type Zone } from "./zone.js";

/** An approved exception: the gate opens inside a freeze or outside the allow windows, for this interval only. */
export interface WaiverSpec extends LocalRange {
  reason: string;
  ticket: string;
  approvedBy: string;
}

export const DEFAULT_MAX_WAIVER_HOURS = 24;

const text = (name: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `"${name}" must not be empty`)
    .max(max, `"${name}" must be at most ${max} characters`);

const waiverObject = z.strictObject({
  from: z.string(),
  to: z.string(),
  reason: text("reason", 200),
  ticket: text("ticket", 100),
  approvedBy: text("approvedBy", 100),
});

/** One waiver: its interval in the rule's time zone, and who approved it for what. */
export const waiverSchema = waiverObject.transform((value, ctx): WaiverSpec => {
  const range = parseRange(value.from, value.to);
  if ("message" in range) {
    const issue: Issue = range;
    ctx.addIssue({ code: "custom", message: issue.message, path: [...(issue.path ?? [])] });
    return z.NEVER;
  }
  return { ...range, reason: value.reason, ticket: value.ticket, approvedBy: value.approvedBy };
});

/**
 * Issues for waivers longer than `maxHours`, measured on the time line of the rule's zone (a
 * night with a DST change is an hour shorter or longer).
 */
export const overlongWaivers = (
  waivers: readonly (WaiverSpec | undefined)[],
  zone: Zone,
  maxHours: number,
): Issue[] =>
  waivers.flatMap((waiver, index) => {
    if (!waiver) return [];
    const [start, end] = rangeBounds(waiver, zone);
    const minutes = Math.round((end - start) / MINUTE_MS);
    if (minutes <= maxHours * 60) return [];
    // In hours, as maxWaiverHours is.
    const length = `${plural(Math.floor(minutes / 60), "hour")}${minutes % 60 ? ` ${plural(minutes % 60, "minute")}` : ""}`;
    return [
      {
        message: `waiver ${waiver.ticket} lasts ${length} (${quote(waiver.fromText)} to ${quote(waiver.toText)}); maxWaiverHours is ${maxHours}: split it or raise maxWaiverHours`,
        path: ["waivers", index, "to"],
      },
    ];
  });

/** A waiver placed on the time line. */
export interface Waiver {
  spec: WaiverSpec;
  window: Window;
  start: number;
  end: number;
}

export const compileWaiver = (spec: WaiverSpec, zone: Zone): Waiver => {
  const [start, end] = rangeBounds(spec, zone);
  return { spec, window: rangeWindow(`waiver ${spec.ticket}`, start, end), start, end };
};

/** The line a user sees when a waiver lets the stage in. */
export const passedUnder = (waiver: Waiver, zone: Zone): string =>
  `Passed under waiver ${waiver.spec.ticket} approved by ${waiver.spec.approvedBy} until ${formatTime(zone, waiver.end)}: ${waiver.spec.reason}`;

/** Waivers that are over: named so that someone removes them; they change nothing. */
export const staleLines = (waivers: readonly Waiver[], zone: Zone, t: number): string[] =>
  waivers
    .filter((w) => w.end <= t)
    .map(
      (w) =>
        `Stale waiver ${w.spec.ticket} (approved by ${w.spec.approvedBy}) ended at ${formatTime(zone, w.end)}; remove it from waivers.`,
    );
