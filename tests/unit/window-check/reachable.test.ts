import { describe, expect, it } from "vitest";
import type { Verdict } from "../../../shared/rule.js";
import { decide } from "./support.js";

/** The configuration error a verdict carries, or a marker that fails the test readably. */
const configurationError = (verdict: Verdict): string =>
  !verdict.pass && verdict.type === "ConfigurationError"
    ? verdict.message
    : `NOT A CONFIGURATION ERROR: ${JSON.stringify(verdict)}`;

describe("a window that can never match again is a configuration error", () => {
  it("a deny cron for a year in the past would never deny: it fails instead of passing", () => {
    expect(configurationError(decide({ deny: ["* * * ? * * 2020"] }, "2026-11-24T10:00:00Z"))).toBe(
      "Invalid UserParameters:\n" +
        'deny[0]: "* * * ? * * 2020" matches no minute after Tue 2026-11-24 10:00 (+00:00): ' +
        "a deny window that never matches would never block. Remove it or correct it.",
    );
  });

  it("a one-off deny range that is over names when it ended", () => {
    const params = {
      timeZone: "Europe/Berlin",
      deny: [{ from: "2025-12-19", to: "2026-01-06", reason: "holiday freeze" }],
    };
    expect(configurationError(decide(params, "2026-11-24T10:00:00Z"))).toBe(
      "Invalid UserParameters:\n" +
        'deny[0]: "2025-12-19 to 2026-01-06" ("holiday freeze") ended at Wed 2026-01-07 00:00 (+01:00), before now: ' +
        "a deny window that never matches would never block. Remove it or correct it.",
    );
  });

  it("a window whose next minute is beyond the search is not an error: it applies in time", () => {
    expect(decide({ deny: [{ from: "2028-01-01", to: "2028-01-02" }] }, "2026-11-24T10:00:00Z").pass).toBe(
      true,
    );
    expect(decide({ deny: ["* * * 29 FEB ? *"] }, "2026-03-01T10:00:00Z").pass).toBe(true);
    expect(decide({ deny: ["* * * ? * * 2199"] }, "2026-03-01T10:00:00Z").pass).toBe(true);
  });

  it("a cron whose years are all past, with a month that fits, is still caught", () => {
    expect(
      configurationError(decide({ deny: ["* * 9-16 1 JAN ? 2024-2026"] }, "2026-11-24T10:00:00Z")),
    ).toContain(
      'deny[0]: "* * 9-16 1 JAN ? 2024-2026" matches no minute after Tue 2026-11-24 10:00 (+00:00)',
    );
  });

  it("an allow window that never matches is an error too, even beside one that does", () => {
    const message = configurationError(
      decide({ allow: [{ days: "MON-FRI" }, "* * 9-16 ? * * 2021"] }, "2026-11-24T10:00:00Z"),
    );
    expect(message).toMatch(
      /^Invalid UserParameters:\nallow\[1\]: "\* \* 9-16 \? \* \* 2021" matches no minute/,
    );
    expect(message).toContain("an allow window that never matches would never let a stage in");
  });

  it("lists every such window at once, allow before deny", () => {
    const message = configurationError(
      decide(
        {
          allow: ["* * * ? * * 2020", { days: "MON-FRI" }],
          deny: [{ from: "2026-01-01", to: "2026-01-02" }, { days: "SAT" }, "* * * 1 JAN ? 2025"],
        },
        "2026-11-24T10:00:00Z",
      ),
    );
    expect(message.split("\n").map((line) => line.split(":")[0])).toEqual([
      "Invalid UserParameters",
      "allow[0]",
      "deny[0]",
      "deny[2]",
    ]);
  });

  it("a window that matches only once, later in the year, is fine", () => {
    expect(decide({ deny: [{ from: "2027-06-01", to: "2027-06-02" }] }, "2026-11-24T10:00:00Z").pass).toBe(
      true,
    );
    expect(decide({ deny: ["* * * 1 JUN ? 2027"] }, "2026-11-24T10:00:00Z").pass).toBe(true);
  });

  it("a deny range in force now is not stale, even on its last minute", () => {
    const verdict = decide({ deny: [{ from: "2026-11-01", to: "2026-11-24" }] }, "2026-11-24T23:59:00Z");
    expect(verdict.pass).toBe(false);
    expect(verdict.pass ? undefined : verdict.type).toBeUndefined();
  });
});

describe("a runway no window can give", () => {
  const office = {
    timeZone: "Europe/Berlin",
    allow: [{ days: "MON-FRI", start: "09:00", end: "17:00", reason: "office" }],
  };

  it("the issue's case: 600 minutes of runway with 8-hour windows says it never opens, and why", () => {
    // Before: "Opens Thu 2027-11-25 09:00", the edge of the search, not an opening.
    expect(configurationError(decide({ ...office, runwayMinutes: 600 }, "2026-11-24T10:00:00Z"))).toBe(
      "It never opens with runwayMinutes 600 (10 hours): within a year the windows are never open that long. " +
        "The longest open stretch until Thu 2027-11-25 11:00 (+01:00) is 8 hours, " +
        "from Wed 2026-11-25 09:00 (+01:00) to Wed 2026-11-25 17:00 (+01:00). " +
        "Lower runwayMinutes to 480 or less, or widen the windows.",
    );
  });

  it("says the same outside the windows", () => {
    expect(configurationError(decide({ ...office, runwayMinutes: 481 }, "2026-11-28T10:00:00Z"))).toMatch(
      /^It never opens with runwayMinutes 481 \(8 hours 1 minute\): .* Lower runwayMinutes to 480 or less/,
    );
  });

  it("a runway exactly as long as the window opens at the window's start", () => {
    expect(decide({ ...office, runwayMinutes: 480 }, "2026-11-24T08:00:00Z").pass).toBe(true);
    const verdict = decide({ ...office, runwayMinutes: 480 }, "2026-11-24T08:01:00Z");
    expect(verdict.pass ? "" : verdict.message).toMatch(/Opens Wed 2026-11-25 09:00 \(\+01:00\)\.$/);
  });

  it("an opening near the end of the search is checked for its whole runway", () => {
    // Every day 09:00-17:00 for the search's last day; with 600 minutes it must not claim an opening there.
    const daily = { allow: [{ start: "09:00", end: "17:00" }], runwayMinutes: 600 };
    const verdict = decide(daily, "2026-11-24T18:00:00Z");
    expect(verdict).toMatchObject({ pass: false, type: "ConfigurationError" });
  });
});

describe("the runway boundary", () => {
  const params = { allow: [{ start: "09:00", end: "17:00", reason: "day" }] };

  it("the window closes exactly when the runway ends: passes", () => {
    expect(decide({ ...params, runwayMinutes: 60 }, "2026-11-24T16:00:00Z")).toMatchObject({
      pass: true,
      summary: expect.stringMatching(
        /^Open at Tue 2026-11-24 16:00 \(UTC, \+00:00\) until Tue 2026-11-24 17:00/,
      ),
    });
  });

  it("one minute short: blocked by the runway", () => {
    const verdict = decide({ ...params, runwayMinutes: 60 }, "2026-11-24T16:01:00Z");
    expect(verdict.pass ? "" : verdict.message).toBe(
      'Blocked by runway at Tue 2026-11-24 16:01 (UTC, +00:00): it closes at Tue 2026-11-24 17:00 (+00:00) when allow "day" ends, 59 minutes from now; runwayMinutes is 60. Opens Wed 2026-11-25 09:00 (+00:00).',
    );
  });
});
