import { Cron } from "croner";

/**
 * The DeploymentWindow rule's cron dialect (Quartz-like, 1 = SUN) translated for croner, which
 * evaluates it. croner does the field parsing; we only handle what croner reads differently.
 */
export interface AwsCron {
  /** The expression as the user wrote it. */
  source: string;
  /** A croner 7-part pattern: seconds `*`, so croner treats it as an interval and not a fixed time. */
  pattern: string;
  /** `L-n` in day-of-month: the n-th day before the last; croner cannot express it, we check it. */
  lastDayOffset?: number;
}

export const CRONER_OPTIONS = { mode: "7-part", alternativeWeekdays: true, sloppyRanges: true } as const;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}
const FIELDS: FieldSpec[] = [
  { name: "seconds", min: 0, max: 59 },
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 1, max: 7, names: DAYS },
  { name: "year", min: 1970, max: 2199 },
];

const numberOf = (token: string, field: FieldSpec): number | undefined => {
  if (/^\d+$/.test(token)) return Number(token);
  const index = field.names?.indexOf(token) ?? -1;
  return index >= 0 ? index + field.min : undefined;
};

/**
 * Quartz lets a range wrap around the end of its field (`FRI-SUN`, `22-2`); croner does not, so a
 * wrapping range becomes the list it stands for. Returns the item unchanged when it does not wrap.
 */
const expandWrappingRange = (item: string, field: FieldSpec): string => {
  const match = /^([A-Z0-9]+)-([A-Z0-9]+)(?:\/(\d+))?$/.exec(item);
  if (!match) return item;
  const from = numberOf(match[1] ?? "", field);
  const to = numberOf(match[2] ?? "", field);
  if (from === undefined || to === undefined || from <= to) return item;
  const size = field.max - field.min + 1;
  const step = Number(match[3] ?? 1);
  if (step < 1) return item;
  const values: number[] = [];
  for (let v = from; v <= to + size; v += step) values.push(v > field.max ? v - size : v);
  return values.join(",");
};

/** Values croner would take although the dialect does not (8 as a weekday, years outside 1970–2199). */
const checkNumbers = (text: string, field: FieldSpec): string | undefined => {
  if (field.name !== "day-of-week" && field.name !== "year") return undefined;
  for (const item of text.split(",")) {
    // Only the values, not the step after "/" or the occurrence after "#".
    const values = item.split(/[/#]/)[0] ?? "";
    for (const number of values.match(/\d+/g) ?? []) {
      const n = Number(number);
      if (n < field.min || n > field.max) {
        return `${field.name} value ${n} is out of range ${field.min}-${field.max}${
          field.name === "day-of-week" ? " (1 = SUN … 7 = SAT)" : ""
        }`;
      }
    }
  }
  return undefined;
};

const isBlank = (field: string) => field === "?" || field === "*";

/**
 * Parses a DeploymentWindow cron expression. Returns the translated expression, or a sentence
 * saying what is wrong with it.
 */
export const parseAwsCron = (source: string): AwsCron | string => {
  const fields = source.trim().toUpperCase().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7) {
    return `expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); got ${fields.length}`;
  }
  if (fields.length === 6) fields.push("*");
  if (fields[0] !== "*") {
    return `the seconds field must be "*" (a window is made of whole minutes); got ${JSON.stringify(fields[0])}`;
  }
  const dayOfMonth = fields[3] ?? "";
  const dayOfWeek = fields[5] ?? "";
  if (!isBlank(dayOfMonth) && !isBlank(dayOfWeek)) {
    return `give "?" in day-of-month or in day-of-week; the dialect does not combine day-of-month ${JSON.stringify(
      dayOfMonth,
    )} with day-of-week ${JSON.stringify(dayOfWeek)}`;
  }

  let lastDayOffset: number | undefined;
  const translated: string[] = [];
  for (const [index, field] of fields.entries()) {
    const spec = FIELDS[index] as FieldSpec;
    let text = field === "?" ? "*" : field;
    const lastMinus = /^L-(\d+)$/.exec(text);
    if (spec.name === "day-of-month" && lastMinus) {
      lastDayOffset = Number(lastMinus[1]);
      if (lastDayOffset > 30)
        return `day-of-month ${JSON.stringify(field)}: the offset after "L-" must be 0-30`;
      text = "*";
    }
    // Alone in day-of-week, L means the last day of the week: 7 = SAT.
    if (spec.name === "day-of-week" && text === "L") text = "7";
    const problem = checkNumbers(text, spec);
    if (problem) return problem;
    translated.push(
      text
        .split(",")
        .map((item) => expandWrappingRange(item, spec))
        .join(","),
    );
  }
  const pattern = translated.join(" ");
  try {
    new Cron(pattern, CRONER_OPTIONS);
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, "");
  }
  return lastDayOffset === undefined ? { source, pattern } : { source, pattern, lastDayOffset };
};
