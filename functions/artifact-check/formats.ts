import { parseDocument } from "yaml";
import type { JSONValue } from "./expression.js";
import { lineAndColumn, locateJsonError } from "./json-location.js";
import { parseJUnit } from "./junit.js";

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

const parseYaml = (text: string): ParsedFile => {
  const document = parseDocument(text);
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

/** Parses a file's text into the value checks run on. Pure: no I/O. */
export const parseFile = (text: string, format: Format): ParsedFile => {
  // Byte order marks come from Windows tools; JSON.parse and the XML validator reject them.
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  switch (format) {
    case "json":
      return parseJson(content);
    case "yaml":
      return parseYaml(content);
    case "junit": {
      const result = parseJUnit(content);
      return result.ok
        ? { ok: true, format, value: result.report as unknown as JSONValue }
        : { ok: false, problem: result.problem };
    }
    case "text":
      return { ok: true, format, value: content };
  }
};
