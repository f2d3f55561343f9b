import { describe, expect, it } from "vitest";
import { blocked, decide, firstLine, passed } from "./support.js";

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";
const blogDeny = { timeZone: BERLIN, deny: [{ days: "FRI-SUN", reason: "no weekend releases" }] };

describe("the blog's rule: no deploys Friday to Sunday", () => {
  it("blocks on a Friday and says when it opens, as the issue shows", () => {
    expect(blocked(blogDeny, "2026-11-27T10:00:00Z")).toBe(
      'Blocked by deny "no weekend releases" at Fri 2026-11-27 11:00 (Europe/Berlin, +01:00). Opens Mon 2026-11-30 00:00 (+01:00).',
    );
  });

  it("passes on a Tuesday and says until when", () => {
    expect(passed(blogDeny, "2026-11-24T10:00:00Z")).toBe(
      'Open at Tue 2026-11-24 11:00 (Europe/Berlin, +01:00) until Fri 2026-11-27 00:00 (+01:00), when deny "no weekend releases" begins.\n' +
        "Checked 1 deny window in Europe/Berlin.",
    );
  });

  it.each([
    ["Thu 23:59 is open", "2026-11-26T22:59:00Z", true],
    ["Fri 00:00 is blocked", "2026-11-26T23:00:00Z", false],
    ["Sat noon is blocked", "2026-11-28T11:00:00Z", false],
    ["Sun 23:59 is blocked", "2026-11-29T22:59:00Z", false],
    ["Mon 00:00 is open", "2026-11-29T23:00:00Z", true],
    ["seconds do not matter: Sun 23:59:59 is blocked", "2026-11-29T22:59:59.999Z", false],
  ])("%s", (_, now, open) => {
    expect(decide(blogDeny, now).pass).toBe(open);
  });

  const equivalent: Array<[string, unknown]> = [
    ["deny days FRI-SUN", { deny: [{ days: "FRI-SUN" }] }],
    ["deny days as a list", { deny: [{ days: ["FRI", "SAT", "SUN"] }] }],
    ["deny days as a wrapping list item", { deny: [{ days: ["fri-sun"] }] }],
    ["allow days MON-THU", { allow: [{ days: "MON-THU" }] }],
    ["deny cron FRI-SUN", { deny: ["* * * ? * FRI-SUN *"] }],
    ["deny cron 6-1 (numbers wrap too)", { deny: ["* * * ? * 6-1 *"] }],
    ["deny cron without the year field", { deny: ["* * * ? * FRI-SUN"] }],
    ["allow cron MON-THU", { allow: ["* * * ? * MON-THU *"] }],
    ["allow cron 2-5", { allow: ["* * * ? * 2-5 *"] }],
  ];
  it.each(equivalent)("%s behaves the same on a Friday and a Tuesday", (_, rule) => {
    const params = { timeZone: BERLIN, ...(rule as object) };
    const friday = decide(params, "2026-11-27T10:00:00Z");
    expect(friday.pass).toBe(false);
    expect(friday.pass ? "" : friday.message).toMatch(
      / at Fri 2026-11-27 11:00 .*Opens Mon 2026-11-30 00:00 \(\+01:00\)\.$/,
    );
    const tuesday = decide(params, "2026-11-24T10:00:00Z");
    expect(tuesday.pass).toBe(true);
    expect(tuesday.pass ? tuesday.summary : "").toMatch(/until Fri 2026-11-27 00:00 \(\+01:00\)/);
  });
});

