import { Cron } from "croner";

/**
 * The DeploymentWindow rule's cron dialect (Quartz-like, 1 = SUN), validated here field by field
 * and handed to croner as plain value lists, so that croner only evaluates and never decides what
 * the dialect means.
 */
export interface AwsCron {
  /** The expression as the user wrote it. */
  source: string;
  /** A croner 7-part pattern: seconds `*`, so croner treats it as an interval and not a fixed time. */
  pattern: string;
  /** `L-n` in day-of-month: the n-th day before the last; croner cannot express it, we check it. */
  lastDayOffset?: number;
}

export const CRONER_OPTIONS = { mode: "7-part", alternativeWeekdays: true } as const;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
/** The most days each month can have (February in a leap year). */
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Quartz's largest increment after "/" (the field's maximum; years have no such limit). */
  maxStep: number;
  names?: readonly string[];
  /** Special forms this field also takes, for the "expected" message. */
  extra?: string;
}
const MINUTES: FieldSpec = { name: "minutes", min: 0, max: 59, maxStep: 59 };
const HOURS: FieldSpec = { name: "hours", min: 0, max: 23, maxStep: 23 };
const DAY_OF_MONTH: FieldSpec = {
  name: "day-of-month",
  min: 1,
  max: 31,
  maxStep: 31,
  extra: ', "?", "L", "L-n", "LW" or "nW"',
};
const MONTH: FieldSpec = { name: "month", min: 1, max: 12, maxStep: 12, names: MONTHS };
const DAY_OF_WEEK: FieldSpec = {
  name: "day-of-week",
  min: 1,
  max: 7,
  maxStep: 7,
  names: DAYS,
  extra: ', "?", "L", "nL" or "n#k"',
};
const YEAR: FieldSpec = { name: "year", min: 1970, max: 2199, maxStep: 229 };

export const FIELD_LAYOUT = "seconds minutes hours day-of-month month day-of-week [year]";

const quote = (text: string) => JSON.stringify(text);

const rangeText = (field: FieldSpec) => {
  if (field === DAY_OF_WEEK) return "1-7 (1 = SUN … 7 = SAT)";
  if (field === MONTH) return "1-12 (1 = JAN)";
  return `${field.min}-${field.max}`;
};
const expectedValues = (field: FieldSpec) =>
  field.names
    ? `${field.min}-${field.max} or ${field.names[0]}-${field.names.at(-1)}${field === DAY_OF_WEEK ? " (1 = SUN)" : ""}`
    : `${field.min}-${field.max}`;

/** Collects what is wrong with one field's item, each problem naming the field, the item and the allowed range. */
class Problems {
  readonly list: string[] = [];
  constructor(
    private readonly field: FieldSpec,
    private readonly item: string,
  ) {}
  add(problem: string) {
    this.list.push(`${this.field.name} ${quote(this.item)}: ${problem}`);
  }
  /** A value (number or name) checked against the field's range; undefined when it is not one. */
  value(token: string): number | undefined {
    const { field } = this;
    const upper = token.toUpperCase();
    if (/^\d+$/.test(token)) {
      const n = Number(token);
      if (n < field.min || n > field.max) {
        this.add(`${n} is out of range ${rangeText(field)}`);
        return undefined;
      }
      return n;
    }
    const index = field.names?.indexOf(upper) ?? -1;
    if (index >= 0) return index + field.min;
    this.add(`${quote(token)} is not a value; expected ${expectedValues(field)}`);
    return undefined;
  }
  step(token: string): number | undefined {
    const { field } = this;
    const n = /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!(n >= 1 && n <= field.maxStep)) {
      this.add(
        `step ${/^\d+$/.test(token) ? n : quote(token)} is out of range 1-${field.maxStep} (the number after "/")`,
      );
      return undefined;
    }
    return n;
  }
  syntax() {
    this.add(
      `expected a value ${expectedValues(this.field)}, a range "a-b", a step "a/n", "a-b/n" or "*/n", a list "a,b" or "*"${
        this.field.extra ?? ""
      }`,
    );
  }
}

/** Values from `from` to `to` every `step`; a range whose end is before its start wraps around the field. */
const expand = (field: FieldSpec, from: number, to: number, step: number): number[] => {
  const size = field.max - field.min + 1;
  const last = to < from ? to + size : to;
  const values: number[] = [];
  for (let v = from; v <= last; v += step) values.push(v > field.max ? v - size : v);
  return values;
};

const ITEM = /^([A-Z0-9]+|\*)(?:-([A-Z0-9]+))?(?:\/([A-Z0-9]*))?$/i;

/**
 * One ordinary item: `*`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n`. Returns its values, or undefined
 * after recording why it is wrong.
 */
