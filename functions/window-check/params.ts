import * as z from "zod";
import { unknownKeysMessage } from "../../shared/index.js";
import { CALENDAR_FORMS, type CalendarSpec, parseCalendarSpec } from "./calendar-spec.js";
import { type AwsCron, parseAwsCron } from "./cron.js";
import { type Issue, type LocalRange, parseClock, parseRange, quote } from "./ranges.js";
import { DEFAULT_MAX_WAIVER_HOURS, overlongWaivers, type WaiverSpec, waiverSchema } from "./waivers.js";
import { parseTimeZone, type Zone } from "./zone.js";

/** A window as validated from UserParameters, before it is placed in the rule's time zone. */
export type WindowSpec =
  | { kind: "cron"; cron: AwsCron; reason?: string }
  | {
      kind: "weekly";
      /** 0 = Sunday. */
      days: number[];
      /** The days as written, for messages; absent means every day. */
      daysText?: string;
      /** Minutes since midnight; `end` is exclusive, 1440 = end of day, `end <= start` wraps past midnight. */
      start: number;
      end: number;
      reason?: string;
    }
  | ({ kind: "range"; reason?: string } & LocalRange);

const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MAX_REASON = 200;

/** "MON-FRI", "FRI-SUN" (wraps), "MON,WED" or "SAT" → weekday numbers, 0 = Sunday. */
const parseDays = (items: readonly string[]): number[] | string => {
  const days = new Set<number>();
  for (const raw of items.flatMap((item) => item.split(","))) {
    const item = raw.trim().toUpperCase();
    const range = /^([A-Z]+)(?:-([A-Z]+))?$/.exec(item);
    const from = DAY_NAMES.indexOf(range?.[1] ?? "");
    const to = range?.[2] === undefined ? from : DAY_NAMES.indexOf(range[2]);
    if (!range || from < 0 || to < 0) {
      return `expected day names SUN MON TUE WED THU FRI SAT, single or as a range such as "MON-FRI" or "FRI-SUN"; got ${quote(raw)}`;
    }
    // A range may wrap around the week: FRI-SUN is Friday, Saturday and Sunday.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort();
};

const reason = z
  .string()
  .trim()
  .min(1, "a reason must not be empty")
  .max(MAX_REASON, `a reason must be at most ${MAX_REASON} characters`)
  .optional();

const weeklySchema = z.strictObject({
  days: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  reason,
});
const rangeSchema = z.strictObject({ from: z.string(), to: z.string(), reason });
const cronSchema = z.strictObject({ cron: z.string(), reason });

const fromWeekly = (value: z.output<typeof weeklySchema>): WindowSpec | Issue => {
  let days = [0, 1, 2, 3, 4, 5, 6];
  let daysText: string | undefined;
  if (value.days !== undefined) {
    const list = typeof value.days === "string" ? [value.days] : value.days;
    const parsed = parseDays(list);
    if (typeof parsed === "string") return { message: parsed, path: ["days"] };
    days = parsed;
    daysText = list.join(",").toUpperCase();
  }
  const start = value.start === undefined ? 0 : parseClock(value.start, false);
  if (start === undefined) {
    return {
      message: `expected a time "HH:MM" from 00:00 to 23:59; got ${quote(value.start)}`,
      path: ["start"],
    };
  }
  const end = value.end === undefined ? 1440 : parseClock(value.end, true);
  if (end === undefined) {
    return { message: `expected a time "HH:MM" from 00:00 to 24:00; got ${quote(value.end)}`, path: ["end"] };
  }
  if (end === start) {
    return {
      message: `start and end are both ${quote(value.start ?? value.end)}: leave out end for a window to the end of the day, or start for one from midnight`,
      path: ["end"],
    };
  }
  return { kind: "weekly", days, ...(daysText ? { daysText } : {}), start, end, ...reasonOf(value) };
};

const reasonOf = (value: { reason?: string | undefined }) => (value.reason ? { reason: value.reason } : {});

const fromRange = (value: z.output<typeof rangeSchema>): WindowSpec | Issue => {
  const range = parseRange(value.from, value.to);
  return "message" in range ? range : { kind: "range", ...range, ...reasonOf(value) };
};

/** A cron window, or one issue per problem in it so that a user fixes them all in one round. */
const fromCron = (
  source: string,
  value: { reason?: string | undefined },
  path: PropertyKey[],
): WindowSpec | Issue[] => {
  const cron = parseAwsCron(source);
  if ("problems" in cron) {
    return cron.problems.map((problem) => ({ message: `invalid cron ${quote(source)}: ${problem}`, path }));
  }
  return { kind: "cron", cron, ...reasonOf(value) };
};

const isSpec = (result: WindowSpec | Issue | Issue[]): result is WindowSpec =>
  !Array.isArray(result) && !("message" in result);

const WINDOW_FORMS =
  'a cron string such as "* * 9-16 ? * MON-FRI *", {"days", "start", "end"}, {"from", "to"} or {"cron"}, each with an optional "reason"';

const isCalendar = (value: object) => "ics" in value || "icsFile" in value;

/**
 * One window: a cron string, or a weekly, one-off range or cron object; a deny entry may also be an
 * iCalendar file, whose events are deny windows.
 */
const windowTransform =
  <T extends WindowSpec | CalendarSpec>(calendars: boolean) =>
  (value: unknown, ctx: z.RefinementCtx): T => {
    const fail = (issues: Issue | Issue[]) => {
      for (const issue of [issues].flat()) {
        // zod prefixes the path in place, so each issue gets its own copy.
        ctx.addIssue({ code: "custom", message: issue.message, path: [...(issue.path ?? [])] });
      }
      return z.NEVER;
    };
    if (typeof value === "string") {
      const spec = fromCron(value, {}, []);
      return isSpec(spec) ? (spec as T) : fail(spec);
    }
    const forms = calendars ? `${WINDOW_FORMS}, or an iCalendar file ${CALENDAR_FORMS}` : WINDOW_FORMS;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return fail({
        message: `expected ${forms}; got ${Array.isArray(value) ? "an array" : quote(value)}`,
      });
    }
    if (isCalendar(value)) {
      if (!calendars) {
        return fail({
          message: 'the events of an iCalendar file are deny windows: move the entry to "deny"',
        });
      }
      const spec = parseCalendarSpec(value);
      return Array.isArray(spec) ? fail(spec) : (spec as T);
    }
    const [schema, allowed] =
      "cron" in value
        ? [cronSchema, "cron, reason"]
        : "from" in value || "to" in value
          ? [rangeSchema, "from, to, reason"]
          : [weeklySchema, "days, start, end, reason"];
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === "unrecognized_keys") {
          fail({ message: unknownKeysMessage(issue.keys, allowed.split(", ")) });
        } else if (
          issue.path.length > 0 &&
          (issue.code === "invalid_type" || issue.code === "invalid_union")
        ) {
          const key = String(issue.path[0]);
          const got = (value as Record<string, unknown>)[key];
          const expected =
            key === "days" ? 'day names as a string ("MON-FRI") or an array (["MON","WED"])' : "a string";
          fail({
            message: `expected ${expected}; got ${got === undefined ? "nothing" : quote(got)}`,
            path: issue.path as PropertyKey[],
          });
        } else {
          fail({ message: issue.message, path: issue.path as PropertyKey[] });
        }
      }
      return z.NEVER;
    }
    const data = parsed.data as Record<string, unknown>;
    const spec: WindowSpec | Issue | Issue[] =
      schema === cronSchema
        ? fromCron(String(data.cron), data as { reason?: string }, ["cron"])
        : schema === rangeSchema
          ? fromRange(data as z.output<typeof rangeSchema>)
          : fromWeekly(data as z.output<typeof weeklySchema>);
    return isSpec(spec) ? (spec as T) : fail(spec);
  };