describe("allow windows", () => {
  const officeHours = { timeZone: BERLIN, allow: ["* * 9-16 ? * MON-FRI *"] };

  it("a cron window is every minute it matches: weekdays 09:00-16:59", () => {
    expect(firstLine(officeHours, "2026-11-27T07:59:00Z")).toBe(
      'Blocked outside allow window "* * 9-16 ? * MON-FRI *" at Fri 2026-11-27 08:59 (Europe/Berlin, +01:00). Opens Fri 2026-11-27 09:00 (+01:00).',
    );
    expect(firstLine(officeHours, "2026-11-27T08:00:00Z")).toBe(
      'Open at Fri 2026-11-27 09:00 (Europe/Berlin, +01:00) until Fri 2026-11-27 17:00 (+01:00), when allow "* * 9-16 ? * MON-FRI *" ends.',
    );
    expect(firstLine(officeHours, "2026-11-27T09:30:00Z")).toMatch(
      /^Open at Fri 2026-11-27 10:30 .* until Fri 2026-11-27 17:00 /,
    );
    expect(firstLine(officeHours, "2026-11-27T16:00:00Z")).toMatch(
      /Opens Mon 2026-11-30 09:00 \(\+01:00\)\.$/,
    );
  });

  it("any allow window will do, and back-to-back windows join", () => {
    const params = {
      timeZone: "UTC",
      allow: [
        { days: "MON", start: "08:00", end: "12:00", reason: "morning" },
        { days: "MON", start: "12:00", end: "18:00", reason: "afternoon" },
        { days: "WED", reason: "all of Wednesday" },
      ],
    };
    expect(firstLine(params, "2026-11-23T09:00:00Z")).toBe(
      'Open at Mon 2026-11-23 09:00 (UTC, +00:00) until Mon 2026-11-23 18:00 (+00:00), when allow "afternoon" ends.',
    );
    expect(firstLine(params, "2026-11-23T18:00:00Z")).toBe(
      'Blocked outside every allow window ("morning", "afternoon", "all of Wednesday") at Mon 2026-11-23 18:00 (UTC, +00:00). Opens Wed 2026-11-25 00:00 (+00:00).',
    );
  });

  it("a cron window can carry a reason", () => {
    expect(
      firstLine(
        { allow: [{ cron: "* * 9-16 ? * MON-FRI *", reason: "office hours" }] },
        "2026-11-28T10:00:00Z",
      ),
    ).toBe(
      'Blocked outside allow window "office hours" at Sat 2026-11-28 10:00 (UTC, +00:00). Opens Mon 2026-11-30 09:00 (+00:00).',
    );
  });
});

describe("deny windows win over allow windows", () => {
  const params = {
    timeZone: BERLIN,
    allow: ["* * 9-16 ? * MON-FRI *"],
    deny: [{ from: "2026-12-19", to: "2027-01-06", reason: "holiday freeze" }],
  };

  it("blocks inside the freeze even in office hours and opens after its last day", () => {
    expect(blocked(params, "2026-12-21T10:00:00Z")).toBe(
      'Blocked by deny "holiday freeze" at Mon 2026-12-21 11:00 (Europe/Berlin, +01:00). Opens Thu 2027-01-07 09:00 (+01:00).',
    );
  });

  it("names every reason when several hold", () => {
    expect(blocked(params, "2026-12-20T10:00:00Z")).toBe(
      'Blocked by deny "holiday freeze" and outside allow window "* * 9-16 ? * MON-FRI *" at Sun 2026-12-20 11:00 (Europe/Berlin, +01:00). Opens Thu 2027-01-07 09:00 (+01:00).',
    );
  });

  it("says when an open stretch ends because a freeze begins", () => {
    expect(firstLine(params, "2026-12-18T14:00:00Z")).toBe(
      'Open at Fri 2026-12-18 15:00 (Europe/Berlin, +01:00) until Fri 2026-12-18 17:00 (+01:00), when allow "* * 9-16 ? * MON-FRI *" ends.',
    );
    expect(firstLine({ timeZone: BERLIN, deny: params.deny }, "2026-12-18T14:00:00Z")).toBe(
      'Open at Fri 2026-12-18 15:00 (Europe/Berlin, +01:00) until Sat 2026-12-19 00:00 (+01:00), when deny "holiday freeze" begins.',
    );
  });

  it("a range with times starts at `from` and ends at `to`", () => {
    const freeze = { timeZone: BERLIN, deny: [{ from: "2026-12-01T18:30", to: "2026-12-02T06:00" }] };
    expect(decide(freeze, "2026-12-01T17:29:00Z").pass).toBe(true);
    expect(blocked(freeze, "2026-12-01T17:30:00Z")).toBe(
      'Blocked by deny "2026-12-01T18:30 to 2026-12-02T06:00" at Tue 2026-12-01 18:30 (Europe/Berlin, +01:00). Opens Wed 2026-12-02 06:00 (+01:00).',
    );
    expect(decide(freeze, "2026-12-02T04:59:00Z").pass).toBe(false);
    // From `to` on, the range can never match again: a configuration error, not a silent pass.
    expect(decide(freeze, "2026-12-02T05:00:00Z")).toMatchObject({
      pass: false,
      type: "ConfigurationError",
      message: expect.stringContaining("ended at Wed 2026-12-02 06:00 (+01:00), before now"),
    });
  });

  it("says so when it never opens within a year", () => {
    expect(
      blocked({ allow: [{ days: "MON-FRI" }], deny: ["* * * ? * MON-FRI *"] }, "2026-03-01T10:00:00Z"),
    ).toBe(
      'Blocked outside allow window "MON-FRI" at Sun 2026-03-01 10:00 (UTC, +00:00). It does not open within a year (searched until Tue 2027-03-02 10:00 (+00:00)).',
    );
  });

  it("a year-long freeze: opens right after it, past the one-year horizon it says so", () => {
    expect(blocked({ deny: [{ from: "2026-01-01", to: "2026-12-31" }] }, "2026-01-01T00:00:00Z")).toMatch(
      /Opens Fri 2027-01-01 00:00 \(\+00:00\)\.$/,
    );
    expect(blocked({ deny: [{ from: "2026-01-01", to: "2027-06-30" }] }, "2026-01-01T00:00:00Z")).toMatch(
      /It does not open within a year/,
    );
  });
});