const parseItem = (field: FieldSpec, item: string, problems: string[]): number[] | undefined => {
  const p = new Problems(field, item);
  const match = ITEM.exec(item);
  if (!match || (match[1] === "*" && match[2] !== undefined)) {
    p.syntax();
    problems.push(...p.list);
    return undefined;
  }
  const [, first = "", second, stepText] = match;
  const from = first === "*" ? field.min : p.value(first);
  const to =
    second !== undefined ? p.value(second) : first === "*" || stepText !== undefined ? field.max : from;
  const step = stepText === undefined ? 1 : p.step(stepText);
  problems.push(...p.list);
  if (from === undefined || to === undefined || step === undefined) return undefined;
  if (field === YEAR && to < from) {
    problems.push(`year ${quote(item)}: the range ends before it starts (years do not wrap around)`);
    return undefined;
  }
  return expand(field, from, to, step);
};

/** A field of ordinary items as a croner list ("*" when it holds every value). */
const parseList = (field: FieldSpec, text: string, problems: string[]): number[] | undefined => {
  const values = new Set<number>();
  let ok = true;
  if (text.split(",").includes("")) {
    problems.push(
      `${field.name} ${quote(text)}: an item is empty (two commas in a row, or a comma at an end)`,
    );
    ok = false;
  }
  for (const item of text.split(",").filter(Boolean)) {
    const parsed = parseItem(field, item, problems);
    if (parsed) for (const v of parsed) values.add(v);
    else ok = false;
  }
  return ok ? [...values].sort((a, b) => a - b) : undefined;
};

const listText = (field: FieldSpec, values: readonly number[]): string =>
  values.length === field.max - field.min + 1 ? "*" : values.join(",");

interface DayOfMonth {
  text: string;
  /** Plain days, for the check against the months; absent for `L`, `W` and `?` forms. */
  days?: number[];
  lastDayOffset?: number;
}

/**
 * A special item (`L`, `W`, `#`) that its own pattern did not take: in a list it must stand alone,
 * alone it is malformed. True when one was found and reported.
 */
const rejectSpecialItem = (field: FieldSpec, text: string, special: RegExp, problems: string[]): boolean => {
  const items = text.split(",");
  const found = items.find((item) => special.test(item));
  if (found === undefined) return false;
  const p = new Problems(field, text);
  if (items.length > 1) p.add(`${quote(found)} must be the field's only item`);
  else p.syntax();
  problems.push(...p.list);
  return true;
};

/** Day-of-month: an ordinary list, or alone one of `?`, `L`, `LW`, `L-n`, `nW`. */
const parseDayOfMonth = (text: string, problems: string[]): DayOfMonth | undefined => {
  const upper = text.toUpperCase();
  if (upper === "?") return { text: "*" };
  if (upper === "L" || upper === "LW") return { text: upper };
  const last = /^L-(\d+)$/.exec(upper);
  if (last) {
    const offset = Number(last[1]);
    if (offset > 30) {
      problems.push(
        `day-of-month ${quote(text)}: offset ${offset} is out of range 0-30 (the number after "L-")`,
      );
      return undefined;
    }
    return { text: "*", lastDayOffset: offset };
  }
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday) {
    const p = new Problems(DAY_OF_MONTH, text);
    const day = p.value(weekday[1] ?? "");
    problems.push(...p.list);
    return day === undefined ? undefined : { text: `${day}W` };
  }
  if (rejectSpecialItem(DAY_OF_MONTH, text, /^L|W$/i, problems)) return undefined;
  const days = parseList(DAY_OF_MONTH, text, problems);
  return days ? { text: listText(DAY_OF_MONTH, days), days } : undefined;
};

