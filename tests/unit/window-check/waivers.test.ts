import { describe, expect, it } from "vitest";
import { buildGates } from "../../../functions/window-check/evaluate.js";
import { blockersAt, nextOpening, openUntil } from "../../../functions/window-check/schedule.js";
import { compileWaiver } from "../../../functions/window-check/waivers.js";
import { MINUTE_MS } from "../../../functions/window-check/zone.js";
import { blocked, decide, parse, passed, problem, random } from "./support.js";

const BERLIN = "Europe/Berlin";
const officeAndFreeze = {
  timeZone: BERLIN,
  allow: ["* * 9-16 ? * MON-FRI *"],
  deny: [{ from: "2026-12-19", to: "2027-01-06", reason: "holiday freeze" }],
};
const hotfix = {
  from: "2026-12-22T10:00",
  to: "2026-12-22T18:00",
  reason: "hotfix for checkout outage",
  ticket: "CHG-4711",
  approvedBy: "alice@example.com",
};
const withHotfix = { ...officeAndFreeze, waivers: [hotfix] };

describe("a waiver opens the gate for its interval only", () => {
  it("inside a freeze: the summary names the ticket, the approver, the end and the reason", () => {
    expect(passed(withHotfix, "2026-12-22T10:00:00Z")).toBe(
      "Passed under waiver CHG-4711 approved by alice@example.com until Tue 2026-12-22 18:00 (+01:00): hotfix for checkout outage\n" +
        'Open at Tue 2026-12-22 11:00 (Europe/Berlin, +01:00) until Tue 2026-12-22 18:00 (+01:00), when waiver CHG-4711 ends; without the waiver it is blocked by deny "holiday freeze".\n' +
        "Checked 1 allow window, 1 deny window and 1 waiver in Europe/Berlin.",
    );
  });

  it("outside the allow windows (in the evening)", () => {
    expect(passed(withHotfix, "2026-12-22T16:30:00Z")).toMatch(
      /^Passed under waiver CHG-4711 .*\n.*without the waiver it is blocked by deny "holiday freeze" and outside allow window "\* \* 9-16 \? \* MON-FRI \*"\.\n/,
    );
  });

  it("before it: blocked, and the next opening is the waiver's start", () => {
    expect(blocked(withHotfix, "2026-12-22T08:59:00Z")).toBe(
      'Blocked by deny "holiday freeze" at Tue 2026-12-22 09:59 (Europe/Berlin, +01:00). Opens Tue 2026-12-22 10:00 (+01:00) under waiver CHG-4711.',
    );
  });

  it("at its end (exclusive): blocked again, and the expired waiver is named as stale", () => {
    expect(decide(withHotfix, "2026-12-22T16:59:00Z").pass).toBe(true);
    expect(blocked(withHotfix, "2026-12-22T17:00:00Z")).toBe(
      'Blocked by deny "holiday freeze" and outside allow window "* * 9-16 ? * MON-FRI *" at Tue 2026-12-22 18:00 (Europe/Berlin, +01:00). Opens Thu 2027-01-07 09:00 (+01:00).\n' +
        "Stale waiver CHG-4711 (approved by alice@example.com) ended at Tue 2026-12-22 18:00 (+01:00); remove it from waivers.",
    );
  });

  it("a stale waiver is named on a pass too, and changes nothing", () => {
    const summary = passed(
      { ...officeAndFreeze, waivers: [{ ...hotfix, from: "2026-12-01T20:00", to: "2026-12-01T23:00" }] },
      "2026-12-15T10:00:00Z",
    );
    expect(summary.split("\n")).toEqual([
      'Open at Tue 2026-12-15 11:00 (Europe/Berlin, +01:00) until Tue 2026-12-15 17:00 (+01:00), when allow "* * 9-16 ? * MON-FRI *" ends.',
      "Checked 1 allow window, 1 deny window and 1 waiver in Europe/Berlin.",
      "Stale waiver CHG-4711 (approved by alice@example.com) ended at Tue 2026-12-01 23:00 (+01:00); remove it from waivers.",
    ]);
  });

  it("a waiver that is not needed (inside office hours) leaves the usual summary, extended to its end", () => {
    const summary = passed(
      { ...officeAndFreeze, waivers: [{ ...hotfix, from: "2026-12-01T10:00", to: "2026-12-01T18:00" }] },
      "2026-12-01T10:00:00Z",
    );
    expect(summary).toMatch(
      /^Open at Tue 2026-12-01 11:00 .* until Tue 2026-12-01 18:00 \(\+01:00\), when waiver CHG-4711 ends\.\n/,
    );
  });

  it("the runway counts the waiver's end", () => {
    expect(blocked({ ...withHotfix, runwayMinutes: 120 }, "2026-12-22T16:00:00Z")).toBe(
      "Blocked by runway at Tue 2026-12-22 17:00 (Europe/Berlin, +01:00): it closes at Tue 2026-12-22 18:00 (+01:00) when waiver CHG-4711 ends, 1 hour from now; runwayMinutes is 120. Opens Thu 2027-01-07 09:00 (+01:00).",
    );
    expect(decide({ ...withHotfix, runwayMinutes: 120 }, "2026-12-22T15:00:00Z").pass).toBe(true);
  });
});