describe("daylight saving time", () => {
  it("Europe/Berlin spring forward: 02:xx does not exist, so a 02:30 cron window waits a day", () => {
    const params = { timeZone: BERLIN, allow: ["* 30-59 2 ? * * *"] };
    expect(blocked(params, "2026-03-29T00:00:00Z")).toBe(
      'Blocked outside allow window "* 30-59 2 ? * * *" at Sun 2026-03-29 01:00 (Europe/Berlin, +01:00). Opens Mon 2026-03-30 02:30 (+02:00).',
    );
  });

  it("Europe/Berlin fall back: 02:xx happens twice and both are inside", () => {
    const params = { timeZone: BERLIN, allow: ["* * 2 ? * * *"] };
    expect(firstLine(params, "2026-10-25T00:30:00Z")).toBe(
      'Open at Sun 2026-10-25 02:30 (Europe/Berlin, +02:00) until Sun 2026-10-25 03:00 (+01:00), when allow "* * 2 ? * * *" ends.',
    );
    expect(firstLine(params, "2026-10-25T01:30:00Z")).toBe(
      'Open at Sun 2026-10-25 02:30 (Europe/Berlin, +01:00) until Sun 2026-10-25 03:00 (+01:00), when allow "* * 2 ? * * *" ends.',
    );
  });

  it("Europe/Berlin: a weekly window over the change runs from its start to its end by the local clock", () => {
    const params = { timeZone: BERLIN, allow: [{ days: "SAT", start: "22:00", end: "06:00" }] };
    // Sat 22:00 CEST to Sun 06:00 CET: nine hours of real time.
    expect(firstLine(params, "2026-10-24T20:00:00Z")).toBe(
      'Open at Sat 2026-10-24 22:00 (Europe/Berlin, +02:00) until Sun 2026-10-25 06:00 (+01:00), when allow "SAT 22:00-06:00" ends.',
    );
    expect(decide(params, "2026-10-25T04:59:00Z").pass).toBe(true);
    expect(decide(params, "2026-10-25T05:00:00Z").pass).toBe(false);
  });

  it("Europe/Berlin: a weekly window starting inside the spring gap opens when the gap ends", () => {
    const params = { timeZone: BERLIN, allow: [{ days: "SUN", start: "02:30", end: "04:00" }] };
    expect(blocked(params, "2026-03-29T00:00:00Z")).toMatch(/Opens Sun 2026-03-29 03:00 \(\+02:00\)\.$/);
    expect(firstLine(params, "2026-03-29T01:00:00Z")).toMatch(/until Sun 2026-03-29 04:00 \(\+02:00\)/);
  });

  it("America/New_York spring forward (2026-03-08): office hours move with the clock", () => {
    const params = { timeZone: NEW_YORK, allow: [{ days: "MON-FRI", start: "09:00", end: "17:00" }] };
    expect(blocked(params, "2026-03-07T15:00:00Z")).toBe(
      'Blocked outside allow window "MON-FRI 09:00-17:00" at Sat 2026-03-07 10:00 (America/New_York, -05:00). Opens Mon 2026-03-09 09:00 (-04:00).',
    );
    expect(decide(params, "2026-03-09T13:00:00Z").pass).toBe(true);
    expect(decide(params, "2026-03-09T12:59:00Z").pass).toBe(false);
  });

  it("America/New_York spring forward: the cron hour 2 does not exist that night", () => {
    const params = { timeZone: NEW_YORK, allow: ["* * 2 ? * * *"] };
    expect(blocked(params, "2026-03-08T06:30:00Z")).toMatch(
      /at Sun 2026-03-08 01:30 \(America\/New_York, -05:00\)\. Opens Mon 2026-03-09 02:00 \(-04:00\)\.$/,
    );
  });

  it("America/New_York fall back (2026-11-01): 01:xx happens twice, the window holds through both", () => {
    const params = { timeZone: NEW_YORK, allow: ["* * 1 ? * * *"] };
    expect(firstLine(params, "2026-11-01T05:00:00Z")).toBe(
      'Open at Sun 2026-11-01 01:00 (America/New_York, -04:00) until Sun 2026-11-01 02:00 (-05:00), when allow "* * 1 ? * * *" ends.',
    );
    expect(decide(params, "2026-11-01T06:30:00Z").pass).toBe(true);
    expect(decide(params, "2026-11-01T07:00:00Z").pass).toBe(false);
  });

  it("America/New_York fall back: a deny range counts real time, the clock just repeats an hour", () => {
    const params = { timeZone: NEW_YORK, deny: [{ from: "2026-11-01T00:00", to: "2026-11-01T03:00" }] };
    expect(blocked(params, "2026-11-01T06:30:00Z")).toBe(
      'Blocked by deny "2026-11-01T00:00 to 2026-11-01T03:00" at Sun 2026-11-01 01:30 (America/New_York, -05:00). Opens Sun 2026-11-01 03:00 (-05:00).',
    );
  });
});

