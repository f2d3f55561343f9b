import type { JSONValue } from "./expression.js";
import { lineAndColumn, locateJsonError } from "./json-location.js";

export const FORMATS = ["json", "yaml", "junit", "text"] as const;
export type Format = (typeof FORMATS)[number];

/** The format a file is read as when the check names none. */
export const formatByExtension = (path: string): Format => {
  const name = path.toLowerCase();
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  if (name.endsWith(".xml")) return "junit";
  return "text";
};

/** A file's content parsed once, or why it could not be. */
export type ParsedFile = { ok: true; format: Format; value: JSONValue } | { ok: false; problem: string };

const FORMAT_NAMES: Record<Format, string> = { json: "JSON", yaml: "YAML", junit: "JUnit XML", text: "text" };
export const formatName = (format: Format): string => FORMAT_NAMES[format];

/**
 * The YAML and JUnit XML parsers, loaded on first use: a rule that only reads JSON or text never
 * loads them, which keeps them out of the function's cold start.
 */
export interface Parsers {
  yaml?: typeof import("yaml");
  junit?: typeof import("./junit.js");
}

/** Loads into `parsers` the parser `format` needs, once. */
export const loadParserFor = async (format: Format, parsers: Parsers): Promise<void> => {
  if (format === "yaml") parsers.yaml ??= await import("yaml");
  if (format === "junit") parsers.junit ??= await import("./junit.js");
};

const loaded = <T>(parser: T | undefined, format: Format): T => {
  if (!parser) throw new Error(`the ${formatName(format)} parser was not loaded (call loadParserFor first)`);
  return parser;
};

const MAX_SOURCE_CHARS = 80;

const parseJson = (text: string): ParsedFile => {
  try {
    return { ok: true, format: "json", value: JSON.parse(text) as JSONValue };
  } catch (error) {
    const located = locateJsonError(text);
    if (!located) return { ok: false, problem: `not valid JSON: ${(error as Error).message.slice(0, 200)}` };
    const { line, column, source } = lineAndColumn(text, located.offset);
    const shown = source.trim().slice(0, MAX_SOURCE_CHARS);
    return {
      ok: false,
      problem: `not valid JSON at line ${line}, column ${column}: ${located.problem}${shown ? `; the line reads: ${shown}` : ""}`,
    };
  }
};

const parseYaml = (text: string, yaml: typeof import("yaml")): ParsedFile => {
  const document = yaml.parseDocument(text);
  const error = document.errors[0];
  if (error) {
    // The library's message ends with a source excerpt over several lines; keep its first line.
    return { ok: false, problem: `not valid YAML: ${error.message.split("\n")[0]?.replace(/:$/, "")}` };
  }
  try {
    return { ok: true, format: "yaml", value: (document.toJS({ maxAliasCount: 100 }) ?? null) as JSONValue };
  } catch (cause) {
    return { ok: false, problem: `not usable YAML: ${(cause as Error).message}` };
  }
};

/** Parses a file's text into the value checks run on. Pure: no I/O (the parsers are loaded already). */
export const parseFile = (text: string, format: Format, parsers: Parsers): ParsedFile => {
  // Byte order marks come from Windows tools; JSON.parse and the XML validator reject them.
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  switch (format) {
    case "json":
      return parseJson(content);
    case "yaml":
      return parseYaml(content, loaded(parsers.yaml, format));
    case "junit": {
      const result = loaded(parsers.junit, format).parseJUnit(content);
      return result.ok
        ? { ok: true, format, value: result.report as unknown as JSONValue }
        : { ok: false, problem: result.problem };
    }
    case "text":
      return { ok: true, format, value: content };
  }
};
