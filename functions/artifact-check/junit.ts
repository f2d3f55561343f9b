import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface JUnitSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

export interface JUnitFailedTest {
  suite: string;
  name: string;
  message: string;
}

/** A JUnit XML report as the checks see it: totals over all suites, the suites, and the failed tests. */
export interface JUnitReport {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
  suites: JUnitSuite[];
  failed: JUnitFailedTest[];
}

type XmlNode = Record<string, unknown>;

const ATTRIBUTE = "@_";
const LISTS = new Set(["testsuite", "testcase", "failure", "error", "skipped"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE,
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => LISTS.has(name),
});

const list = (value: unknown): XmlNode[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) =>
    typeof item === "object" && item !== null ? (item as XmlNode) : { "#text": String(item ?? "") },
  );

const attribute = (node: XmlNode, name: string): string | undefined => {
  const value = node[`${ATTRIBUTE}${name}`];
  return typeof value === "string" ? value : undefined;
};

const numberAttribute = (node: XmlNode, name: string): number | undefined => {
  const raw = attribute(node, name);
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw.replace(/,/g, ""));
  return Number.isFinite(value) ? value : undefined;
};

const MAX_MESSAGE_CHARS = 300;

/** The failure's message attribute, else the first line of its text, else its type. */
const messageOf = (element: XmlNode): string => {
  const text = String(element["#text"] ?? "").trim();
  const message =
    attribute(element, "message")?.trim() || text.split("\n")[0]?.trim() || attribute(element, "type") || "";
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
};

const round = (seconds: number): number => Math.round(seconds * 1000) / 1000;

interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

/**
 * Totals of a <testsuites> or <testsuite> element: its own attribute or the count of the test
 * cases under it, whichever is higher, so that a report whose attributes under-count (or are
 * absent) still shows every failed test. `time` is the attribute when present, else the sum.
 */
const visit = (element: XmlNode, suiteName: string | undefined, report: JUnitReport): Totals => {
  const counted: Totals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const testcase of list(element.testcase)) {
    counted.tests++;
    counted.time += numberAttribute(testcase, "time") ?? 0;
    const failures = list(testcase.failure);
    const errors = list(testcase.error);
    if (failures.length > 0) counted.failures++;
    if (errors.length > 0) counted.errors++;
    if (list(testcase.skipped).length > 0) counted.skipped++;
    const first = failures[0] ?? errors[0];
    if (first) {
      report.failed.push({
        suite: suiteName ?? attribute(testcase, "classname") ?? "",
        name: attribute(testcase, "name") ?? "(unnamed test)",
        message: messageOf(first),
      });
    }
  }
  for (const suite of list(element.testsuite)) {
    const name = attribute(suite, "name") ?? "";
    const entry: JUnitSuite = { name, tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
    report.suites.push(entry);
    const totals = visit(suite, name || undefined, report);
    Object.assign(entry, totals);
    counted.tests += totals.tests;
    counted.failures += totals.failures;
    counted.errors += totals.errors;
    counted.skipped += totals.skipped;
    counted.time += totals.time;
  }
  const larger = (key: "tests" | "failures" | "errors" | "skipped") =>
    Math.max(numberAttribute(element, key) ?? 0, counted[key]);
  return {
    tests: larger("tests"),
    failures: larger("failures"),
    errors: larger("errors"),
    // Some reporters write `skips` or `disabled` instead of `skipped`.
    skipped: Math.max(larger("skipped"), numberAttribute(element, "skips") ?? 0),
    time: round(numberAttribute(element, "time") ?? counted.time),
  };
};

export type JUnitResult = { ok: true; report: JUnitReport } | { ok: false; problem: string };

/** Validates and normalises a JUnit XML report; a problem names where the XML broke. */
export const parseJUnit = (xml: string): JUnitResult => {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return { ok: false, problem: `not well-formed XML at line ${line}, column ${col}: ${msg}` };
  }
  let document: XmlNode;
  try {
    document = parser.parse(xml) as XmlNode;
  } catch (error) {
    return { ok: false, problem: `not readable XML: ${(error as Error).message}` };
  }
  const roots = Object.keys(document).filter((key) => !key.startsWith("?") && !key.startsWith("#"));
  const report: JUnitReport = {
    tests: 0,
    failures: 0,
    errors: 0,
    skipped: 0,
    time: 0,
    suites: [],
    failed: [],
  };
  if (roots.includes("testsuites")) {
    const container = list(document.testsuites)[0] ?? {};
    Object.assign(report, visit(container, undefined, report));
    return { ok: true, report };
  }
  if (roots.includes("testsuite")) {
    // A bare <testsuite> root: the same as a <testsuites> holding it.
    Object.assign(report, visit({ testsuite: document.testsuite }, undefined, report));
    return { ok: true, report };
  }
  return {
    ok: false,
    problem: `not a JUnit report: the root element is <${roots[0] ?? "nothing"}>, expected <testsuites> or <testsuite>`,
  };
};