describe("change calendars stay authoritative unless waiversOverrideCalendars", () => {
  const closed = [
    { name: "prod-freeze", state: "CLOSED" as const, nextTransition: Date.parse("2027-01-10T00:00:00Z") },
  ];
  const params = { ...withHotfix, changeCalendars: ["prod-freeze"] };

  it("by default a CLOSED calendar blocks inside the waiver, and the message says why", () => {
    expect(blocked(params, "2026-12-22T10:00:00Z", closed).split("\n")).toEqual([
      'Blocked by change calendar "prod-freeze" (CLOSED) at Tue 2026-12-22 11:00 (Europe/Berlin, +01:00). Opens Mon 2027-01-11 09:00 (+01:00), if change calendar "prod-freeze" has not closed again by then: GetCalendarState tells only a calendar\'s next change.',
      'Change calendar "prod-freeze" is CLOSED until Sun 2027-01-10 01:00 (+01:00).',
      "Waiver CHG-4711 holds, but change calendars stay authoritative (waiversOverrideCalendars is false).",
    ]);
  });

  it("with waiversOverrideCalendars: true the waiver opens it", () => {
    expect(passed({ ...params, waiversOverrideCalendars: true }, "2026-12-22T10:00:00Z", closed)).toBe(
      "Passed under waiver CHG-4711 approved by alice@example.com until Tue 2026-12-22 18:00 (+01:00): hotfix for checkout outage\n" +
        'Open at Tue 2026-12-22 11:00 (Europe/Berlin, +01:00) until Tue 2026-12-22 18:00 (+01:00), when waiver CHG-4711 ends; without the waiver it is blocked by deny "holiday freeze" and by change calendar "prod-freeze" (CLOSED).\n' +
        "Checked 1 allow window, 1 deny window, 1 change calendar (1 CLOSED, overridden by the waiver) and 1 waiver in Europe/Berlin.",
    );
  });

  it("with the override, a CLOSED calendar with nothing scheduled still opens at the waiver", () => {
    const forever = [{ name: "prod-freeze", state: "CLOSED" as const }];
    expect(blocked({ ...params, waiversOverrideCalendars: true }, "2026-12-22T08:00:00Z", forever)).toMatch(
      /^Blocked by deny "holiday freeze" and by change calendar "prod-freeze" \(CLOSED\) at .* Opens Tue 2026-12-22 10:00 \(\+01:00\) under waiver CHG-4711\.$/,
    );
  });

  it("with the override, an OPEN calendar that closes during the waiver does not cut it short", () => {
    const closesAtNoon = [
      { name: "prod-freeze", state: "OPEN" as const, nextTransition: Date.parse("2026-12-22T11:00:00Z") },
    ];
    expect(
      passed({ ...params, waiversOverrideCalendars: true }, "2026-12-22T10:00:00Z", closesAtNoon),
    ).toMatch(/until Tue 2026-12-22 18:00 \(\+01:00\), when waiver CHG-4711 ends;/);
    expect(passed(params, "2026-12-22T10:00:00Z", closesAtNoon)).toMatch(
      /until Tue 2026-12-22 12:00 \(\+01:00\), when change calendar "prod-freeze" closes;/,
    );
  });
});

