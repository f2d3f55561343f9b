/**
 * node scripts/run-ts.mjs <script.ts> [args…]
 *
 * Runs a TypeScript script of ours (local/, bench/) as one ESM file that esbuild bundles into
 * .tmp/run/ and rebuilds only when one of its sources is newer. Starting it then costs a plain
 * `node` start (~0.1 s) where tsx compiles on every run (~0.5–1 s): `npm run invoke` against a
 * running local AWS answers in well under a second. Dependencies stay in node_modules.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
};

/**
 * Bundles `entry` into the folder of `outfile` (ESM, node22, packages external unless asked;
 * dynamic imports stay lazy in chunks of their own) unless every source it was made of is older
 * than `outfile`. Returns the absolute path of `outfile`, which must be named like the entry.
 */
export const bundleIfStale = async (entry, outfile, options = {}) => {
  const inputsFile = `${outfile}.inputs.json`;
  if (existsSync(outfile) && existsSync(inputsFile)) {
    const built = mtime(outfile);
    const inputs = JSON.parse(readFileSync(inputsFile, "utf8"));
    if (inputs.every((input) => mtime(input) < built)) return resolve(outfile);
  }
  const { build } = await import("esbuild");
  rmSync(dirname(outfile), { recursive: true, force: true });
  mkdirSync(dirname(outfile), { recursive: true });
  const result = await build({
    entryPoints: [entry],
    outdir: dirname(outfile),
    outExtension: { ".js": ".mjs" },
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: options.bundlePackages ? undefined : "external",
    metafile: true,
    logLevel: "warning",
  });
  writeFileSync(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));
  return resolve(outfile);
};

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, "run-ts.mjs");
if (isMain) {
  const [script, ...args] = process.argv.slice(2);
  if (!script) {
    console.error("usage: node scripts/run-ts.mjs <script.ts> [args…]");
    process.exit(2);
  }
  const outfile = join(".tmp", "run", basename(dirname(script)), `${basename(script, ".ts")}.mjs`);
  const bundled = await bundleIfStale(script, outfile);
  process.argv = [process.argv[0], resolve(script), ...args];
  await import(pathToFileURL(bundled).href);
}
