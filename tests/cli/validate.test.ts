import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectUsageError, runCli } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "cli-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WINDOW = { timeZone: "Europe/Berlin", allow: [{ days: "MON-FRI", start: "09:00", end: "17:00" }] };

describe("codepipeline-gates validate", () => {
  it("accepts a valid configuration with exit 0 and says how long it is", async () => {
    const run = await runCli(["validate", "window-check", JSON.stringify(WINDOW)]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(
      `Valid window-check UserParameters (from the command line; ${JSON.stringify(WINDOW).length} of 10000 characters).\n`,
    );
  });

  it("reports every mistake at once, with key path, expected, got and a likely fix; exit 2", async () => {
    const params = {
      timeZone: "Europe/Berln",
      allow: [{ days: "MON-FIR", start: "09:00", end: "17:00" }],
      runwayMinuts: 30,
    };
    const run = await runCli(["validate", "window-check", JSON.stringify(params)]);
    expect(run.code).toBe(2);
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      "Invalid UserParameters:",
      'timeZone: expected an IANA time zone such as "Europe/Berlin", "UTC" or "UTC+05:30"; got "Europe/Berln"; did you mean "Europe/Berlin"?',
      'allow[0].days: expected day names SUN MON TUE WED THU FRI SAT, single or as a range such as "MON-FRI" or "FRI-SUN"; got "MON-FIR"; did you mean FRI?',
      'UserParameters: unknown key "runwayMinuts" (did you mean "runwayMinutes"?); allowed: timeZone, allow, deny, changeCalendars, runwayMinutes, waivers, maxWaiverHours, waiversOverrideCalendars, mode',
    ]);
  });

  it("names misspelt severities and budget keys for ecr-findings-check", async () => {
    const run = await runCli([
      "validate",
      "ecr-findings-check",
      '{"failOnSeverity":"critcal","maxFindings":{"HIHG":2}}',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('got "critcal"; did you mean "CRITICAL"?');
    expect(run.stdout).toContain('maxFindings: unknown key "HIHG" (did you mean "HIGH"?)');
  });

  it("reads @file.json and - (standard input)", async () => {
    const file = join(dir, "gate.json");
    writeFileSync(file, JSON.stringify(WINDOW, null, 2));
    const fromFile = await runCli(["validate", "window-check", `@${file}`]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain(`from ${file};`);
    const fromStdin = await runCli(["validate", "artifact-check", "-"], { stdin: '{"checks": []}' });
    expect(fromStdin.code).toBe(2);
    expect(fromStdin.stdout).toContain("checks: expected a non-empty list of checks");
  });

  it("reports JSON that does not parse as the Lambda would, exit 2", async () => {
    const run = await runCli(["validate", "window-check", "{timeZone: UTC}"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^UserParameters is not valid JSON \(.+\)\. Expected a JSON object/);
  });

  it("gives one line and exit 2 for an unreadable file, an unknown rule or a missing argument", async () => {
    expectUsageError(
      await runCli(["validate", "window-check", `@${join(dir, "missing.json")}`]),
      /cannot read UserParameters file ".*missing\.json": no such file/,
    );
    expectUsageError(await runCli(["validate", "window-check", `@${dir}`]), /it is a folder/);
    expectUsageError(
      await runCli(["validate", "artefact-check", "{}"]),
      /unknown rule "artefact-check"; did you mean artifact-check\?/,
    );
    expectUsageError(await runCli(["validate", "window-check"]), /validate needs <params>/);
    expectUsageError(
      await runCli(["validate"]),
      /name a rule: artifact-check, ecr-findings-check, window-check/,
    );
    expectUsageError(await runCli(["valdate", "window-check", "{}"]), /unknown command "valdate"/);
    expectUsageError(await runCli([]), /name a command: validate, check, next, schema/);
  });

  it("prints usage with --help, exit 0", async () => {
    for (const args of [["--help"], ["check", "--help"]]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: codepipeline-gates <command> <rule> \[options\]\n/);
      expect(run.stdout).toContain(
        "Exit 0 passed, 1 gate failed, 2 configuration error, 3 permission/AWS error.",
      );
    }
  });

  it("points at @ when a file name is given as the JSON", async () => {
    const file = join(dir, "plain.json");
    writeFileSync(file, "{}");
    expectUsageError(await runCli(["validate", "window-check", file]), /is a file, not JSON: write @/);
  });
});