describe("waivers are validated", () => {
  it("a waiver longer than maxWaiverHours (default 24)", () => {
    expect(problem({ ...officeAndFreeze, waivers: [{ ...hotfix, to: "2026-12-23T10:01" }] })).toBe(
      "Invalid UserParameters:\n" +
        'waivers[0].to: waiver CHG-4711 lasts 24 hours 1 minute ("2026-12-22T10:00" to "2026-12-23T10:01"); maxWaiverHours is 24: split it or raise maxWaiverHours',
    );
    expect(
      parse({ ...officeAndFreeze, waivers: [{ ...hotfix, to: "2026-12-23T10:00" }] }).waivers,
    ).toHaveLength(1);
    expect(
      parse({ ...officeAndFreeze, maxWaiverHours: 48, waivers: [{ ...hotfix, to: "2026-12-24T10:00" }] })
        .waivers,
    ).toHaveLength(1);
  });

  it("its length is real time: the day clocks go back in Berlin has 25 hours", () => {
    const wholeDay = { ...hotfix, from: "2026-10-25", to: "2026-10-25" };
    expect(problem({ ...officeAndFreeze, waivers: [wholeDay] })).toContain(
      'waiver CHG-4711 lasts 25 hours ("2026-10-25" to "2026-10-25"); maxWaiverHours is 24',
    );
    expect(parse({ ...officeAndFreeze, timeZone: "UTC", waivers: [wholeDay] }).waivers).toHaveLength(1);
  });

  it("reason, ticket and approvedBy are required, all named at once, with other problems", () => {
    expect(
      problem({
        ...officeAndFreeze,
        runwayMinutes: -1,
        waivers: [
          { from: hotfix.from, to: hotfix.to },
          { ...hotfix, ticket: "CHG-2", to: "2026-12-24T10:00" },
        ],
      }),
    ).toBe(
      [
        "Invalid UserParameters:",
        "runwayMinutes: expected number to be >=0; got -1",
        "waivers[0].reason: expected string; got nothing",
        "waivers[0].ticket: expected string; got nothing",
        "waivers[0].approvedBy: expected string; got nothing",
        'waivers[1].to: waiver CHG-2 lasts 48 hours ("2026-12-22T10:00" to "2026-12-24T10:00"); maxWaiverHours is 24: split it or raise maxWaiverHours',
      ].join("\n"),
    );
  });

  it.each<[string, unknown, string]>([
    ["an empty reason", { ...hotfix, reason: "  " }, 'waivers[0].reason: "reason" must not be empty'],
    [
      "an unknown key",
      { ...hotfix, note: "x" },
      'waivers[0]: unknown key "note"; allowed: from, to, reason, ticket, approvedBy',
    ],
    [
      "to before from",
      { ...hotfix, to: "2026-12-22T09:00" },
      'waivers[0].to: "from" "2026-12-22T10:00" must be before "to" "2026-12-22T09:00"',
    ],
    [
      "not a date",
      { ...hotfix, from: "tomorrow" },
      'waivers[0].from: expected a date "YYYY-MM-DD" or a date and time',
    ],
  ])("%s", (_, waiver, expected) => {
    expect(problem({ ...officeAndFreeze, waivers: [waiver] })).toContain(expected);
  });

  it("one waiver per ticket, and sensible limits", () => {
    expect(problem({ ...officeAndFreeze, waivers: [hotfix, hotfix] })).toContain(
      "waivers: each ticket may have one waiver",
    );
    expect(problem({ ...officeAndFreeze, waivers: [] })).toContain(
      "waivers: give at least one waiver, or leave the key out",
    );
    expect(problem({ ...officeAndFreeze, maxWaiverHours: 0 })).toContain(
      "maxWaiverHours: expected number to be >=1",
    );
    expect(problem({ ...officeAndFreeze, waiversOverrideCalendars: "yes" })).toContain(
      'waiversOverrideCalendars: expected boolean; got "yes"',
    );
  });
});