/** Day-of-week: an ordinary list, or alone one of `?`, `L` (= 7, SAT), `nL`, `n#k`. */
const parseDayOfWeek = (text: string, problems: string[]): string | undefined => {
  const upper = text.toUpperCase();
  if (upper === "?") return "*";
  if (upper === "L") return "7";
  const lastOf = /^([A-Z0-9]+)L$/.exec(upper);
  if (lastOf) {
    const p = new Problems(DAY_OF_WEEK, text);
    const day = p.value(lastOf[1] ?? "");
    problems.push(...p.list);
    return day === undefined ? undefined : `${day}L`;
  }
  const nth = /^([A-Z0-9]+)#(\d+)$/.exec(upper);
  if (nth) {
    const p = new Problems(DAY_OF_WEEK, text);
    const day = p.value(nth[1] ?? "");
    const occurrence = Number(nth[2]);
    if (occurrence < 1 || occurrence > 5) {
      p.add(`occurrence ${occurrence} is out of range 1-5 (the number after "#": 1 = first … 5 = fifth)`);
    }
    problems.push(...p.list);
    return day === undefined || p.list.length > 0 ? undefined : `${day}#${occurrence}`;
  }
  if (rejectSpecialItem(DAY_OF_WEEK, text, /L$|#/i, problems)) return undefined;
  const days = parseList(DAY_OF_WEEK, text, problems);
  return days ? listText(DAY_OF_WEEK, days) : undefined;
};

/** Plain days that no chosen month has (30 in February): the window could never match. */
const impossibleDays = (
  dayOfMonth: DayOfMonth,
  source: string,
  months: readonly number[],
  problems: string[],
) => {
  const longest = Math.max(...months.map((m) => MAX_DAYS[m - 1] ?? 31));
  const names = months.map((m) => MONTH_NAMES[m - 1]).join(", ");
  const offset = dayOfMonth.lastDayOffset;
  if (offset !== undefined && offset >= longest) {
    problems.push(
      `day-of-month ${quote(source)}: ${offset} days before the last never occurs in ${names} (at most ${longest} days), so the window would never match`,
    );
    return;
  }
  if (!dayOfMonth.days || Math.min(...dayOfMonth.days) <= longest) return;
  problems.push(
    `day-of-month ${quote(source)}: never occurs in ${names} (at most ${longest} days), so the window would never match`,
  );
};

const reject = (field: string, text: string, why: string) => `${field} ${quote(text)}: ${why}`;

/**
 * Parses a DeploymentWindow cron expression. Returns the translated expression, or every problem
 * found, each naming the field, the value and what the field allows.
 */
export const parseAwsCron = (source: string): AwsCron | { problems: string[] } => {
  const fields = source.trim().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7) {
    return {
      problems: [`expected 6 or 7 fields (${FIELD_LAYOUT}) separated by spaces; got ${fields.length}`],
    };
  }
  const [seconds = "", minutes = "", hours = "", dayOfMonthText = "", monthText = "", dayOfWeekText = ""] =
    fields;
  const yearText = fields[6] ?? "*";
  const problems: string[] = [];
  if (seconds !== "*") {
    problems.push(reject("seconds", seconds, 'must be "*" (a window is made of whole minutes)'));
  }
  const bothQuestion = dayOfMonthText === "?" && dayOfWeekText === "?";
  if (bothQuestion) {
    problems.push(
      'day-of-month and day-of-week are both "?": give the days in one of them, e.g. "? * MON-FRI" or "1 * ?"',
    );
  } else if (dayOfMonthText !== "?" && dayOfWeekText !== "?") {
    problems.push(
      `day-of-month ${quote(dayOfMonthText)} and day-of-week ${quote(dayOfWeekText)}: one of them must be "?" (the dialect does not combine them; use "*" in one and "?" in the other for every day)`,
    );
  }
  for (const [name, text] of [
    ["minutes", minutes],
    ["hours", hours],
    ["month", monthText],
    ["year", yearText],
  ] as const) {
    if (text.includes("?"))
      problems.push(reject(name, text, '"?" is allowed only in day-of-month and day-of-week'));
  }
  const parsedMinutes = minutes.includes("?") ? undefined : parseList(MINUTES, minutes, problems);
  const parsedHours = hours.includes("?") ? undefined : parseList(HOURS, hours, problems);
  const dayOfMonth = bothQuestion ? undefined : parseDayOfMonth(dayOfMonthText, problems);
  const months = monthText.includes("?") ? undefined : parseList(MONTH, monthText, problems);
  const dayOfWeek = bothQuestion ? undefined : parseDayOfWeek(dayOfWeekText, problems);
  const years = yearText.includes("?") ? undefined : parseList(YEAR, yearText, problems);
  if (dayOfMonth && months) impossibleDays(dayOfMonth, dayOfMonthText, months, problems);
  if (
    problems.length > 0 ||
    !parsedMinutes ||
    !parsedHours ||
    !dayOfMonth ||
    !months ||
    !dayOfWeek ||
    !years
  ) {
    return { problems };
  }

  const pattern = [
    "*",
    listText(MINUTES, parsedMinutes),
    listText(HOURS, parsedHours),
    dayOfMonth.text,
    listText(MONTH, months),
    dayOfWeek,
    listText(YEAR, years),
  ].join(" ");
  try {
    new Cron(pattern, CRONER_OPTIONS);
  } catch (error) {
    // Everything croner reads was validated above; reaching this is our bug, not the user's typo.
    return { problems: [`could not be evaluated (${(error as Error).message})`] };
  }
  const lastDayOffset = dayOfMonth.lastDayOffset;
  return lastDayOffset === undefined ? { source, pattern } : { source, pattern, lastDayOffset };
};
