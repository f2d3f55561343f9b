import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { functionBuilds } from "../../scripts/build-config.js";
import { hasSamTranslator, samTranslate } from "../support/aws-tools.js";

/** npm run package: zips Lambda takes and a template that SAM publishes from them. */
const OUT = "dist/package";
const names = functionBuilds().map((b) => b.name);

/** What `unzip` (Info-ZIP) sees in an archive: names, and one entry's bytes. */
const zipNames = (path: string) =>
  spawnSync("unzip", ["-Z1", path], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).sort();
const unzipped = (path: string, name: string) => spawnSync("unzip", ["-p", path, name]).stdout;

let first: Record<string, Buffer>;
beforeAll(() => {
  const run = () =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/package.ts"], { encoding: "utf8" });
  const once = run();
  expect(once.status, once.stderr).toBe(0);
  first = Object.fromEntries(names.map((n) => [n, readFileSync(join(OUT, `${n}.zip`))]));
  const twice = run();
  expect(twice.status, twice.stderr).toBe(0);
}, 120_000);

describe("npm run package", () => {
  it.each(names)(
    "%s.zip holds the bundle at the root, as the handler index.handler needs, byte for byte the same each run",
    (name) => {
      const archive = join(OUT, `${name}.zip`);
      const entries = zipNames(archive);
      expect(entries).toContain("index.mjs");
      // Code splitting: the chunks index.mjs loads lie in chunks/ beside it (no source maps: see README).
      expect(
        entries.filter((entry) => entry !== "index.mjs" && !/^chunks\/[\w.-]+\.mjs$/.test(entry)),
      ).toEqual([]);
      // Every chunk a module imports is in the zip.
      for (const module of entries) {
        const text = unzipped(archive, module).toString("utf8");
        for (const [, chunk] of text.matchAll(/["']\.\/(?:chunks\/)?([\w.-]+\.mjs)["']/g)) {
          expect(entries).toContain(`chunks/${chunk}`);
        }
      }
      expect(unzipped(archive, "index.mjs").toString("utf8")).toMatch(/export\{[^}]*as handler\}/);
      expect(readFileSync(join(OUT, `${name}.zip`)).equals(first[name] as Buffer)).toBe(true);
    },
  );

  it.skipIf(!hasSamTranslator())("template.json transforms with every function's code from its zip", () => {
    const template = JSON.parse(readFileSync(join(OUT, "template.json"), "utf8")) as {
      Resources: Record<string, { Type: string; Properties: { CodeUri?: string }; Metadata?: unknown }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === "AWS::Serverless::Function");
    expect(functions.map((f) => f.Properties.CodeUri).sort()).toEqual(names.map((n) => `${n}.zip`).sort());
    expect(functions.every((f) => f.Metadata === undefined)).toBe(true);
    const transformed = samTranslate(join(OUT, "template.json")) as {
      Resources: Record<string, { Type: string }>;
    };
    expect(
      Object.values(transformed.Resources).filter((r) => r.Type === "AWS::Lambda::Function"),
    ).toHaveLength(names.length);
  });
});
