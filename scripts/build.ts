import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { cliBuild, functionBuilds } from "./build-config.js";

/**
 * Bundles every function in template.yaml into dist/<name>/index.mjs with the template's settings,
 * and the command line into dist/cli/index.mjs.
 */
const only = process.argv.slice(2);
const builds = [...functionBuilds(), { name: "cli", options: cliBuild() }].filter(
  (b) => only.length === 0 || only.includes(b.name),
);
if (only.length === 0) rmSync("dist", { recursive: true, force: true });
await Promise.all(
  builds.map(async ({ options }) => {
    await build(options);
    const file = join(String(options.outdir), "index.mjs");
    console.log(`built ${file} (${(statSync(file).size / 1024).toFixed(0)} KB)`);
  }),
);
