import { COBERTURA_ROOTS, JACOCO_ROOTS, readCobertura, readJaCoCo } from "./coverage-xml.js";
import { JUNIT_ROOTS, readJUnit } from "./junit.js";
import { NUNIT_ROOTS, readNUnit } from "./nunit.js";
import type { FailedTest } from "./test-report.js";
import { readTrx, TRX_ROOTS } from "./trx.js";
import { parseXml, type XmlDocument } from "./xml.js";

/**
 * The XML reports the rule reads, loaded on first use (with the XML parser): a rule that reads
 * only JSON or text never loads them.
 */
export type XmlFormat = "junit" | "nunit" | "trx" | "cobertura" | "jacoco";

interface Reader {
  name: string;
  roots: readonly string[];
  read: (document: XmlDocument) => object;
}

const READERS: Record<XmlFormat, Reader> = {
  junit: { name: "JUnit", roots: JUNIT_ROOTS, read: readJUnit },
  nunit: { name: "NUnit", roots: NUNIT_ROOTS, read: readNUnit },
  trx: { name: "TRX", roots: TRX_ROOTS, read: readTrx },
  cobertura: { name: "Cobertura", roots: COBERTURA_ROOTS, read: readCobertura },
  jacoco: { name: "JaCoCo", roots: JACOCO_ROOTS, read: readJaCoCo },
};

const FORMATS = Object.keys(READERS) as XmlFormat[];

export type XmlReportResult =
  | { ok: true; format: XmlFormat; value: object; failedTests: readonly FailedTest[] }
  | { ok: false; message: string };

const roots = (reader: Reader): string => reader.roots.map((root) => `<${root}>`).join(" or ");

/** Reads a report of the named format, or of the format its root element shows when none is named. */
export const parseXmlReport = (xml: string, named: XmlFormat | undefined): XmlReportResult => {
  const parsed = parseXml(xml);
  if (!parsed.ok) return parsed;
  const { document } = parsed;
  const detected = FORMATS.find((format) => READERS[format].roots.includes(document.root));
  const format = named ?? detected;
  if (format === undefined) {
    const expected = FORMATS.map((f) => `${roots(READERS[f])} (${READERS[f].name})`).join(", ");
    return {
      ok: false,
      message: `not a test or coverage report: the root element is <${document.root}>; expected ${expected}`,
    };
  }
  const reader = READERS[format];
  if (!reader.roots.includes(document.root)) {
    const hint = detected
      ? `; it looks like a ${READERS[detected].name} report: set format to "${detected}" or leave format out`
      : "";
    return {
      ok: false,
      message: `not a ${reader.name} report: the root element is <${document.root}>, expected ${roots(reader)}${hint}`,
    };
  }
  const value = reader.read(document);
  const failedTests = "failed" in value ? (value.failed as FailedTest[]) : [];
  return { ok: true, format, value, failedTests };
};
