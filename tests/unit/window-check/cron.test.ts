import { describe, expect, it } from "vitest";
import { parseAwsCron } from "../../../functions/window-check/cron.js";
import { blocked, decide } from "./support.js";

/**
 * The DeploymentWindow dialect as AWS documents it (EventBridge cron reference, DeploymentWindow
 * rule reference): minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC,
 * day-of-week 1-7 or SUN-SAT with 1 = SUN, year 1970-2199; `* , - / ?` everywhere they apply,
 * `L W` in day-of-month, `L #` in day-of-week; "?" in exactly one of the two day fields.
 */
const problems = (cron: string): string[] => {
  const parsed = parseAwsCron(cron);
  return "problems" in parsed ? parsed.problems : [`ACCEPTED as ${parsed.pattern}`];
};
const patternOf = (cron: string): string => {
  const parsed = parseAwsCron(cron);
  return "pattern" in parsed ? parsed.pattern : `REJECTED: ${parsed.problems.join(" | ")}`;
};

describe("every value is checked against its field's range", () => {
  it.each([
    ["minutes 60", "* 60 * ? * * *", 'minutes "60": 60 is out of range 0-59'],
    ["hours 24", "* * 24 ? * * *", 'hours "24": 24 is out of range 0-23'],
    ["day-of-month 0", "* * * 0 * ? *", 'day-of-month "0": 0 is out of range 1-31'],
    ["day-of-month 32", "* * * 32 * ? *", 'day-of-month "32": 32 is out of range 1-31'],
    ["month 0", "* * * ? 0 * *", 'month "0": 0 is out of range 1-12 (1 = JAN)'],
    ["month 13", "* * * ? 13 * *", 'month "13": 13 is out of range 1-12 (1 = JAN)'],
    ["day-of-week 0", "* * * ? * 0 *", 'day-of-week "0": 0 is out of range 1-7 (1 = SUN … 7 = SAT)'],
    ["day-of-week 8", "* * * ? * 8 *", 'day-of-week "8": 8 is out of range 1-7 (1 = SUN … 7 = SAT)'],
    ["year 1969", "* * * ? * * 1969", 'year "1969": 1969 is out of range 1970-2199'],
    ["year 2200", "* * * ? * * 2200", 'year "2200": 2200 is out of range 1970-2199'],
    [
      "a name that is no day",
      "* * * ? * MON-FRY *",
      'day-of-week "MON-FRY": "FRY" is not a value; expected 1-7 or SUN-SAT (1 = SUN)',
    ],
    [
      "a name that is no month",
      "* * * ? JAN-FOO * *",
      'month "JAN-FOO": "FOO" is not a value; expected 1-12 or JAN-DEC',
    ],
    [
      "a day name in the month field",
      "* * * ? MON * *",
      'month "MON": "MON" is not a value; expected 1-12 or JAN-DEC',
    ],
    ["a unit after a value", "* * 9-16h ? * * *", 'hours "9-16h": "16h" is not a value; expected 0-23'],
  ])("%s", (_, cron, expected) => {
    expect(problems(cron)).toEqual([expected]);
  });

  it.each([
    ["a range's end", "* 5-70 * ? * * *", 'minutes "5-70": 70 is out of range 0-59'],
    ["a range's start", "* 70-5 * ? * * *", 'minutes "70-5": 70 is out of range 0-59'],
    ["a value in a list names that item", "* * 9,12,25 ? * * *", 'hours "25": 25 is out of range 0-23'],
  ])("%s", (_, cron, expected) => {
    expect(problems(cron)).toEqual([expected]);
  });
});