describe("month ends, L, W and #", () => {
  const at = (cron: string, now: string) => blocked({ allow: [cron] }, now).replace(/^.* Opens /, "");

  it.each([
    [
      "L: last day of a 31-day month",
      "* * * L * ? *",
      "2026-01-05T00:00:00Z",
      "Sat 2026-01-31 00:00 (+00:00).",
    ],
    [
      "L: February in a common year",
      "* * * L * ? *",
      "2027-02-01T00:00:00Z",
      "Sun 2027-02-28 00:00 (+00:00).",
    ],
    ["L: February in a leap year", "* * * L * ? *", "2028-02-01T00:00:00Z", "Tue 2028-02-29 00:00 (+00:00)."],
    [
      "L-2: two days before the last",
      "* * * L-2 * ? *",
      "2026-01-05T00:00:00Z",
      "Thu 2026-01-29 00:00 (+00:00).",
    ],
    ["L-2 in a leap February", "* * * L-2 * ? *", "2028-02-01T00:00:00Z", "Sun 2028-02-27 00:00 (+00:00)."],
    [
      "LW: last weekday (Jan 31 is a Saturday)",
      "* * * LW * ? *",
      "2026-01-05T00:00:00Z",
      "Fri 2026-01-30 00:00 (+00:00).",
    ],
    [
      "15W: nearest weekday to a Sunday 15th",
      "* * * 15W * ? *",
      "2026-02-01T00:00:00Z",
      "Mon 2026-02-16 00:00 (+00:00).",
    ],
    [
      "1W: a Saturday 1st moves forward, not into July",
      "* * * 1W * ? *",
      "2026-07-05T00:00:00Z",
      "Mon 2026-08-03 00:00 (+00:00).",
    ],
    [
      "31W: a Sunday 31st moves back to Friday",
      "* * * 31W * ? *",
      "2026-05-01T00:00:00Z",
      "Fri 2026-05-29 00:00 (+00:00).",
    ],
    [
      "6#3: third Friday (1 = SUN)",
      "* * * ? * 6#3 *",
      "2026-01-01T00:00:00Z",
      "Fri 2026-01-16 00:00 (+00:00).",
    ],
    [
      "FRI#3: the same by name",
      "* * * ? * FRI#3 *",
      "2026-01-01T00:00:00Z",
      "Fri 2026-01-16 00:00 (+00:00).",
    ],
    ["6L: last Friday", "* * * ? * 6L *", "2026-01-01T00:00:00Z", "Fri 2026-01-30 00:00 (+00:00)."],
    [
      "L alone in day-of-week is 7 = SAT",
      "* * * ? * L *",
      "2026-01-05T00:00:00Z",
      "Sat 2026-01-10 00:00 (+00:00).",
    ],
    ["1 = SUN", "* * * ? * 1 *", "2026-01-05T00:00:00Z", "Sun 2026-01-11 00:00 (+00:00)."],
    [
      "Dec 31 to Jan 1 across the year end",
      "* * * 1 JAN ? *",
      "2026-12-31T23:59:00Z",
      "Fri 2027-01-01 00:00 (+00:00).",
    ],
    [
      "a wrapping month range NOV-FEB",
      "* * * 1 NOV-FEB ? *",
      "2026-03-01T00:00:00Z",
      "Sun 2026-11-01 00:00 (+00:00).",
    ],
    ["the year field", "* * * * * ? 2027", "2026-06-01T00:00:00Z", "Fri 2027-01-01 00:00 (+00:00)."],
    [
      "a leap day from the year before",
      "* * * 29 FEB ? *",
      "2027-03-01T00:00:00Z",
      "Tue 2028-02-29 00:00 (+00:00).",
    ],
  ])("%s", (_, cron, now, opens) => {
    expect(at(cron, now)).toBe(opens);
  });

  it("a leap day more than a year away: says it does not open within a year", () => {
    expect(blocked({ allow: ["* * * 29 2 ? *"] }, "2026-03-01T10:00:00Z")).toMatch(
      /It does not open within a year \(searched until Tue 2027-03-02 10:00 \(\+00:00\)\)\.$/,
    );
  });

  it("a leap-day range covers the whole day", () => {
    const params = { deny: [{ from: "2028-02-29", to: "2028-02-29", reason: "leap day" }] };
    expect(blocked(params, "2028-02-29T23:59:00Z")).toBe(
      'Blocked by deny "leap day" at Tue 2028-02-29 23:59 (UTC, +00:00). Opens Wed 2028-03-01 00:00 (+00:00).',
    );
    expect(decide(params, "2028-02-28T23:59:00Z").pass).toBe(true);
  });

  it("the last day of each month is open until its midnight", () => {
    expect(firstLine({ allow: ["* * * L * ? *"] }, "2026-04-30T12:00:00Z")).toBe(
      'Open at Thu 2026-04-30 12:00 (UTC, +00:00) until Fri 2026-05-01 00:00 (+00:00), when allow "* * * L * ? *" ends.',
    );
  });
});

