/**
 * Command line start: wall time of `codepipeline-gates validate <rule> <params>` in a fresh Node
 * process (what a user waits for), against a bare `node -e 0`. Runs are interleaved so machine
 * noise hits both alike. Target: validate answers in under 300 ms.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { cliBuild } from "../scripts/build-config.js";

export interface CliStartRow {
  command: string;
  ms: number;
  bareMs: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const timeNode = (args: string[], okCodes: readonly number[] = [0]): number => {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: "ignore" });
  if (!okCodes.includes(run.status ?? -1)) throw new Error(`node ${args.join(" ")} exited ${run.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
};

const COMMANDS: Array<{ args: string[]; okCodes?: number[] }> = [
  { args: ["validate", "window-check", '{"timeZone":"Europe/Berlin","allow":["* * 9-16 ? * MON-FRI *"]}'] },
  {
    args: [
      "validate",
      "artifact-check",
      '{"checks":[{"file":"reports/junit.xml","expect":"failures == `0`"}]}',
    ],
  },
  { args: ["validate", "ecr-findings-check", '{"failOnSeverity":"HIGH","maxFindings":{"HIGH":3}}'] },
  // Three mistakes: the error path formats messages and looks up "did you mean".
  {
    args: [
      "validate",
      "window-check",
      '{"timeZone":"Europe/Berln","allow":[{"days":"MON-FIR"}],"runwayMinuts":1}',
    ],
    okCodes: [2],
  },
  {
    args: [
      "check",
      "window-check",
      "--params",
      '{"allow":["* * 9-16 ? * MON-FRI *"]}',
      "--at",
      "2026-11-27T10:00:00Z",
    ],
  },
];

export const runCliStartBench = async (runs = 15): Promise<CliStartRow[]> => {
  await build(cliBuild());
  const bin = join("dist", "cli", "index.mjs");
  const bare: number[] = [];
  const times = COMMANDS.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    bare.push(timeNode(["-e", "0"]));
    COMMANDS.forEach(({ args, okCodes }, c) => {
      times[c]?.push(timeNode([bin, ...args], okCodes));
    });
  }
  const bareMs = Math.round(median(bare));
  return COMMANDS.map(({ args }, c) => ({
    command: `${args[0]} ${args[1]}${args[0] === "validate" && (COMMANDS[c]?.okCodes ?? [0])[0] === 2 ? " (3 mistakes)" : ""}`,
    ms: Math.round(median(times[c] ?? [])),
    bareMs,
  }));
};