describe("steps", () => {
  it("the issue's example: a step start outside the field is an error, not a window that never matches", () => {
    expect(problems("* 65/15 10 * * ? *")).toEqual(['minutes "65/15": 65 is out of range 0-59']);
  });

  it.each([
    [
      "step 0 after *",
      "* */0 * ? * * *",
      'minutes "*/0": step 0 is out of range 1-59 (the number after "/")',
    ],
    [
      "step 0 after a value",
      "* 5/0 * ? * * *",
      'minutes "5/0": step 0 is out of range 1-59 (the number after "/")',
    ],
    [
      "step 0 in a wrapping range",
      "* * 22-4/0 ? * * *",
      'hours "22-4/0": step 0 is out of range 1-23 (the number after "/")',
    ],
    [
      "step larger than the field",
      "* * */24 ? * * *",
      'hours "*/24": step 24 is out of range 1-23 (the number after "/")',
    ],
    [
      "day-of-week step",
      "* * * ? * 2/10 *",
      'day-of-week "2/10": step 10 is out of range 1-7 (the number after "/")',
    ],
    [
      "a step that is not a number",
      "* */x * ? * * *",
      'minutes "*/x": step "x" is out of range 1-59 (the number after "/")',
    ],
  ])("%s", (_, cron, expected) => {
    expect(problems(cron)).toEqual([expected]);
  });

  it.each([
    ["a start runs to the field's end", "* 50/5 * ? * * *", "* 50,55 * * * * *"],
    ["*/n starts at the field's minimum", "* * */6 ? * * *", "* * 0,6,12,18 * * * *"],
    ["a range with a step", "* 5-40/10 * ? * * *", "* 5,15,25,35 * * * * *"],
    ["a wrapping range with a step", "* * 22-4/2 ? * * *", "* * 0,2,4,22 * * * *"],
    ["day-of-week */2 starts at 1 = SUN", "* * * ? * */2 *", "* * * * * 1,3,5,7 *"],
    ["years with a step", "* * * ? * * 2026-2030/2", "* * * * * * 2026,2028,2030"],
  ])("%s", (_, cron, pattern) => {
    expect(patternOf(cron)).toBe(pattern);
  });
});

describe("L, W and # operands", () => {
  it.each([
    [
      "6#6: there is no sixth Friday",
      "* * * ? * 6#6 *",
      'day-of-week "6#6": occurrence 6 is out of range 1-5 (the number after "#": 1 = first … 5 = fifth)',
    ],
    [
      "1#0",
      "* * * ? * 1#0 *",
      'day-of-week "1#0": occurrence 0 is out of range 1-5 (the number after "#": 1 = first … 5 = fifth)',
    ],
    ["8#1", "* * * ? * 8#1 *", 'day-of-week "8#1": 8 is out of range 1-7 (1 = SUN … 7 = SAT)'],
    ["32W", "* * * 32W * ? *", 'day-of-month "32W": 32 is out of range 1-31'],
    ["0W", "* * * 0W * ? *", 'day-of-month "0W": 0 is out of range 1-31'],
    ["8L", "* * * ? * 8L *", 'day-of-week "8L": 8 is out of range 1-7 (1 = SUN … 7 = SAT)'],
    [
      "L-31",
      "* * * L-31 * ? *",
      'day-of-month "L-31": offset 31 is out of range 0-30 (the number after "L-")',
    ],
    ["# in a list", "* * * ? * 6#3,2 *", 'day-of-week "6#3,2": "6#3" must be the field\'s only item'],
    ["L in a list", "* * * L,15 * ? *", 'day-of-month "L,15": "L" must be the field\'s only item'],
    ["W in a list", "* * * 15W,1 * ? *", 'day-of-month "15W,1": "15W" must be the field\'s only item'],
  ])("%s", (_, cron, expected) => {
    expect(problems(cron)).toEqual([expected]);
  });

  it("a form the field does not take names what it does take", () => {
    expect(problems("* * * L-5W * ? *")).toEqual([
      'day-of-month "L-5W": expected a value 1-31, a range "a-b", a step "a/n", "a-b/n" or "*/n", a list "a,b" or "*", "?", "L", "L-n", "LW" or "nW"',
    ]);
    expect(problems("* * L ? * * *")).toEqual(['hours "L": "L" is not a value; expected 0-23']);
    expect(problems("* * * ? * 2W *")).toEqual([
      'day-of-week "2W": "2W" is not a value; expected 1-7 or SUN-SAT (1 = SUN)',
    ]);
  });

  it.each([
    ["FRIL", "* * * ? * FRIL *", "* * * * * 6L *"],
    ["fri#3 in lower case", "* * * ? * fri#3 *", "* * * * * 6#3 *"],
    ["L alone in day-of-week is 7 = SAT", "* * * ? * L *", "* * * * * 7 *"],
    ["lw", "* * * lw * ? *", "* * * LW * * *"],
  ])("%s", (_, cron, pattern) => {
    expect(patternOf(cron)).toBe(pattern);
  });
});

describe("the two day fields", () => {
  it("* in both is an error (EventBridge: you can't use * in both; use ? in one)", () => {
    expect(problems("* * * * * * *")).toEqual([
      'day-of-month "*" and day-of-week "*": one of them must be "?" (the dialect does not combine them; use "*" in one and "?" in the other for every day)',
    ]);
  });

  it("? in both is an error too", () => {
    expect(problems("* * * ? * ? *")).toEqual([
      'day-of-month and day-of-week are both "?": give the days in one of them, e.g. "? * MON-FRI" or "1 * ?"',
    ]);
  });

  it("? anywhere else is an error", () => {
    expect(problems("* ? * ? * * *")).toEqual([
      'minutes "?": "?" is allowed only in day-of-month and day-of-week',
    ]);
  });
});

