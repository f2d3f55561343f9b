/**
 * Cold start: the median time each built bundle takes to import in a fresh Node process, against a
 * floor bundle built in the same run, with the same esbuild settings (code splitting included),
 * that holds only the SDK clients and commands that function uses (from its own imports), created
 * at module scope. The time is taken inside the child, around the `import()` alone, so that the
 * start of Node itself (the same for all, and the noisiest part on a busy machine) stays out.
 * Runs are interleaved (floor, bundle, bundle with source maps, …) so that noise hits all alike.
 *
 * "With source maps" is the bundle built with Sourcemap on and run with --enable-source-maps,
 * which SAM sets (NODE_OPTIONS) for a function whose BuildProperties have Sourcemap: true.
 *
 *   npx tsx bench/cold-start.ts [runs]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type BuildOptions, build } from "esbuild";
import { functionBuilds } from "../scripts/build-config.js";
import { sdkUsage } from "../scripts/sdk-usage.js";

export interface ColdStartRow {
  name: string;
  /** index.mjs, which Lambda loads first; chunks load when imported. */
  bundleKb: number;
  /** Every .mjs esbuild wrote (index.mjs and chunks/). */
  totalKb: number;
  floorKb: number;
  /** Median import time, ms. */
  bundleMs: number;
  floorMs: number;
  /** The bundle built with source maps, imported with --enable-source-maps. */
  sourceMapsMs: number;
  /**
   * The import followed by the artifact reader's chunk (S3 client, unzip), which loads on first
   * use: artifact-check uses it in every invocation, the others only for some configurations.
   */
  withReaderMs: number;
  /** Whether every invocation loads the artifact reader: then withReaderMs is held to the target. */
  alwaysReads: boolean;
  /** 1.3 × floorMs + 15, for bundleMs (withReaderMs where every invocation reads an artifact). */
  target: number;
}

/** Functions whose every invocation opens an input artifact. */
const ALWAYS_READS = new Set(["artifact-check"]);

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const env = { ...process.env, AWS_REGION: "us-east-1" };

/** Imports `file` in a fresh Node process; returns the import's own duration in ms. */
const timeImport = (file: string, nodeFlags: string[] = [], then?: string): number => {
  const next = then ? `await import(${JSON.stringify(resolve(then))}); ` : "";
  const script = `const t = performance.now(); await import(${JSON.stringify(resolve(file))}); ${next}process.stdout.write(String(performance.now() - t));`;
  const run = spawnSync(process.execPath, [...nodeFlags, "--input-type=module", "-e", script], {
    env,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
  return Number(run.stdout);
};

const kb = (bytes: number) => Math.round(bytes / 1024);
const moduleBytes = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".mjs"))
    .reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);

/** A floor bundle: the function's SDK clients created at module scope, its commands referenced. */
const buildFloor = async (entry: string, dir: string, options: BuildOptions): Promise<string> => {
  const usage = await sdkUsage(entry);
  const lines: string[] = [];
  const uses: string[] = [];
  for (const [pkg, { clients, commands }] of Object.entries(usage)) {
    lines.push(`import { ${[...clients, ...commands].join(", ")} } from "${pkg}";`);
    uses.push(...clients.map((c) => `new ${c}({})`), ...commands);
  }
  lines.push(`export const floor = [${uses.join(", ")}];`);
  mkdirSync(dir, { recursive: true });
  const source = join(dir, "floor.ts");
  writeFileSync(source, `${lines.join("\n")}\n`);
  const outdir = join(dir, "out");
  await build({ ...options, entryPoints: { index: source }, outdir });
  return join(outdir, "index.mjs");
};

export const runColdStartBench = async (runs = 21): Promise<ColdStartRow[]> => {
  // Built into our own folder (not dist/, which a concurrent `npm run build` may clear).
  const dir = resolve(".tmp/bench-cold-start");
  rmSync(dir, { recursive: true, force: true });
  const rows: ColdStartRow[] = [];
  for (const { name, options } of functionBuilds("template.yaml", join(dir, "dist"))) {
    const built = await build({ ...options, metafile: true });
    const outdir = String(options.outdir);
    const readerChunk = Object.entries(built.metafile.outputs).find(
      ([, output]) => output.entryPoint === "shared/artifacts/index.ts",
    )?.[0];
    if (!readerChunk)
      throw new Error(`${name}: no chunk for the artifact reader (shared/artifacts/index.ts)`);
    const bundle = join(outdir, "index.mjs");
    const mapped = join(`${outdir}-sourcemaps`, "index.mjs");
    await build({ ...options, outdir: `${outdir}-sourcemaps`, sourcemap: true });
    const entry = (options.entryPoints as string[])[0] ?? "";
    const floor = await buildFloor(entry, join(dir, `floor-${name}`), options);
    const sourceMapFlags = ["--enable-source-maps"];
    // Warm the file cache once, then interleave.
    timeImport(floor);
    timeImport(bundle);
    timeImport(mapped, sourceMapFlags);
    const floors: number[] = [];
    const bundles: number[] = [];
    const withMaps: number[] = [];
    const withReader: number[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(timeImport(floor));
      bundles.push(timeImport(bundle));
      withMaps.push(timeImport(mapped, sourceMapFlags));
      withReader.push(timeImport(bundle, [], readerChunk));
    }
    const floorMs = median(floors);
    rows.push({
      name,
      bundleKb: kb(statSync(bundle).size),
      totalKb: kb(moduleBytes(outdir)),
      floorKb: kb(statSync(floor).size),
      bundleMs: Math.round(median(bundles)),
      floorMs: Math.round(floorMs),
      sourceMapsMs: Math.round(median(withMaps)),
      withReaderMs: Math.round(median(withReader)),
      alwaysReads: ALWAYS_READS.has(name),
      target: Math.round(1.3 * floorMs + 15),
    });
  }
  return rows;
};

if (process.argv[1]?.endsWith("cold-start.ts")) {
  console.table(await runColdStartBench(Number(process.argv[2] ?? 21)));
}
