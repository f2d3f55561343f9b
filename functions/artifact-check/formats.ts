import { parseLcov } from "./coverage.js";
import type { JSONValue } from "./expression.js";
import { lineAndColumn, locateJsonError } from "./json-location.js";
import type { FailedTest } from "./test-report.js";
import type { XmlFormat } from "./xml-reports.js";

export const FORMATS = [
  "json",
  "yaml",
  "junit",
  "nunit",
  "trx",
  "cobertura",
  "jacoco",
  "lcov",
  "text",
] as const;
export type Format = (typeof FORMATS)[number];

/** How a file is read: a format, or "xml": the test or coverage report its root element names. */
export type ReadAs = Format | "xml";

const XML_FORMATS: readonly string[] = ["junit", "nunit", "trx", "cobertura", "jacoco"] satisfies XmlFormat[];
const isXml = (format: ReadAs): format is XmlFormat | "xml" =>
  format === "xml" || XML_FORMATS.includes(format);

/** How a file is read when the check names no format. */
export const formatByExtension = (path: string): ReadAs => {
  const name = path.toLowerCase();
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  if (name.endsWith(".xml")) return "xml";
  if (name.endsWith(".trx")) return "trx";
  if (name.endsWith(".info") || name.endsWith(".lcov")) return "lcov";
  return "text";
};

/**
 * A file's content parsed once, or why it could not be. `failedTests` lists a test report's
 * failed tests, for messages.
 */
export type ParsedFile =
  | { ok: true; format: Format; value: JSONValue; failedTests?: readonly FailedTest[] }
  | { ok: false; message: string };

const FORMAT_NAMES: Record<ReadAs, string> = {
  json: "JSON",
  yaml: "YAML",
  xml: "XML report",
  junit: "JUnit XML",
  nunit: "NUnit XML",
  trx: "TRX",
  cobertura: "Cobertura XML",
  jacoco: "JaCoCo XML",
  lcov: "lcov",
  text: "text",
};
export const formatName = (format: ReadAs): string => FORMAT_NAMES[format];

/**
 * The YAML and XML parsers, loaded on first use: a rule that only reads JSON or text never
 * loads them, which keeps them out of the function's cold start.
 */
export interface Parsers {
  yaml?: typeof import("./yaml.js");
  xml?: typeof import("./xml-reports.js");
}

/** Loads into `parsers` the parser `format` needs, once. */
export const loadParserFor = async (format: ReadAs, parsers: Parsers): Promise<void> => {
  if (format === "yaml") parsers.yaml ??= await import("./yaml.js");
  if (isXml(format)) parsers.xml ??= await import("./xml-reports.js");
};

const loaded = <T>(parser: T | undefined, format: ReadAs): T => {
  if (!parser) throw new Error(`the ${formatName(format)} parser was not loaded (call loadParserFor first)`);
  return parser;
};

const MAX_SOURCE_CHARS = 80;

const parseJson = (text: string): ParsedFile => {
  try {
    return { ok: true, format: "json", value: JSON.parse(text) as JSONValue };
  } catch (error) {
    const located = locateJsonError(text);
    if (!located) return { ok: false, message: `not valid JSON: ${(error as Error).message.slice(0, 200)}` };
    const { line, column, source } = lineAndColumn(text, located.offset);
    const shown = source.trim().slice(0, MAX_SOURCE_CHARS);
    return {
      ok: false,
      message: `not valid JSON at line ${line}, column ${column}: ${located.problem}${shown ? `; the line reads: ${shown}` : ""}`,
    };
  }
};

const parseYaml = (text: string, yaml: typeof import("./yaml.js")): ParsedFile => {
  const document = yaml.parseDocument(text);
  const error = document.errors[0];
  if (error) {
    // The library's message ends with a source excerpt over several lines; keep its first line.
    return { ok: false, message: `not valid YAML: ${error.message.split("\n")[0]?.replace(/:$/, "")}` };
  }
  try {
    const value = (document.toJS({ maxAliasCount: 100 }) ?? null) as JSONValue;
    return { ok: true, format: "yaml", value };
  } catch (cause) {
    return { ok: false, message: `not usable YAML: ${(cause as Error).message}` };
  }
};

/** Parses a file's text into the value checks run on. Pure: no I/O (the parsers are loaded already). */
export const parseFile = (text: string, format: ReadAs, parsers: Parsers): ParsedFile => {
  // Byte order marks come from Windows tools; JSON.parse and the XML validator reject them.
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (isXml(format)) {
    const result = loaded(parsers.xml, format).parseXmlReport(content, format === "xml" ? undefined : format);
    return result.ok
      ? { ok: true, format: result.format, value: result.value as JSONValue, failedTests: result.failedTests }
      : { ok: false, message: result.message };
  }
  switch (format) {
    case "json":
      return parseJson(content);
    case "yaml":
      return parseYaml(content, loaded(parsers.yaml, format));
    case "lcov": {
      const result = parseLcov(content);
      return result.ok
        ? { ok: true, format, value: result.report as unknown as JSONValue, failedTests: [] }
        : { ok: false, message: result.message };
    }
    case "text":
      return { ok: true, format, value: content };
  }
};
