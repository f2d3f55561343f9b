/**
 * npm run bench — every benchmark in one run, printed and written to BENCHMARKS.md with the
 * machine, the Node version and the date. Medians of several runs; ratios are measured side by
 * side in the same run. Takes a few minutes (most of it moto_server serving large artifacts and
 * tens of thousands of findings).
 */

import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { runArtifactReadBench } from "./artifact-read.js";
import { runCliStartBench } from "./cli.js";
import { runColdStartBench } from "./cold-start.js";
import { endToEndFindingsBench, pureFindingsBench } from "./findings.js";
import { windowBench } from "./windows.js";

const mark = (ok: boolean) => (ok ? "✓" : "✗");
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(2);
const table = (head: string[], rows: Array<Array<string | number>>) =>
  [
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

const started = Date.now();
const log = (text: string) => process.stdout.write(`${text}\n`);

log("cold start…");
const cold = await runColdStartBench(15);
log("artifact reads (1, 100, 500 MB)…");
const reads = await runArtifactReadBench([1, 100, 500], 3);
log("findings at scale…");
const findings = await endToEndFindingsBench(pureFindingsBench());
log("window decisions…");
const windows = windowBench();
log("command line start…");
const cliStart = await runCliStartBench(15);

const base = reads[0];
const coldTable = table(
  [
    "function",
    "bundle KB",
    "floor KB",
    "import ms (over bare node)",
    "floor ms",
    "target ≤ 1.3 × floor + 15",
    "",
  ],
  cold.map((r) => [
    r.name,
    r.bundleKb,
    r.floorKb,
    r.bundleMs,
    r.floorMs,
    r.target,
    mark(r.bundleMs <= r.target),
  ]),
);
const readTable = table(
  [
    "artifact",
    "ours: ms",
    "ours: peak RSS MB",
    "ours: MB moved",
    "entry + central directory MB",
    "naive: ms",
    "naive: peak RSS MB",
    "naive: MB moved",
    "unzip -p ms",
    "RSS ≤ 1 MB case + 64",
    "moved ≤ entry + CD + 2 MB",
    "time ≤ 1 MB case + 2 s",
  ],
  reads.map((r) => [
    `${r.sizeMb} MB`,
    r.ranged.ms,
    r.ranged.peakRssMb,
    mb(r.ranged.bytesMoved),
    mb(r.entryCompressed + r.centralDirectory),
    r.naive.ms,
    r.naive.peakRssMb,
    mb(r.naive.bytesMoved),
    r.unzipMs,
    mark(r.ranged.peakRssMb <= (base?.ranged.peakRssMb ?? 0) + 64),
    mark(r.ranged.bytesMoved <= r.entryCompressed + r.centralDirectory + 2 * 1024 * 1024),
    mark(r.ranged.ms <= (base?.ranged.ms ?? 0) + 2000),
  ]),
);
const findingsTable = table(
  [
    "shape",
    "findings",
    "evaluate ms",
    "< 50 ms at 10,000",
    "end to end ms",
    "one finding ms",
    "moto's own response ms",
    "ours over one finding, less moto's response",
    "< 400 ms",
  ],
  findings.map((r) => {
    const ours = (r.endToEndMs ?? 0) - (r.oneFindingMs ?? 0) - (r.motoMs ?? 0);
    return [
      r.shape,
      r.count.toLocaleString("en"),
      r.pureMs,
      r.count === 10_000 ? mark(r.pureMs < 50) : "",
      r.endToEndMs ?? "",
      r.oneFindingMs ?? "",
      r.motoMs ?? "",
      ours,
      mark(ours < 400),
    ];
  }),
);
const windowTable = table(
  ["opens", "first call ms", "median ms", "< 50 ms", "message"],
  windows.map((w) => [w.opens, w.firstMs, w.ms, mark(Math.max(w.firstMs, w.ms) < 50), `\`${w.message}\``]),
);

const cliTable = table(
  ["command", "wall ms", "bare node ms", "validate < 300 ms"],
  cliStart.map((r) => [
    `\`${r.command}\``,
    r.ms,
    r.bareMs,
    r.command.startsWith("validate") ? mark(r.ms < 300) : "",
  ]),
);

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 1024 ** 3)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`;
const report = `# Benchmarks

Written by \`npm run bench\` (${((Date.now() - started) / 1000).toFixed(0)} s). Machine: ${machine}.
Medians of several runs; each comparison is measured side by side in the same run.

## Cold start

Median time to import the built bundle (\`dist/<name>/index.mjs\`) in a fresh Node process, minus a
bare \`node -e 0\`, against a floor bundle built in the same run that holds only the SDK clients and
commands the function uses, created at module scope. 15 interleaved runs each.

${coldTable}

## Artifact reads

One small file (\`reports/version.json\`) out of artifacts whose bulk is incompressible, served by
moto_server; each read in a fresh process (peak RSS is its VmHWM). Ours: ranged GETs through the
shared artifact reader. Naive: GetObject of the whole artifact, unzip in memory. Floor: \`unzip -p\`
on a local copy.

${readTable}

## Findings at scale

The ECR policy (fail on CRITICAL, a HIGH budget, minScore, an exception) over generated findings.
"evaluate" is normalising the SDK objects and deciding, in process. "End to end" is the built
bundle against moto_server (the function's own durationMs), which answers with every finding in one
response; "moto's own response" times that same DescribeImageScanFindings call made directly, so
the last columns show what our code adds.

${findingsTable}

## Window decisions

The whole evaluation, including the next-open search, at Fri 2026-11-27 10:00 UTC.

${windowTable}

## Command line start

Wall time of \`node dist/cli/index.mjs <command>\` in a fresh process, Node's own start included,
against a bare \`node -e 0\`. 15 interleaved runs each.

${cliTable}
`;
writeFileSync("BENCHMARKS.md", report);
log(`\n${report}`);