describe("ranges", () => {
  it("a one-value range (MON-MON) is that one day, not the whole week", () => {
    expect(patternOf("* * * ? * MON-MON *")).toBe("* * * * * 2 *");
    const params = { deny: ["* * * ? * MON-MON *"] };
    expect(decide(params, "2026-11-30T10:00:00Z").pass).toBe(false); // a Monday
    expect(decide(params, "2026-12-01T10:00:00Z").pass).toBe(true); // a Tuesday
  });

  it("wrapping ranges become the values they stand for", () => {
    expect(patternOf("* * 22-2 ? * * *")).toBe("* * 0,1,2,22,23 * * * *");
    expect(patternOf("* * * ? * FRI-SUN *")).toBe("* * * * * 1,6,7 *");
    expect(patternOf("* * * 1 NOV-FEB ? *")).toBe("* * * 1 1,2,11,12 * *");
  });

  it("a backwards year range is an error: years do not wrap around", () => {
    expect(problems("* * * ? * * 2027-2026")).toEqual([
      'year "2027-2026": the range ends before it starts (years do not wrap around)',
    ]);
  });

  it("an empty list item is an error", () => {
    expect(problems("* 1,,2 * ? * * *")).toEqual([
      'minutes "1,,2": an item is empty (two commas in a row, or a comma at an end)',
    ]);
  });
});

describe("layout", () => {
  it("runs of spaces and tabs between fields are one separator", () => {
    expect(patternOf("*  *\t 9-16   ?  *  MON-FRI  *")).toBe(patternOf("* * 9-16 ? * MON-FRI *"));
    // Messages name the window with single spaces.
    expect(blocked({ allow: ["*  *   9-16 ? * MON-FRI *"] }, "2026-11-28T10:00:00Z")).toMatch(
      /^Blocked outside allow window "\* \* 9-16 \? \* MON-FRI \*" at /,
    );
  });

  it("6 fields: the year is every year", () => {
    expect(patternOf("* 0 9 ? * MON")).toBe("* 0 9 * * 2 *");
  });

  it.each([
    ["5 fields", "* 9-16 * * MON-FRI", 5],
    ["8 fields", "* * * ? * * * *", 8],
  ])("%s", (_, cron, count) => {
    expect(problems(cron)).toEqual([
      `expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]) separated by spaces; got ${count}`,
    ]);
  });
});

describe("dates that never occur", () => {
  it.each([
    [
      "30 February",
      "* * * 30 2 ? *",
      'day-of-month "30": never occurs in February (at most 29 days), so the window would never match',
    ],
    [
      "31 in months of 30 days or fewer",
      "* * * 31 FEB,APR ? *",
      'day-of-month "31": never occurs in February, April (at most 30 days), so the window would never match',
    ],
    [
      "L-30 in February",
      "* * * L-30 FEB ? *",
      'day-of-month "L-30": 30 days before the last never occurs in February (at most 29 days), so the window would never match',
    ],
  ])("%s", (_, cron, expected) => {
    expect(problems(cron)).toEqual([expected]);
  });

  it("29 February is possible (leap years), and so is a list with one day that occurs", () => {
    expect(patternOf("* * * 29 2 ? *")).toBe("* * * 29 2 * *");
    expect(patternOf("* * * 30,31 4 ? *")).toBe("* * * 30,31 4 * *");
    expect(patternOf("* * * L-30 JAN,FEB ? *")).toBe("* * * * 1,2 * *");
  });
});

describe("every problem of an expression at once", () => {
  it("the sample bad-cron-config.json: seconds and the day name in one round", () => {
    expect(problems("0 * 9-16 ? * MON-FRY *")).toEqual([
      'seconds "0": must be "*" (a window is made of whole minutes)',
      'day-of-week "MON-FRY": "FRY" is not a value; expected 1-7 or SUN-SAT (1 = SUN)',
    ]);
  });

  it("one line per field", () => {
    expect(problems("5 60 24 32 13 ? 2200")).toEqual([
      'seconds "5": must be "*" (a window is made of whole minutes)',
      'minutes "60": 60 is out of range 0-59',
      'hours "24": 24 is out of range 0-23',
      'day-of-month "32": 32 is out of range 1-31',
      'month "13": 13 is out of range 1-12 (1 = JAN)',
      'year "2200": 2200 is out of range 1970-2199',
    ]);
  });
});

