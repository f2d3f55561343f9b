import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zipBuffer } from "../../local/zip.js";
import { expectUsageError, runCli } from "./support.js";

const dir = mkdtempSync(join(tmpdir(), "cli-artifact-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COVERAGE = JSON.stringify({
  checks: [
    {
      file: "reports/coverage-summary.json",
      expect: "total.lines.pct >= `80`",
      description: "line coverage ≥ 80%",
    },
    { file: "NOTES.md", notMatch: "DO NOT SHIP", description: "no release blocker" },
  ],
});

const files = (pct: number, notes: string) => ({
  "reports/coverage-summary.json": JSON.stringify({ total: { lines: { pct } } }),
  "NOTES.md": notes,
});

const good = join(dir, "good");
const bad = join(dir, "bad");
const badZip = join(dir, "bad.zip");
beforeAll(async () => {
  for (const [folder, content] of [
    [good, files(91.2, "Ready to go.\n")],
    [bad, files(72.4, "# Notes\nDO NOT SHIP until the billing migration lands.\n")],
  ] as const) {
    mkdirSync(join(folder, "reports"), { recursive: true });
    for (const [path, text] of Object.entries(content)) writeFileSync(join(folder, path), text);
  }
  writeFileSync(
    badZip,
    await zipBuffer(files(72.4, "# Notes\nDO NOT SHIP until the billing migration lands.\n")),
  );
});

describe("codepipeline-gates check artifact-check", () => {
  it("passes on a folder read as the artifact's zip, exit 0", async () => {
    const run = await runCli(["check", "artifact-check", "--params", COVERAGE, "--artifact", good]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^PASSED artifact-check\n/);
    expect(run.stdout).toContain("line coverage ≥ 80%");
  });

  it("fails on a zip file as the pipeline would, exit 1, naming each failed check", async () => {
    const run = await runCli(["check", "artifact-check", "--params", COVERAGE, "--artifact", badZip]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAILED artifact-check \(JobFailed\)\n/);
    expect(run.stdout).toContain("line coverage ≥ 80%");
    expect(run.stdout).toContain("no release blocker");
    expect(run.stdout).toContain("DO NOT SHIP");
  });

  it("decides the same for a folder and the zip of the same files", async () => {
    const fromFolder = await runCli([
      "check",
      "artifact-check",
      "--json",
      "--params",
      COVERAGE,
      "--artifact",
      bad,
    ]);
    const fromZip = await runCli([
      "check",
      "artifact-check",
      "--json",
      "--params",
      COVERAGE,
      "--artifact",
      badZip,
    ]);
    const outcome = (stdout: string) => {
      const parsed = JSON.parse(stdout) as { message: string };
      // Only the artifact's location (the path) differs.
      return { ...parsed, message: parsed.message.replaceAll(bad, "<path>").replaceAll(badZip, "<path>") };
    };
    expect(outcome(fromFolder.stdout)).toEqual(outcome(fromZip.stdout));
    expect(JSON.parse(fromZip.stdout)).toMatchObject({
      rule: "artifact-check",
      outcome: "failed",
      type: "JobFailed",
    });
  });

  it("picks artifacts by name with NAME=<path>, as UserParameters.artifact names them", async () => {
    const params = JSON.stringify({ ...JSON.parse(COVERAGE), artifact: "TestReports" });
    const run = await runCli([
      "check",
      "artifact-check",
      "--params",
      params,
      "--artifact",
      `BuildArtifact=${bad}`,
      "--artifact",
      `TestReports=${good}`,
    ]);
    expect(run.code).toBe(0);
    const missing = await runCli([
      "check",
      "artifact-check",
      "--params",
      params,
      "--artifact",
      `BuildArtifact=${good}`,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe(
      'FAILED artifact-check (ConfigurationError)\nNo input artifact named "TestReports"; the rule\'s input artifacts are "BuildArtifact".\n',
    );
  });

  it("fails the job for a missing file, naming the closest files", async () => {
    const params = JSON.stringify({ checks: [{ file: "reports/coverage.json", expect: "total" }] });
    const run = await runCli(["check", "artifact-check", "--params", params, "--artifact", good]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('"reports/coverage-summary.json"');
  });

  it("needs --artifact, an existing path, and names for several", async () => {
    expectUsageError(
      await runCli(["check", "artifact-check", "--params", COVERAGE]),
      /give --artifact <dir\|zip>/,
    );
    expectUsageError(
      await runCli(["check", "artifact-check", "--params", COVERAGE, "--artifact", join(dir, "nope")]),
      /--artifact ".*nope": no such file or folder/,
    );
    expectUsageError(
      await runCli(["check", "artifact-check", "--params", COVERAGE, "--artifact", good, "--artifact", bad]),
      /several --artifact options need names/,
    );
    expectUsageError(
      await runCli(["check", "artifact-check", "--params", COVERAGE, "--artifact"]),
      /--artifact/,
    );
  });
});