/**
 * Property test: with waivers applied, the searches agree with a minute-by-minute scan of
 * "(windows allow or a waiver holds) and (the calendar is OPEN or, with the override, a waiver holds)".
 */
describe.each([1, 2, 3, 4, 5, 6])("random waivers (seed %i)", (seed) => {
  const rng = random(seed * 104_729);
  const SCAN = 3 * 24 * 60;
  const base = Date.parse("2026-10-24T12:00:00Z"); // Berlin's clocks go back the next night
  const text = (ms: number) => new Date(ms + 3_600_000).toISOString().slice(0, 16); // Berlin is +01:00 after the change; only a shape
  const cases = Array.from({ length: 10 }, (_, i) => {
    const now = base + rng.int(0, 48 * 60) * MINUTE_MS;
    const waivers = Array.from({ length: rng.int(1, 3) }, (_, k) => {
      const from = now + rng.int(-12 * 60, 36 * 60) * MINUTE_MS;
      return {
        from: text(from),
        to: text(from + rng.int(1, 20 * 60) * MINUTE_MS),
        reason: "r",
        ticket: `T-${k}`,
        approvedBy: "a",
      };
    });
    const userParameters = {
      timeZone: BERLIN,
      ...(rng.next() < 0.6
        ? { allow: [rng.pick(["* * 9-16 ? * MON-FRI *", { start: "08:00", end: "12:00" }])] }
        : {}),
      deny: [rng.pick([{ days: "SAT-SUN" }, "* 0-29 * ? * * *", { from: "2026-10-25", to: "2026-10-26" }])],
      waivers,
      waiversOverrideCalendars: rng.next() < 0.5,
      changeCalendars: ["cal"],
    };
    const calendar = rng.pick([
      { name: "cal", state: "OPEN" as const },
      { name: "cal", state: "CLOSED" as const, nextTransition: now + rng.int(1, 60 * 60) * MINUTE_MS },
    ]);
    return [i, now, userParameters, calendar] as const;
  });

  it.each(cases)("case %i", (_, now, userParameters, calendar) => {
    const p = parse(userParameters);
    const waivers = (p.waivers ?? []).map((w) => compileWaiver(w, p.timeZone));
    const { plain, gate } = buildGates(p, [calendar], waivers);
    const waived = (m: number) => waivers.some((w) => w.window.contains(m));
    const calendarOpen = (m: number) =>
      calendar.state === "OPEN" || (calendar.nextTransition !== undefined && m >= calendar.nextTransition);
    const windowsAllow = (m: number) =>
      (plain.allow.length === 0 || plain.allow.some((w) => w.contains(m))) &&
      !plain.deny.some((w) => w.contains(m));
    const allowed = (m: number) =>
      (windowsAllow(m) || waived(m)) && (calendarOpen(m) || (p.waiversOverrideCalendars && waived(m)));
    const scan = (from: number, test: (m: number) => boolean) => {
      for (let i = 0; i < SCAN; i++) if (test(from + i * MINUTE_MS)) return from + i * MINUTE_MS;
      return undefined;
    };
    const limit = now + SCAN * MINUTE_MS;
    const context = JSON.stringify({ now: new Date(now).toISOString(), userParameters, calendar });

    expect(blockersAt(gate, now).length === 0, context).toBe(allowed(now));
    const opening = nextOpening(gate, now, limit, 0);
    expect(opening.kind === "opens" ? opening.at : undefined, context).toBe(scan(now, allowed));
    if (allowed(now)) {
      expect(openUntil(gate, now, limit).at, context).toBe(scan(now, (m) => !allowed(m)));
    }
  });
});
