import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ALL_COMPILERS, loadCompilers } from "../../functions/artifact-check/compilers.js";
import { paramsSchema as artifactCheck } from "../../functions/artifact-check/params.js";
import { paramsSchema as ecrFindingsCheck } from "../../functions/ecr-findings-check/params.js";
import { params as windowCheck } from "../../functions/window-check/params.js";
import { parseTemplate } from "../../scripts/build-config.js";
import { parseUserParameters } from "../../shared/params.js";

// RE2 and JMESPath, which the artifact-check handler loads only when UserParameters use them.
await loadCompilers(ALL_COMPILERS);

/**
 * Every UserParameters example in the README and docs/ works when pasted: it passes its rule's
 * schema (the Lambda's own parser), names no exception that has already expired, and a
 * pipeline snippet names the function the way a separate pipeline stack can (an export).
 *
 * Found: ```json blocks in a rule's section (or docs/<rule>.md) — unless the line before the
 * fence is `<!-- not UserParameters -->` — and, anywhere, every `UserParameters` next to a
 * `FunctionName` in a YAML or JSON snippet (the rule is told by the function's name).
 */

type Rule = "ecr-findings-check" | "artifact-check" | "window-check";
const SCHEMAS: Record<Rule, z.ZodType> = {
  "ecr-findings-check": ecrFindingsCheck,
  "artifact-check": artifactCheck,
  "window-check": windowCheck,
};
const SECTION_RULES: Record<string, Rule> = {
  "ECR findings check": "ecr-findings-check",
  "Artifact check": "artifact-check",
  "Window check": "window-check",
};
const NOT_PARAMS = "<!-- not UserParameters -->";

interface Example {
  where: string;
  rule: Rule;
  raw: string;
}

