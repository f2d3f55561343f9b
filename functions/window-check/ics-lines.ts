import ICAL from "ical.js";

/**
 * A line-by-line check of an iCalendar file before ical.js reads it: ical.js reports neither
 * line numbers nor malformed dates (it reads "2026XX25" as a date), and a user fixes a file by line.
 */

export type Scanned = { eventLines: number[] } | { error: string; line: number };

interface ContentLine {
  text: string;
  /** 1-based number of the physical line it starts on. */
  line: number;
}

/** RFC 5545 3.1: a line starting with a space or tab continues the previous one. */
const unfold = (text: string): ContentLine[] => {
  const lines: ContentLine[] = [];
  text.split(/\r?\n/).forEach((physical, index) => {
    const last = lines.at(-1);
    if (last && (physical.startsWith(" ") || physical.startsWith("\t"))) last.text += physical.slice(1);
    else if (physical !== "") lines.push({ text: physical, line: index + 1 });
  });
  return lines;
};

const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/;

/** Whether a DATE or DATE-TIME value names a real day and time. */
const validTime = (value: string, isDate: boolean): boolean => {
  const match = (isDate ? DATE : DATE_TIME).exec(value);
  if (!match) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day));
  return (
    date.getUTCMonth() === (month ?? 0) - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 61
  );
};

const TIME_PROPERTIES = new Set(["dtstart", "dtend", "exdate", "rdate", "recurrence-id"]);

/** Problems with one content line's value, or undefined. */
const valueProblem = (name: string, type: string, raw: string): string | undefined => {
  if (TIME_PROPERTIES.has(name)) {
    if (type === "period") return undefined;
    const isDate = type === "date";
    for (const value of raw.split(",")) {
      if (!validTime(value, isDate)) {
        return isDate
          ? `${name.toUpperCase()} ${JSON.stringify(value)} is not a date YYYYMMDD`
          : `${name.toUpperCase()} ${JSON.stringify(value)} is not a date-time YYYYMMDDTHHMMSS (with Z for UTC), or a date with VALUE=DATE`;
      }
    }
  }
  if (name === "rrule") ICAL.Recur.fromString(raw);
  if (name === "duration") {
    if (!/^[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$/.test(raw) || /T$|^[+-]?P$/.test(raw)) {
      return `DURATION ${JSON.stringify(raw)} is not a duration such as P1D or PT1H30M`;
    }
  }
  return undefined;
};

/** The text after the first colon outside a quoted parameter value. */
const rawValue = (line: string): string => {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ":" && !quoted) return line.slice(i + 1);
  }
  return "";
};

/** Checks structure (BEGIN/END pairs inside one VCALENDAR) and the values deny windows are made of. */
export const scanCalendar = (text: string): Scanned => {
  const lines = unfold(text);
  const first = lines[0];
  if (first?.text.trim().toUpperCase() !== "BEGIN:VCALENDAR") {
    return { error: "expected BEGIN:VCALENDAR: this is not an iCalendar file", line: first?.line ?? 1 };
  }
  const open: ContentLine[] = [];
  const eventLines: number[] = [];
  let ended = false;
  for (const content of lines) {
    const { text: line, line: number } = content;
    if (ended) return { error: "content after END:VCALENDAR", line: number };
    const block = /^(BEGIN|END):(.+)$/i.exec(line.trim());
    if (block) {
      const name = (block[2] ?? "").toUpperCase();
      if (block[1]?.toUpperCase() === "BEGIN") {
        open.push({ text: name, line: number });
        if (name === "VEVENT") eventLines.push(number);
        continue;
      }
      const top = open.pop();
      if (top?.text !== name) {
        return {
          error: top
            ? `END:${name} does not close BEGIN:${top.text} of line ${top.line}`
            : `END:${name} without BEGIN`,
          line: number,
        };
      }
      if (open.length === 0) ended = true;
      continue;
    }
    try {
      // jCal: [name, parameters, value type (from VALUE= or the default), ...values]
      const [name, , type, ...values] = ICAL.parse.property(line) as [string, unknown, string];
      const problem = valueProblem(name, type, values.length > 0 ? rawValue(line) : "");
      if (problem) return { error: problem, line: number };
    } catch (error) {
      return { error: (error as Error).message, line: number };
    }
  }
  const unclosed = open.at(-1);
  if (unclosed)
    return { error: `BEGIN:${unclosed.text} is never closed by END:${unclosed.text}`, line: unclosed.line };
  return { eventLines };
};