describe("wrapping past midnight", () => {
  it("a weekly window whose end is before its start runs into the next day", () => {
    const params = {
      timeZone: BERLIN,
      allow: [{ days: "FRI", start: "22:00", end: "02:00", reason: "night" }],
    };
    expect(firstLine(params, "2026-11-28T00:30:00Z")).toBe(
      'Open at Sat 2026-11-28 01:30 (Europe/Berlin, +01:00) until Sat 2026-11-28 02:00 (+01:00), when allow "night" ends.',
    );
    expect(blocked(params, "2026-11-28T01:00:00Z")).toMatch(/Opens Fri 2026-12-04 22:00 \(\+01:00\)\.$/);
    // The part after midnight belongs to Friday's window, not to a Saturday one.
    expect(decide(params, "2026-11-27T00:30:00Z").pass).toBe(false);
  });

  it("a wrapping hour range in cron (22-2) means 22, 23, 0, 1 and 2 o'clock", () => {
    const params = { allow: ["* * 22-2 ? * * *"] };
    expect(firstLine(params, "2026-11-27T23:00:00Z")).toMatch(/until Sat 2026-11-28 03:00 \(\+00:00\)/);
    expect(blocked(params, "2026-11-28T03:00:00Z")).toMatch(/Opens Sat 2026-11-28 22:00 \(\+00:00\)\.$/);
  });

  it("FRI-SUN all day is one stretch from Friday 00:00 to Monday 00:00", () => {
    const params = { allow: [{ days: "FRI-SUN" }] };
    expect(firstLine(params, "2026-11-27T00:00:00Z")).toMatch(/until Mon 2026-11-30 00:00/);
  });

  it("an every-day window stays open for at least a year", () => {
    expect(firstLine({ allow: [{}] }, "2026-11-27T00:00:00Z")).toBe(
      "Open at Fri 2026-11-27 00:00 (UTC, +00:00) and stays open for at least a year.",
    );
  });

  it("a deny with only a reason blocks every minute: a manual freeze", () => {
    expect(blocked({ deny: [{ reason: "frozen by ops" }] }, "2026-11-27T00:00:00Z")).toBe(
      'Blocked by deny "frozen by ops" at Fri 2026-11-27 00:00 (UTC, +00:00). It does not open within a year (searched until Sun 2027-11-28 00:00 (+00:00)).',
    );
  });
});

