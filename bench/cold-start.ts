/**
 * Cold start: the median time to import each built bundle in a fresh Node process, minus a bare
 * `node -e 0`, against a floor bundle built in the same run that holds only the SDK clients and
 * commands that function uses (from its own imports), created at module scope. Runs are
 * interleaved (bare, floor, bundle, …) so that machine noise hits all three alike.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { functionBuilds } from "../scripts/build-config.js";
import { sdkUsage } from "../scripts/sdk-usage.js";

export interface ColdStartRow {
  name: string;
  bundleKb: number;
  floorKb: number;
  /** Median import time over a bare node start, ms. */
  bundleMs: number;
  floorMs: number;
  /** bundleMs ≤ 1.3 × floorMs + 15 */
  target: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const env = {
  ...process.env,
  AWS_REGION: "us-east-1",
};
const timeNode = (args: string[]): number => {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env, stdio: "ignore" });
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited ${run.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
};
const importArgs = (file: string) => [
  "--input-type=module",
  "-e",
  `await import(${JSON.stringify(resolve(file))})`,
];

/** A floor bundle: the function's SDK clients created at module scope, its commands referenced. */
const buildFloor = async (name: string, entry: string, dir: string): Promise<string> => {
  const usage = await sdkUsage(entry);
  const lines: string[] = [];
  const uses: string[] = [];
  for (const [pkg, { clients, commands }] of Object.entries(usage)) {
    lines.push(`import { ${[...clients, ...commands].join(", ")} } from "${pkg}";`);
    uses.push(...clients.map((c) => `new ${c}({})`), ...commands);
  }
  lines.push(`export const floor = [${uses.join(", ")}];`);
  const source = join(dir, `floor-${name}.ts`);
  writeFileSync(source, `${lines.join("\n")}\n`);
  const outfile = join(dir, `floor-${name}.mjs`);
  await build({
    entryPoints: [source],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    mainFields: ["module", "main"],
    outfile,
    logLevel: "warning",
  });
  return outfile;
};

export const runColdStartBench = async (runs = 15): Promise<ColdStartRow[]> => {
  const dir = resolve(".tmp/bench-cold-start");
  mkdirSync(dir, { recursive: true });
  const rows: ColdStartRow[] = [];
  // Built into our own folder (not dist/, which a concurrent `npm run build` may clear).
  for (const { name, options } of functionBuilds("template.yaml", join(dir, "dist"))) {
    await build(options);
    const bundle = join(String(options.outdir), "index.mjs");
    const entry = (options.entryPoints as string[])[0] ?? "";
    const floor = await buildFloor(name, entry, dir);
    // Warm the file cache once, then interleave.
    timeNode(importArgs(bundle));
    timeNode(importArgs(floor));
    const bare: number[] = [];
    const floors: number[] = [];
    const bundles: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(timeNode(["-e", "0"]));
      floors.push(timeNode(importArgs(floor)));
      bundles.push(timeNode(importArgs(bundle)));
    }
    const bareMs = median(bare);
    const floorMs = median(floors) - bareMs;
    const bundleMs = median(bundles) - bareMs;
    rows.push({
      name,
      bundleKb: Math.round(statSync(bundle).size / 1024),
      floorKb: Math.round(statSync(floor).size / 1024),
      bundleMs: Math.round(bundleMs),
      floorMs: Math.round(floorMs),
      target: Math.round(1.3 * floorMs + 15),
    });
  }
  return rows;
};

if (process.argv[1]?.endsWith("cold-start.ts")) {
  console.table(await runColdStartBench(Number(process.argv[2] ?? 15)));
}
