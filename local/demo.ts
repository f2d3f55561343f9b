/**
 * npm run demo — the blog's three scenarios, end to end, against a local AWS (no account, no
 * Docker): each scenario runs the built bundle of a rule on a sample event in a fresh Node
 * process and shows what the rule reported to (our local) CodePipeline.
 */
import { readFileSync } from "node:fs";
import { CALENDARS, seedFixtures } from "./fixtures.js";
import { startLocalAws } from "./local-aws.js";
import { buildBundles, runBundle, templateFunctions } from "./run-bundle.js";

interface Scenario {
  title: string;
  rule: string;
  event: string;
  expect: "PASS" | "FAIL";
  /** The moment the rule decides at (the window check reads the clock). */
  now?: string;
}

const SCENARIOS: Scenario[] = [
  {
    title: "1. Build: the pushed image has critical findings",
    rule: "ecr-findings-check",
    event: "events/ecr-findings-check/critical-finding-fails.json",
    expect: "FAIL",
  },
  {
    title: "1. Build: the fixed image (apt upgrade) is pushed",
    rule: "ecr-findings-check",
    event: "events/ecr-findings-check/fixed-image-passes.json",
    expect: "PASS",
  },
  {
    title: "+ Build: v3 adds one new CRITICAL to what production runs",
    rule: "ecr-findings-check",
    event: "events/ecr-findings-check/baseline-new-critical-fails.json",
    expect: "FAIL",
  },
  {
    title: "+ Build: v4 only inherits production's CRITICALs",
    rule: "ecr-findings-check",
    event: "events/ecr-findings-check/baseline-inherited-passes.json",
    expect: "PASS",
  },
  {
    title: "+ Build: only exploitable findings with EPSS ≥ 0.001 count",
    rule: "ecr-findings-check",
    event: "events/ecr-findings-check/exploitable-epss-fails.json",
    expect: "FAIL",
  },
  {
    title: "+ Build: base-image findings left out",
    rule: "ecr-findings-check",
    event: "events/ecr-findings-check/base-image-fails.json",
    expect: "FAIL",
  },
  {
    title: "+ Build: the repository is never scanned",
    rule: "ecr-findings-check",
    event: "events/ecr-findings-check/never-scanned-fails.json",
    expect: "FAIL",
  },
  {
    title: "+ Build: reports say coverage 72.4 % (gate: 80 %)",
    rule: "artifact-check",
    event: "events/artifact-check/coverage-fail.json",
    expect: "FAIL",
  },
  {
    title: "+ Build: coverage 91.2 %, no failed tests",
    rule: "artifact-check",
    event: "events/artifact-check/coverage-tests-pass.json",
    expect: "PASS",
  },
  {
    title: "3. DeployToProduction entry on Friday 11:00 Berlin",
    rule: "window-check",
    event: "events/window-check/blog-deny-fri-sun.json",
    expect: "FAIL",
    now: "2026-11-27T10:00:00Z",
  },
  {
    title: "3. DeployToProduction entry on Tuesday 11:00 Berlin",
    rule: "window-check",
    event: "events/window-check/blog-deny-fri-sun.json",
    expect: "PASS",
    now: "2026-12-01T10:00:00Z",
  },
];

const started = Date.now();
const timeouts = new Map(templateFunctions().map((f) => [f.name, f.timeoutMs]));
process.stdout.write("Building the bundles and starting a local AWS (moto_server + local CodePipeline)…\n");
await buildBundles();
const local = await startLocalAws(CALENDARS);
const rows: string[][] = [];
let mismatches = 0;
try {
  await seedFixtures(local);
  for (const scenario of SCENARIOS) {
    const event = JSON.parse(readFileSync(scenario.event, "utf8")) as unknown;
    const run = await runBundle(scenario.rule, event, {
      env: local.env,
      timeoutMs: timeouts.get(scenario.rule) ?? 60_000,
      now: scenario.now,
    });
    const outcome = (
      run.result as { outcome?: { status: string; type?: string; message?: string; summary?: string } }
    )?.outcome;
    const got = !outcome ? "ERROR" : outcome.status === "succeeded" ? "PASS" : "FAIL";
    if (got !== scenario.expect) mismatches++;
    const text = outcome?.message ?? outcome?.summary ?? run.error ?? "";
    rows.push([
      scenario.title,
      scenario.rule,
      got === scenario.expect ? got : `${got} (expected ${scenario.expect})`,
      text,
    ]);
  }
} finally {
  await local.stop();
}

const width = (i: number) => Math.max(...rows.map((r) => (r[i] ?? "").length), 8);
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width(i))).join(" │ ");
process.stdout.write(
  `\n${line(["Scenario", "Rule", "Result"])}\n${"─".repeat(width(0) + width(1) + width(2) + 6)}\n`,
);
for (const row of rows) {
  process.stdout.write(`${line(row.slice(0, 3))}\n`);
  const [first, ...rest] = (row[3] ?? "").split("\n");
  process.stdout.write(`    ${first}\n`);
  for (const more of rest.slice(0, 2)) process.stdout.write(`    ${more}\n`);
  process.stdout.write("\n");
}
process.stdout.write(
  `${rows.length} scenarios in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `${mismatches === 0 ? "every rule decided as expected" : `${mismatches} did not decide as expected`}.\n` +
    "Scenario 2 (roll back DeployToStage on a CloudWatch alarm) is CodePipeline's native CloudWatchAlarm rule: see examples/pipeline.yaml.\n" +
    "Try one yourself: npm run invoke -- window-check events/window-check/blog-deny-fri-sun.json --now 2026-11-29T12:00:00Z\n",
);
process.exitCode = mismatches === 0 ? 0 : 1;
