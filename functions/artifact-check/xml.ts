import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Parsed } from "../../shared/index.js";
import { lineAndColumn } from "./json-location.js";

/** A parsed element: attributes under `@_name`, children as arrays under their tag, text under `#text`. */
export type XmlNode = Record<string, unknown>;

const ATTRIBUTE = "@_";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  parseAttributeValue: false,
  parseTagValue: false,
  // TRX files may use a prefix for their namespace; the readers only know local names.
  removeNSPrefix: true,
  // Every element is a list, so a reader never has to guess whether a child repeats.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** The elements named `tag` under `node` (none when absent). */
export const children = (node: XmlNode | undefined, tag: string): XmlNode[] => {
  const value = node?.[tag];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) =>
    typeof item === "object" && item !== null ? (item as XmlNode) : { "#text": String(item ?? "") },
  );
};

export const child = (node: XmlNode | undefined, tag: string): XmlNode | undefined => children(node, tag)[0];

export const attribute = (node: XmlNode | undefined, name: string): string | undefined => {
  const value = node?.[`${ATTRIBUTE}${name}`];
  return typeof value === "string" ? value : undefined;
};

/** A numeric attribute; "1,234" is read as 1234 (some tools write thousands separators). */
export const numberAttribute = (node: XmlNode | undefined, name: string): number | undefined => {
  const raw = attribute(node, name);
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw.replace(/,/g, ""));
  return Number.isFinite(value) ? value : undefined;
};

export const text = (node: XmlNode | undefined): string => String(node?.["#text"] ?? "").trim();

export interface XmlDocument {
  /** The root element's local name. */
  root: string;
  element: XmlNode;
}

export type XmlResult = Parsed<{ document: XmlDocument }>;

/** Where `text` ends (its last non-blank character), for messages about truncated files. */
const endOf = (text: string): { line: number; column: number } => {
  const end = text.trimEnd().length;
  const { line, column } = lineAndColumn(text, Math.max(0, end - 1));
  return { line, column };
};

const offsetOf = (text: string, line: number, column: number): number => {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + Math.max(0, column - 1);
};

/** The elements still open at the end of `text` (outermost first), from what the validator lists. */
const openElements = (text: string): string[] => {
  const complete = text.slice(0, text.lastIndexOf(">") + 1);
  const result = XMLValidator.validate(complete);
  if (result === true) return [];
  const listed = /^Invalid '(\[.*\])' found\.$/s.exec(result.err.msg)?.[1];
  if (listed) {
    try {
      return JSON.parse(listed) as string[];
    } catch {
      return [];
    }
  }
  const single = /^Unclosed tag '(.*)'\.$/.exec(result.err.msg)?.[1];
  return single ? [single] : [];
};

/**
 * Says where a file that ends too early breaks. The validator reports unclosed elements at
 * "line 1, column 1" and a tag cut in half as a bad attribute: both really break at the end.
 */
const describeBreak = (
  xml: string,
  err: { code: string; msg: string; line: number; col?: number },
): string => {
  if (xml.trim() === "") return "the file is empty";
  const lastTagEnd = xml.lastIndexOf(">");
  const at = offsetOf(xml, err.line, err.col ?? 1);
  const unclosedAtEnd = err.code === "InvalidXml" && /^Invalid '\[/.test(err.msg);
  const truncated = unclosedAtEnd || /^Unclosed tag /.test(err.msg) || at > lastTagEnd;
  if (!truncated) return `not well-formed XML at line ${err.line}, column ${err.col ?? 1}: ${err.msg}`;
  const { line, column } = endOf(xml);
  const open = openElements(xml);
  const innermost = open.at(-1);
  const inside = innermost
    ? ` inside <${innermost}>${
        open.length > 1
          ? ` (in ${open
              .slice(0, -1)
              .map((tag) => `<${tag}>`)
              .join(" › ")})`
          : ""
      }`
    : "";
  const cut = xml.trimEnd().endsWith(">") ? "" : " in the middle of a tag or text";
  return `not well-formed XML: the file ends at line ${line}, column ${column}${cut}${inside}, before it is closed; it looks truncated`;
};

/** Validates and parses an XML document; a problem names where the XML really breaks. */
export const parseXml = (xml: string): XmlResult => {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, message: describeBreak(xml, valid.err) };
  let document: XmlNode;
  try {
    document = parser.parse(xml) as XmlNode;
  } catch (error) {
    return { ok: false, message: `not readable XML: ${(error as Error).message}` };
  }
  const root = Object.keys(document).find((key) => !/^[?#!]/.test(key));
  if (root === undefined) return { ok: false, message: "not an XML document: it has no root element" };
  return { ok: true, document: { root, element: child(document, root) ?? {} } };
};
