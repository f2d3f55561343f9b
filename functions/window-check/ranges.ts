import { daysInMonth, type LocalDate } from "./zone.js";

/** A problem with one value, at a path relative to the object that holds it. */
export type Issue = { message: string; path?: PropertyKey[] };

/** A one-off interval in the rule's time zone, as validated; not yet placed on the time line. */
export interface LocalRange {
  from: { date: LocalDate; minuteOfDay: number };
  /** Without a time the whole `to` day is inside. */
  to: { date: LocalDate; minuteOfDay?: number };
  fromText: string;
  toText: string;
}

export const quote = (value: unknown) => JSON.stringify(value) ?? String(value);

const CLOCK = /^(\d{2}):(\d{2})$/;
/** "HH:MM" → minutes since midnight; "24:00" only where `allowEndOfDay`. */
export const parseClock = (text: string, allowEndOfDay: boolean): number | undefined => {
  const match = CLOCK.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  if (Number(match[2]) > 59) return undefined;
  if (minutes < 1440 || (allowEndOfDay && minutes === 1440)) return minutes;
  return undefined;
};

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?$/;
const parseDateTime = (text: string): { date: LocalDate; minuteOfDay?: number } | undefined => {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) {
    return undefined;
  }
  if (match[4] === undefined) return { date };
  const minuteOfDay = parseClock(match[4], false);
  return minuteOfDay === undefined ? undefined : { date, minuteOfDay };
};

/** `from` and `to` as dates or date-times in the rule's time zone, `from` strictly first. */
export const parseRange = (fromText: string, toText: string): LocalRange | Issue => {
  const expected = (text: string) =>
    `expected a date "YYYY-MM-DD" or a date and time "YYYY-MM-DDTHH:MM" in the rule's time zone; got ${quote(text)}`;
  const from = parseDateTime(fromText);
  if (!from) return { message: expected(fromText), path: ["from"] };
  const to = parseDateTime(toText);
  if (!to) return { message: expected(toText), path: ["to"] };
  // Compare as wall-clock readings; a date-only `to` ends at the end of its day.
  const key = (date: LocalDate, minute: number) => Date.UTC(date.year, date.month - 1, date.day, 0, minute);
  if (key(from.date, from.minuteOfDay ?? 0) >= key(to.date, to.minuteOfDay ?? 1440)) {
    return { message: `"from" ${quote(fromText)} must be before "to" ${quote(toText)}`, path: ["to"] };
  }
  return { from: { date: from.date, minuteOfDay: from.minuteOfDay ?? 0 }, to, fromText, toText };
};