describe("UTC offsets", () => {
  it.each([
    [
      "UTC+05:30",
      "2026-11-27T03:29:00Z",
      "Fri 2026-11-27 08:59 (UTC+05:30, +05:30)",
      "Fri 2026-11-27 09:00 (+05:30)",
    ],
    [
      "UTC-03:00",
      "2026-11-27T11:59:00Z",
      "Fri 2026-11-27 08:59 (UTC-03:00, -03:00)",
      "Fri 2026-11-27 09:00 (-03:00)",
    ],
    [
      "UTC+00:00",
      "2026-11-27T08:59:00Z",
      "Fri 2026-11-27 08:59 (UTC, +00:00)",
      "Fri 2026-11-27 09:00 (+00:00)",
    ],
  ])("%s shifts the windows and shows the offset", (timeZone, now, at, opens) => {
    expect(blocked({ timeZone, allow: ["* * 9-16 ? * MON-FRI *"] }, now)).toBe(
      `Blocked outside allow window "* * 9-16 ? * MON-FRI *" at ${at}. Opens ${opens}.`,
    );
  });
});

describe("runway", () => {
  const params = {
    timeZone: BERLIN,
    allow: [{ days: "MON-FRI", start: "09:00", end: "17:00", reason: "office" }],
  };

  it("passes when the window stays open long enough", () => {
    expect(passed({ ...params, runwayMinutes: 60 }, "2026-11-27T14:59:00Z")).toBe(
      'Open at Fri 2026-11-27 15:59 (Europe/Berlin, +01:00) until Fri 2026-11-27 17:00 (+01:00), when allow "office" ends.\n' +
        "Checked 1 allow window in Europe/Berlin, with 60 minutes of runway.",
    );
  });

  it("blocks when it would close too soon and says when", () => {
    expect(blocked({ ...params, runwayMinutes: 60 }, "2026-11-27T15:01:00Z")).toBe(
      'Blocked by runway at Fri 2026-11-27 16:01 (Europe/Berlin, +01:00): it closes at Fri 2026-11-27 17:00 (+01:00) when allow "office" ends, 59 minutes from now; runwayMinutes is 60. Opens Mon 2026-11-30 09:00 (+01:00).',
    );
  });

  it("the next opening is the first one long enough", () => {
    const short = {
      allow: [
        { start: "09:00", end: "09:30", reason: "short" },
        { start: "10:00", end: "17:00", reason: "long" },
      ],
      runwayMinutes: 45,
    };
    expect(blocked(short, "2026-11-27T09:05:00Z")).toMatch(
      /25 minutes from now; runwayMinutes is 45\. Opens Fri 2026-11-27 10:00/,
    );
    expect(blocked(short, "2026-11-27T08:00:00Z")).toMatch(/Opens Fri 2026-11-27 10:00 \(\+00:00\)\.$/);
  });

  it("a stale waiver is named on the line after", () => {
    const stale = {
      from: "2026-11-20T10:00",
      to: "2026-11-20T12:00",
      reason: "hotfix",
      ticket: "CHG-1",
      approvedBy: "alice@example.com",
    };
    expect(blocked({ ...params, runwayMinutes: 60, waivers: [stale] }, "2026-11-27T15:01:00Z")).toBe(
      'Blocked by runway at Fri 2026-11-27 16:01 (Europe/Berlin, +01:00): it closes at Fri 2026-11-27 17:00 (+01:00) when allow "office" ends, 59 minutes from now; runwayMinutes is 60. Opens Mon 2026-11-30 09:00 (+01:00).\n' +
        "Stale waiver CHG-1 (approved by alice@example.com) ended at Fri 2026-11-20 12:00 (+01:00); remove it from waivers.",
    );
  });

  it("a deny window that begins soon cuts the runway", () => {
    const deny = {
      deny: [{ from: "2026-11-27T12:00", to: "2026-11-27T13:00", reason: "lunch" }],
      runwayMinutes: 120,
    };
    expect(blocked(deny, "2026-11-27T10:30:00Z")).toMatch(
      /when deny "lunch" begins, 1 hour 30 minutes from now; runwayMinutes is 120\. Opens Fri 2026-11-27 13:00/,
    );
  });
});