const ruleOfFunction = (name: unknown): Rule | undefined => {
  const text = JSON.stringify(name ?? "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
  if (text.includes("ecrfindingscheck")) return "ecr-findings-check";
  if (text.includes("artifactcheck")) return "artifact-check";
  if (text.includes("windowcheck")) return "window-check";
  return undefined;
};

/** Objects with FunctionName and UserParameters, wherever they sit in a parsed snippet. */
const configurations = (node: unknown, found: Array<Record<string, unknown>> = []) => {
  if (Array.isArray(node)) for (const item of node) configurations(item, found);
  else if (typeof node === "object" && node !== null) {
    const record = node as Record<string, unknown>;
    if ("FunctionName" in record && "UserParameters" in record) found.push(record);
    for (const value of Object.values(record)) configurations(value, found);
  }
  return found;
};

/** In a JSON snippet with placeholders (`[ ... ]`) that does not parse: the escaped strings. */
const escapedConfigurations = (text: string) =>
  [
    ...text.matchAll(/"FunctionName":\s*("(?:[^"\\]|\\.)*")[\s\S]*?"UserParameters":\s*("(?:[^"\\]|\\.)*")/g),
  ].map((m) => ({
    FunctionName: JSON.parse(m[1] ?? '""') as string,
    UserParameters: JSON.parse(m[2] ?? '""') as string,
  }));

const parseBlock = (lang: string, text: string): unknown => {
  try {
    return lang === "json" ? JSON.parse(text) : parseTemplate(text);
  } catch {
    return undefined;
  }
};

const examplesIn = (
  file: string,
): { examples: Example[]; functionNames: Array<{ where: string; value: unknown }> } => {
  const lines = readFileSync(file, "utf8").split("\n");
  const docRule = Object.values(SECTION_RULES).find((rule) => file.endsWith(`${rule}.md`));
  const examples: Example[] = [];
  const functionNames: Array<{ where: string; value: unknown }> = [];
  let sectionRule: Rule | undefined = docRule;
  for (let i = 0; i < lines.length; i++) {
    const heading = lines[i]?.match(/^## (.+)$/);
    if (heading && !docRule) sectionRule = SECTION_RULES[heading[1]?.trim() ?? ""];
    const fence = lines[i]?.match(/^\s*```(json|ya?ml)\s*$/);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i] ?? ""); i++) body.push(lines[i] ?? "");
    const indent = (lines[start]?.match(/^\s*/)?.[0] ?? "").length;
    const text = body.map((l) => l.slice(indent)).join("\n");
    const where = `${file}:${start + 1}`;
    const lang = fence[1] === "json" ? "json" : "yaml";
    const parsed = parseBlock(lang, text);
    const configs = parsed === undefined ? escapedConfigurations(text) : configurations(parsed);
    for (const config of configs) {
      const rule = ruleOfFunction(config.FunctionName);
      functionNames.push({ where, value: config.FunctionName });
      if (rule) examples.push({ where, rule, raw: String(config.UserParameters) });
    }
    const optedOut = lines[start - 1]?.trim() === NOT_PARAMS;
    if (lang === "json" && sectionRule && configs.length === 0 && !optedOut) {
      examples.push({ where, rule: sectionRule, raw: text });
    }
  }
  return { examples, functionNames };
};

/** The example pipeline's rules too (its !Sub placeholders hold the time zone). */
const pipelineExamples: Example[] = configurations(
  parseTemplate(readFileSync("examples/pipeline.yaml", "utf8")),
).flatMap((config) => {
  const rule = ruleOfFunction(config.FunctionName);
  const raw = config.UserParameters;
  const text =
    typeof raw === "string" ? raw : String((raw as { Sub?: unknown }).Sub).replace(/\$\{\w+\}/g, "UTC");
  return rule ? [{ where: "examples/pipeline.yaml", rule, raw: text }] : [];
});

/** The gate configurations of examples/gates/ (buildspec.yml and the command-line docs use them), typos file aside. */
const gateFiles: Example[] = readdirSync("examples/gates")
  .filter((f) => f.endsWith(".json") && !f.includes("typos"))
  .map((f) => ({
    where: `examples/gates/${f}`,
    rule: f.replace(/\.json$/, "") as Rule,
    raw: readFileSync(`examples/gates/${f}`, "utf8"),
  }));

const files = [
  "README.md",
  ...(existsSync("docs") ? readdirSync("docs").map((f) => join("docs", f)) : []),
].filter((f) => f.endsWith(".md"));
const found = files.map(examplesIn);
const examples = [...found.flatMap((f) => f.examples), ...pipelineExamples, ...gateFiles];
const functionNames = found.flatMap((f) => f.functionNames);
const today = new Date().toISOString().slice(0, 10);

describe("UserParameters examples in the README and docs/", () => {
  it("finds examples of every rule", () => {
    expect(new Set(examples.map((e) => e.rule))).toEqual(new Set(Object.keys(SCHEMAS)));
  });

  it.each(examples)("$where ($rule) passes the rule's schema", ({ rule, raw, where }) => {
    let problem = "";
    try {
      parseUserParameters(raw, SCHEMAS[rule]);
    } catch (error) {
      problem = (error as Error).message;
    }
    expect(
      problem,
      `${where}: not valid UserParameters for ${rule} (if the block is not a UserParameters example, put ${NOT_PARAMS} on the line before it)`,
    ).toBe("");
  });

  it.each(examples.filter((e) => e.rule === "ecr-findings-check"))(
    "$where: no exception in it has expired",
    ({ raw }) => {
      const ignore = (JSON.parse(raw) as { ignore?: Array<{ id: string; expires?: string }> }).ignore ?? [];
      const expired = ignore.filter((entry) => entry.expires !== undefined && entry.expires < today);
      expect(expired.map((e) => `${e.id} expired ${e.expires}`)).toEqual([]);
    },
  );

  it.each(examples.filter((e) => e.rule === "window-check"))(
    "$where: no one-off window in it has ended (the rule would refuse it as never matching)",
    ({ raw }) => {
      const params = JSON.parse(raw) as { allow?: unknown[]; deny?: unknown[] };
      const ended = [...(params.allow ?? []), ...(params.deny ?? [])].filter(
        (w): w is { to: string } =>
          typeof w === "object" &&
          w !== null &&
          typeof (w as { to?: unknown }).to === "string" &&
          (w as { to: string }).to.slice(0, 10) < today,
      );
      expect(ended.map((w) => `ended ${w.to}`)).toEqual([]);
    },
  );

  it("pipeline snippets name the functions by export or name, never !Ref (the pipeline is another stack)", () => {
    const refs = functionNames.filter(
      ({ value }) => typeof value === "object" && value !== null && ("Ref" in value || "GetAtt" in value),
    );
    expect(refs.map((r) => `${r.where}: ${JSON.stringify(r.value)}`)).toEqual([]);
  });
});
