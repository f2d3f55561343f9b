import { describe, expect, it } from "vitest";
import * as z from "zod";
import { RuleError } from "../../../shared/errors.js";
import { parseUserParameters } from "../../../shared/params.js";
import { closestDayOrMonth, closestTimeZone, closestWords, editDistance } from "../../../shared/suggest.js";

/** A rule's own check as a custom issue, the way the rules' schemas report them. */
const custom = (message: (value: unknown) => string) =>
  z.unknown().transform((value, ctx) => {
    ctx.addIssue({ code: "custom", message: message(value) });
    return z.NEVER;
  });

const schema = z.strictObject({
  failOnSeverity: z.enum(["CRITICAL", "HIGH", "MEDIUM"]).optional(),
  maxFindings: z.strictObject({ CRITICAL: z.number().optional(), HIGH: z.number().optional() }).optional(),
  timeZone: custom(
    (v) => `expected an IANA time zone such as "Europe/Berlin"; got ${JSON.stringify(v)}`,
  ).optional(),
  days: custom((v) => `expected day names SUN MON TUE WED THU FRI SAT; got ${JSON.stringify(v)}`).optional(),
  window: custom((v) => `invalid cron ${JSON.stringify(v)}: a field contains illegal characters.`).optional(),
  nested: custom(() => 'unknown key "dyas"; allowed: days, start, end, reason').optional(),
});

const lines = (params: unknown): string[] => {
  try {
    parseUserParameters(JSON.stringify(params), schema);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    return (error as RuleError).message.split("\n").slice(1);
  }
  throw new Error("expected a ConfigurationError");
};

describe("did you mean", () => {
  it("names the key a misspelt key was meant to be, one hint per key", () => {
    expect(lines({ failOnSeverty: "HIGH" })).toEqual([
      'UserParameters: unknown key "failOnSeverty" (did you mean "failOnSeverity"?); allowed: failOnSeverity, maxFindings, timeZone, days, window, nested',
    ]);
    expect(lines({ maxFindings: { CRITCAL: 1, HIHG: 2, LOW: 1 } })).toEqual([
      'maxFindings: unknown keys "CRITCAL", "HIHG", "LOW" (did you mean "CRITICAL" for "CRITCAL", "HIGH" for "HIHG"?); allowed: CRITICAL, HIGH',
    ]);
  });

  it("gives no hint for a key that is not close to any allowed one", () => {
    expect(lines({ colour: "red" })[0]).toBe(
      'UserParameters: unknown key "colour"; allowed: failOnSeverity, maxFindings, timeZone, days, window, nested',
    );
  });

  it("names the value a misspelt one was meant to be, whatever its case", () => {
    expect(lines({ failOnSeverity: "critcal" })).toEqual([
      'failOnSeverity: expected one of CRITICAL, HIGH, MEDIUM; got "critcal"; did you mean "CRITICAL"?',
    ]);
  });

  it("suggests time zones by a misspelt name or by the city alone", () => {
    expect(lines({ timeZone: "Europe/Berln" })[0]).toMatch(/; did you mean "Europe\/Berlin"\?$/);
    expect(lines({ timeZone: "Berlin" })[0]).toMatch(/; did you mean "Europe\/Berlin"\?$/);
    expect(lines({ timeZone: "Mars/Olympus" })[0]).not.toMatch(/did you mean/);
  });

  it("suggests day and month names inside day lists and cron expressions", () => {
    expect(lines({ days: "MON-FIR" })).toEqual([
      'days: expected day names SUN MON TUE WED THU FRI SAT; got "MON-FIR"; did you mean FRI?',
    ]);
    expect(lines({ days: ["Thursday", "SATT"] })[0]).toMatch(
      /; did you mean THU for Thursday, SAT for SATT\?$/,
    );
    expect(lines({ window: "* * 9-17 ? JNA MON-FRI *" })).toEqual([
      'window: invalid cron "* * 9-17 ? JNA MON-FRI *": a field contains illegal characters; did you mean JAN?',
    ]);
  });

  it("reads unknown keys from a rule's own message about a nested object", () => {
    expect(lines({ nested: {} })).toEqual([
      'nested: unknown key "dyas"; allowed: days, start, end, reason; did you mean "days"?',
    ]);
  });
});

describe("closest names", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("FIR", "FRI")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("allows about one edit per three letters", () => {
    expect(closestWords("artefact-check", ["artifact-check", "window-check"])).toEqual(["artifact-check"]);
    expect(closestWords("chk", ["check"])).toEqual([]);
  });

  it("expands full and shortened day and month names and leaves valid ones alone", () => {
    expect(closestDayOrMonth("Tues")).toBe("TUE");
    expect(closestDayOrMonth("september")).toBe("SEP");
    expect(closestDayOrMonth("MON")).toBeUndefined();
    expect(closestDayOrMonth("XYZ")).toBeUndefined();
  });

  it("finds time zones", () => {
    expect(closestTimeZone("America/New_Yrok")).toBe("America/New_York");
    expect(closestTimeZone("new york")).toBe("America/New_York");
  });
});