describe("figures: minutes until it opens", () => {
  const office = {
    timeZone: BERLIN,
    allow: [{ days: "MON-FRI", start: "09:00", end: "17:00", reason: "office" }],
  };

  it.each([
    // Fri 11:00 Berlin (10:00Z) to Mon 00:00 Berlin (Sun 23:00Z): 2 days 13 hours.
    ["blocked, counted from now", blogDeny, "2026-11-27T10:00:00Z", 3660],
    ["seconds of now do not count", blogDeny, "2026-11-27T10:00:59Z", 3660],
    // Fri 15:01Z to Mon 08:00Z (09:00 Berlin): from now, not from when it closes.
    ["blocked by runway, counted from now", { ...office, runwayMinutes: 60 }, "2026-11-27T15:01:00Z", 3899],
    ["open", office, "2026-11-27T09:00:00Z", 0],
  ])("%s", (_, params, now, minutes) => {
    expect(decide(params, now).figures).toEqual({ MinutesUntilOpen: minutes });
  });

  it("none when the opening is not known", () => {
    const verdict = decide({ deny: [{ reason: "frozen by ops" }] }, "2026-11-27T00:00:00Z");
    expect(verdict).toMatchObject({ pass: false, figures: {} });
    const closed = decide({ changeCalendars: ["prod-freeze"] }, "2026-11-27T10:00:00Z", [
      { name: "prod-freeze", state: "CLOSED" },
    ]);
    expect(closed).toMatchObject({ pass: false, figures: {} });
  });
});

describe("when the search for an opening runs out of steps", () => {
  it("says how far it searched; that is not proof that the runway never fits", () => {
    // One minute open per hour: two search steps an hour, so 10,000 steps end after 5,000 hours.
    const verdict = decide({ allow: ["* 0 * ? * * *"], runwayMinutes: 2 }, "2026-11-27T10:30:00Z");
    expect(verdict).toEqual({
      pass: false,
      message:
        'Blocked outside allow window "* 0 * ? * * *" at Fri 2026-11-27 10:30 (UTC, +00:00). ' +
        "It does not open before Wed 2027-06-23 18:01 (+00:00), as far as the search went.",
      figures: {},
    });
  });
});

