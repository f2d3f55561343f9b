import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { BuildOptions, Loader } from "esbuild";
import { parse, YAMLMap, YAMLSeq } from "yaml";

/**
 * Reads each function's esbuild settings from template.yaml (Metadata.BuildProperties), so that
 * our build and `sam build` cannot drift: the template is the one place they live.
 */

export interface FunctionBuild {
  logicalId: string;
  /** The function folder's name, e.g. ecr-findings-check; the bundle is dist/<name>/index.mjs. */
  name: string;
  /** The function's Timeout (its own, else the Globals'), for local runs. */
  timeoutMs: number;
  options: BuildOptions;
}

type Properties = Record<string, unknown>;

// CloudFormation short-form tags (!Ref, !Sub, …) are kept as plain values: we only read Metadata.
const isNode = (value: unknown): value is YAMLMap | YAMLSeq =>
  value instanceof YAMLMap || value instanceof YAMLSeq;

const cfnTags = [
  "Ref",
  "Sub",
  "GetAtt",
  "Join",
  "If",
  "Equals",
  "Not",
  "And",
  "Or",
  "Select",
  "Split",
  "FindInMap",
  "ImportValue",
  "Condition",
  "Base64",
  "Cidr",
  "GetAZs",
].flatMap((name) =>
  (["scalar", "seq", "map"] as const).map((collection) => ({
    tag: `!${name}`,
    collection: collection === "scalar" ? undefined : collection,
    // A sequence or mapping arrives as a YAML node: read it as plain data, like the scalars.
    resolve: (value: unknown) => ({ [name]: isNode(value) ? value.toJSON() : value }),
  })),
);

/** Parses CloudFormation YAML, keeping short-form tags as `{Ref: …}`, `{Sub: …}`, … */
export const parseTemplate = (text: string): Properties =>
  parse(text, { customTags: cfnTags as never }) as Properties;

export const readTemplate = (path = "template.yaml"): Properties => parseTemplate(readFileSync(path, "utf8"));

const splitList = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : String(value)
        .split(",")
        .map((s) => s.trim());

/** Maps SAM's esbuild BuildProperties to esbuild options, with SAM's defaults. */
export const toEsbuildOptions = (codeUri: string, props: Properties, outdir: string): BuildOptions => {
  const entryPoints = splitList(props.EntryPoints).map((entry) => join(codeUri, entry));
  const outExtension = Object.fromEntries(
    splitList(props.OutExtension ?? []).map((pair) => pair.split("=") as [string, string]),
  );
  const loader = Object.fromEntries(
    splitList(props.Loader ?? []).map((pair) => pair.split("=") as [string, Loader]),
  );
  return {
    bundle: true,
    platform: "node",
    entryPoints,
    outdir,
    format: (props.Format as BuildOptions["format"]) ?? "cjs",
    target: String(props.Target ?? "es2020"),
    minify: props.Minify === undefined ? true : props.Minify === true,
    sourcemap: props.Sourcemap === true,
    ...(props.MainFields ? { mainFields: splitList(props.MainFields) } : {}),
    ...(props.External ? { external: splitList(props.External) } : {}),
    ...(Object.keys(outExtension).length ? { outExtension } : {}),
    ...(Object.keys(loader).length ? { loader } : {}),
    metafile: true,
    logLevel: "warning",
  };
};

export const functionBuilds = (templatePath = "template.yaml", distDir = "dist"): FunctionBuild[] => {
  const template = readTemplate(templatePath);
  const resources = (template.Resources ?? {}) as Record<string, Properties>;
  const globalTimeout = Number(
    (((template.Globals ?? {}) as Properties).Function as Properties | undefined)?.Timeout ?? 3,
  );
  const builds: FunctionBuild[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== "AWS::Serverless::Function") continue;
    const metadata = (resource.Metadata ?? {}) as Properties;
    if (metadata.BuildMethod !== "esbuild") continue;
    const props = (metadata.BuildProperties ?? {}) as Properties;
    const properties = (resource.Properties ?? {}) as Properties;
    const codeUri = String(properties.CodeUri ?? ".");
    const entry = splitList(props.EntryPoints)[0];
    if (!entry) throw new Error(`${logicalId}: BuildProperties.EntryPoints is empty`);
    const name = basename(dirname(entry));
    const timeoutMs = Number(properties.Timeout ?? globalTimeout) * 1000;
    builds.push({
      logicalId,
      name,
      timeoutMs,
      options: toEsbuildOptions(codeUri, props, join(distDir, name)),
    });
  }
  return builds;
};
