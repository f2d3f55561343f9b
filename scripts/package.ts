/**
 * npm run package — what `sam publish` or a manual upload needs, in dist/package/:
 *   <function>.zip   each bundle (index.mjs and the chunks/ it loads) as Lambda takes it
 *                    (aws lambda update-function-code --zip-file fileb://dist/package/<function>.zip)
 *   template.json    template.yaml with each function's CodeUri pointing at its zip and no
 *                    build metadata (the code is built), for `sam package` / `sam publish`
 *   README.md, LICENSE  named by the Serverless Application Repository metadata
 * Zips are reproducible: fixed timestamps and order, so the same sources give the same bytes.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { build } from "esbuild";
import { zipToFile } from "../local/zip.js";
import { functionBuilds, readTemplate } from "./build-config.js";

const OUT = join("dist", "package");
const FIXED_TIME = new Date("2000-01-01T00:00:00Z");

/** Short-form tags as the yaml reader keeps them ({Ref: x}, {Sub: x}) back to CloudFormation JSON. */
const toCloudFormationJson = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(toCloudFormationJson);
  if (typeof node !== "object" || node === null) return node;
  const entries = Object.entries(node as Record<string, unknown>);
  const [only] = entries;
  const intrinsic = entries.length === 1 && only ? only[0] : undefined;
  if (intrinsic === "Ref" || intrinsic === "Condition") return { [intrinsic]: only?.[1] };
  if (intrinsic === "GetAtt" && typeof only?.[1] === "string") {
    const [resource, ...attribute] = (only[1] as string).split(".");
    return { "Fn::GetAtt": [resource, attribute.join(".")] };
  }
  if (
    intrinsic &&
    /^(Sub|If|Equals|Not|And|Or|Join|Select|Split|FindInMap|ImportValue|Base64|Cidr|GetAZs|GetAtt)$/.test(
      intrinsic,
    )
  ) {
    return { [`Fn::${intrinsic}`]: toCloudFormationJson(only?.[1]) };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, toCloudFormationJson(v)]));
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
// Built apart from dist/<function>/, which tests and local runs may be reading.
const builds = functionBuilds("template.yaml", join(OUT, "build"));
await Promise.all(builds.map((b) => build(b.options)));

const template = readTemplate() as {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: unknown }>;
};
for (const { logicalId, name, options } of builds) {
  const dir = String(options.outdir);
  // Everything esbuild wrote: index.mjs and the chunks it imports (code splitting).
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((file) => file.split(sep).join("/"))
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
  await zipToFile(
    join(OUT, `${name}.zip`),
    Object.fromEntries(files.map((file) => [file, readFileSync(join(dir, file))])),
    { mtime: FIXED_TIME },
  );
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`${logicalId} is not in template.yaml`);
  resource.Properties.CodeUri = `${name}.zip`;
  delete resource.Metadata;
  console.log(`${join(OUT, `${name}.zip`)}  (${logicalId})`);
}
rmSync(join(OUT, "build"), { recursive: true, force: true });
writeFileSync(join(OUT, "template.json"), `${JSON.stringify(toCloudFormationJson(template), null, 2)}\n`);
for (const file of ["README.md", "LICENSE"]) copyFileSync(file, join(OUT, file));
console.log(`${join(OUT, "template.json")}, README.md, LICENSE

Publish:  sam package --template-file ${OUT}/template.json --resolve-s3 --output-template-file packaged.yaml
          sam publish --template packaged.yaml
Or deploy: sam deploy --template-file ${OUT}/template.json --guided
Or upload one function's code: aws lambda update-function-code --function-name <name> --zip-file fileb://${OUT}/window-check.zip`);