describe("change calendars", () => {
  const closedUntil = (at: string) => ({
    name: "prod-freeze",
    state: "CLOSED" as const,
    nextTransition: Date.parse(at),
  });
  const openUntil = (at: string) => ({
    name: "prod-freeze",
    state: "OPEN" as const,
    nextTransition: Date.parse(at),
  });

  it("a CLOSED calendar blocks and opens at its next transition", () => {
    expect(
      blocked({ changeCalendars: ["prod-freeze"] }, "2026-11-27T10:00:00Z", [
        closedUntil("2026-11-30T08:00:00Z"),
      ]),
    ).toBe(
      'Blocked by change calendar "prod-freeze" (CLOSED) at Fri 2026-11-27 10:00 (UTC, +00:00). Opens Mon 2026-11-30 08:00 (+00:00).\n' +
        'Change calendar "prod-freeze" is CLOSED until Mon 2026-11-30 08:00 (+00:00).',
    );
  });

  it("when windows open after the calendar does, it says the calendar may close again", () => {
    const params = { timeZone: BERLIN, deny: [{ days: "FRI-SUN" }], changeCalendars: ["prod-freeze"] };
    expect(firstLine(params, "2026-11-25T10:00:00Z", [closedUntil("2026-11-28T08:00:00Z")])).toBe(
      'Blocked by change calendar "prod-freeze" (CLOSED) at Wed 2026-11-25 11:00 (Europe/Berlin, +01:00). ' +
        'Opens Mon 2026-11-30 00:00 (+01:00), if change calendar "prod-freeze" has not closed again by then: GetCalendarState tells only a calendar\'s next change.',
    );
  });

  it("a CLOSED calendar with nothing scheduled: when it opens is not known", () => {
    expect(
      blocked({ changeCalendars: ["prod-freeze"] }, "2026-11-27T10:00:00Z", [
        { name: "prod-freeze", state: "CLOSED" },
      ]),
    ).toBe(
      'Blocked by change calendar "prod-freeze" (CLOSED) at Fri 2026-11-27 10:00 (UTC, +00:00). When it opens is not known: change calendar "prod-freeze" is CLOSED with no change scheduled.',
    );
  });

  it("an OPEN calendar that closes before the windows open: when it opens is not known", () => {
    const params = { deny: [{ days: "FRI-SUN" }], changeCalendars: ["prod-freeze"] };
    expect(blocked(params, "2026-11-27T10:00:00Z", [openUntil("2026-11-29T00:00:00Z")])).toBe(
      'Blocked by deny "FRI-SUN" at Fri 2026-11-27 10:00 (UTC, +00:00). When it opens is not known: change calendar "prod-freeze" closes at Sun 2026-11-29 00:00 (+00:00) and GetCalendarState does not say when it opens again.',
    );
  });

  it("an OPEN calendar that closes soon limits how long it stays open", () => {
    const params = { deny: [{ days: "FRI-SUN" }], changeCalendars: ["prod-freeze"] };
    expect(passed(params, "2026-11-24T10:00:00Z", [openUntil("2026-11-25T18:00:00Z")])).toBe(
      'Open at Tue 2026-11-24 10:00 (UTC, +00:00) until Wed 2026-11-25 18:00 (+00:00), when change calendar "prod-freeze" closes.\n' +
        "Checked 1 deny window and 1 change calendar (OPEN) in UTC.",
    );
    expect(
      blocked({ ...params, runwayMinutes: 120 }, "2026-11-25T17:00:00Z", [openUntil("2026-11-25T18:00:00Z")]),
    ).toMatch(
      /^Blocked by runway .* when change calendar "prod-freeze" closes, 1 hour from now; runwayMinutes is 120\. When it opens is not known/,
    );
  });

  it("all calendars must be OPEN", () => {
    const calendars = [
      { name: "cal-a", state: "OPEN" as const },
      { name: "cal-b", state: "CLOSED" as const, nextTransition: Date.parse("2026-11-27T12:00:00Z") },
    ];
    expect(firstLine({ changeCalendars: ["cal-a", "cal-b"] }, "2026-11-27T10:00:00Z", calendars)).toBe(
      'Blocked by change calendar "cal-b" (CLOSED) at Fri 2026-11-27 10:00 (UTC, +00:00). Opens Fri 2026-11-27 12:00 (+00:00).',
    );
    expect(passed({ changeCalendars: ["cal-a"] }, "2026-11-27T10:00:00Z", calendars.slice(0, 1))).toBe(
      "Open at Fri 2026-11-27 10:00 (UTC, +00:00) and stays open for at least a year.\nChecked 1 change calendar (OPEN) in UTC.",
    );
  });
});

describe("message limits", () => {
  it("stay within CodePipeline's limits even with many long reasons", () => {
    const reason = (i: number) => `${"x".repeat(190)} ${i}`;
    const windows = Array.from({ length: 50 }, (_, i) => ({ days: "SAT", reason: reason(i) }));
    const verdict = decide({ allow: windows }, "2026-11-27T10:00:00Z");
    expect(verdict.pass).toBe(false);
    // The runtime truncates at 5000 as a last resort; the first line still carries the verdict.
    expect(verdict.pass ? "" : verdict.message).toMatch(/^Blocked outside every allow window/);
    const open = decide({ deny: windows }, "2026-11-27T10:00:00Z");
    expect(open.pass ? open.summary.length : 0).toBeLessThanOrEqual(2048);
  });
});