const windowSchema = z.unknown().transform(windowTransform<WindowSpec>(false));
const denySchema = z.unknown().transform(windowTransform<WindowSpec | CalendarSpec>(true));

const LIST_SIZE = "give at least one window, or leave the key out";
const windowList = z.array(windowSchema).min(1, LIST_SIZE).max(50);
const denyList = z
  .array(denySchema)
  .min(1, LIST_SIZE)
  .max(50)
  .refine(
    (list) => list.filter((spec) => spec.kind === "ics").length <= 10,
    "give at most 10 iCalendar files",
  );

const CALENDAR = /^(?:arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document\/)?[A-Za-z0-9_.-]{3,128}$/;

export const params = z
  .strictObject({
    timeZone: z
      .string()
      .default("UTC")
      .transform((text, ctx): Zone => {
        const zone = parseTimeZone(text);
        if (typeof zone === "string") {
          ctx.addIssue({ code: "custom", message: zone });
          return z.NEVER;
        }
        return zone;
      }),
    allow: windowList.optional(),
    deny: denyList.optional(),
    changeCalendars: z
      .array(
        z.string().refine((name) => CALENDAR.test(name), {
          error: (issue) =>
            `expected an SSM Change Calendar name (3-128 letters, digits, "_", "-", ".") or its document ARN; got ${quote(issue.input)}`,
        }),
      )
      .min(1, "give at least one calendar, or leave the key out")
      .max(20)
      .refine((names) => new Set(names).size === names.length, "each calendar may be named once")
      .optional(),
    runwayMinutes: z.number().int().min(0).max(10_080).default(0),
    waivers: z
      .array(waiverSchema)
      .min(1, "give at least one waiver, or leave the key out")
      .max(20)
      .refine(
        (list) => new Set(list.map((w) => w.ticket)).size === list.length,
        "each ticket may have one waiver",
      )
      .optional(),
    maxWaiverHours: z.number().int().min(1).max(168).default(DEFAULT_MAX_WAIVER_HOURS),
    waiversOverrideCalendars: z.boolean().default(false),
  })
  .refine((p) => p.allow || p.deny || p.changeCalendars, {
    error: 'give at least one of "allow", "deny" or "changeCalendars"',
  })
  // Runs even when other keys are wrong, so that an overlong waiver is reported in the same round.
  .check(
    z.superRefine(
      (p, ctx) => {
        // Values of keys that failed are not what their types say: check each before use.
        const zone = p.timeZone as Partial<Zone> | undefined;
        const max = p.maxWaiverHours as unknown;
        if (!Array.isArray(p.waivers) || typeof zone?.offsetAt !== "function") return;
        if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > 168) return;
        // Only the waivers that parsed (they have `fromText`); the others already have an issue.
        const waivers = p.waivers.map((w: unknown) =>
          typeof w === "object" && w !== null && "fromText" in w ? (w as WaiverSpec) : undefined,
        );
        for (const issue of overlongWaivers(waivers, zone as Zone, max)) {
          ctx.addIssue({ code: "custom", message: issue.message, path: [...(issue.path ?? [])] });
        }
      },
      { when: () => true },
    ),
  );

export type Params = z.output<typeof params>;