describe("only plain digits are numbers", () => {
  // JavaScript's Number() also reads hexadecimal and exponents; the dialect does not.
  it.each([
    ["a hexadecimal value", "* 0x5 * ? * * *", 'minutes "0x5": "0x5" is not a value; expected 0-59'],
    ["a value that ends in digits", "* * H9 ? * * *", 'hours "H9": "H9" is not a value; expected 0-23'],
    [
      "a hexadecimal step",
      "* */0x5 * ? * * *",
      'minutes "*/0x5": step "0x5" is out of range 1-59 (the number after "/")',
    ],
    [
      "a step in exponent form",
      "* */1e1 * ? * * *",
      'minutes "*/1e1": step "1e1" is out of range 1-59 (the number after "/")',
    ],
  ])("%s", (_, cron, expected) => {
    expect(problems(cron)).toEqual([expected]);
  });

  it.each([
    ["step 1 is every value", "* */1 * ? * * *", "* * * * * * *"],
    ["the largest step", "* 0/59 * ? * * *", "* 0,59 * * * * *"],
    ["the fifth occurrence", "* * * ? * 6#5 *", "* * * * * 6#5 *"],
  ])("%s", (_, cron, pattern) => {
    expect(patternOf(cron)).toBe(pattern);
  });
});

describe("an item that is no form at all", () => {
  const forms = 'a range "a-b", a step "a/n", "a-b/n" or "*/n", a list "a,b" or "*"';
  it.each([
    ["* as a range start", "* *-5 * ? * * *", `minutes "*-5": expected a value 0-59, ${forms}`],
    ["a range of three", "* * 1-2-3 ? * * *", `hours "1-2-3": expected a value 0-23, ${forms}`],
    [
      "n#k in a range",
      "* * * ? * 1-6#3 *",
      `day-of-week "1-6#3": expected a value 1-7 or SUN-SAT (1 = SUN), ${forms}, "?", "L", "nL" or "n#k"`,
    ],
    [
      "nL in a range",
      "* * * ? * 1-6L *",
      `day-of-week "1-6L": expected a value 1-7 or SUN-SAT (1 = SUN), ${forms}, "?", "L", "nL" or "n#k"`,
    ],
    [
      "an occurrence of two digits",
      "* * * ? * 6#10 *",
      'day-of-week "6#10": occurrence 10 is out of range 1-5 (the number after "#": 1 = first … 5 = fifth)',
    ],
    ["nL in a list", "* * * ? * 6L,2 *", 'day-of-week "6L,2": "6L" must be the field\'s only item'],
    [
      "nL followed by more",
      "* * * ? * 6L5 *",
      'day-of-week "6L5": "6L5" is not a value; expected 1-7 or SUN-SAT (1 = SUN)',
    ],
    [
      "L before a day",
      "* * * ? * L2 *",
      'day-of-week "L2": "L2" is not a value; expected 1-7 or SUN-SAT (1 = SUN)',
    ],
    ["L-n after something", "* * * XL-5 * ? *", 'day-of-month "XL-5": "XL" is not a value; expected 1-31'],
    ["nL in day-of-month", "* * * 1L * ? *", 'day-of-month "1L": "1L" is not a value; expected 1-31'],
    ["W before a day", "* * * W1 * ? *", 'day-of-month "W1": "W1" is not a value; expected 1-31'],
  ])("%s", (_, cron, expected) => {
    expect(problems(cron)).toEqual([expected]);
  });
});

describe("what a valid expression translates to", () => {
  it("the source as written, the croner pattern, and the L-n offset only when there is one", () => {
    expect(parseAwsCron(" * 0 9 ? * MON")).toStrictEqual({
      source: " * 0 9 ? * MON",
      pattern: "* 0 9 * * 2 *",
    });
    expect(parseAwsCron("* * * L-2 * ? *")).toStrictEqual({
      source: "* * * L-2 * ? *",
      pattern: "* * * * * * *",
      lastDayOffset: 2,
    });
    expect(parseAwsCron("* * * L-0 * ? *")).toStrictEqual({
      source: "* * * L-0 * ? *",
      pattern: "* * * * * * *",
      lastDayOffset: 0,
    });
  });

  it("L-n as long as a chosen month has that many days before its last", () => {
    expect(problems("* * * L-29 FEB ? *")).toEqual([
      'day-of-month "L-29": 29 days before the last never occurs in February (at most 29 days), so the window would never match',
    ]);
    expect(patternOf("* * * L-28 FEB ? *")).toBe("* * * * 2 * *");
  });
});
