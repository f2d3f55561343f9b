import { expect } from "vitest";
import { evaluate } from "../../../functions/window-check/evaluate.js";
import { type Params, params } from "../../../functions/window-check/params.js";
import type { CalendarState } from "../../../functions/window-check/schedule.js";
import { RuleError } from "../../../shared/errors.js";
import { parseUserParameters } from "../../../shared/params.js";
import type { Verdict } from "../../../shared/rule.js";

/** Validates UserParameters the way the handler does (throws on invalid ones). */
export const parse = (userParameters: unknown): Params => params.parse(userParameters);

/** Decides at an ISO instant. */
export const decide = (userParameters: unknown, now: string, calendars: CalendarState[] = []): Verdict =>
  evaluate({ calendars }, parse(userParameters), new Date(now));

/** The failure message, or a marker that makes a test fail readably when the rule passed. */
export const blocked = (userParameters: unknown, now: string, calendars: CalendarState[] = []): string => {
  const verdict = decide(userParameters, now, calendars);
  return verdict.pass ? `PASSED: ${verdict.summary}` : verdict.message;
};

/** The success summary, or a marker when the rule failed. */
export const passed = (userParameters: unknown, now: string, calendars: CalendarState[] = []): string => {
  const verdict = decide(userParameters, now, calendars);
  return verdict.pass ? verdict.summary : `FAILED: ${verdict.message}`;
};

/** The first line of whatever the rule said. */
export const firstLine = (userParameters: unknown, now: string, calendars: CalendarState[] = []): string => {
  const verdict = decide(userParameters, now, calendars);
  return ((verdict.pass ? verdict.summary : verdict.message).split("\n")[0] ?? "").trim();
};

/** A small deterministic PRNG (mulberry32) so property tests replay the same cases. */
export const random = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
};

/** The ConfigurationError message the handler would report for these UserParameters. */
export const problem = (userParameters: unknown): string => {
  try {
    parseUserParameters(JSON.stringify(userParameters), params);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).type).toBe("ConfigurationError");
    return (error as RuleError).message;
  }
  throw new Error("expected a ConfigurationError");
};
