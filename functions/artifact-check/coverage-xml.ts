import { type Counter, type CoverageReport, counter } from "./coverage.js";
import { attribute, children, numberAttribute, type XmlDocument, type XmlNode } from "./xml.js";

/** Cobertura and JaCoCo XML reports; loaded with the XML parser, on first use. */

export const COBERTURA_ROOTS = ["coverage"];
export const JACOCO_ROOTS = ["report"];

/** "50% (1/2)" → [1, 2] */
const conditionCoverage = (value: string | undefined): [number, number] | undefined => {
  const match = /\((\d+)\/(\d+)\)/.exec(value ?? "");
  return match ? [Number(match[1]), Number(match[2])] : undefined;
};

/** Counts the <line> elements of every class (not those repeated under <methods>). */
const countClassLines = (root: XmlNode): { lines: [number, number]; branches: [number, number] } => {
  const lines: [number, number] = [0, 0];
  const branches: [number, number] = [0, 0];
  for (const packages of children(root, "packages"))
    for (const pkg of children(packages, "package"))
      for (const classes of children(pkg, "classes"))
        for (const cls of children(classes, "class"))
          for (const block of children(cls, "lines"))
            for (const line of children(block, "line")) {
              lines[1]++;
              if ((numberAttribute(line, "hits") ?? 0) > 0) lines[0]++;
              const condition = conditionCoverage(attribute(line, "condition-coverage"));
              if (attribute(line, "branch") === "true" && condition) {
                branches[0] += condition[0];
                branches[1] += condition[1];
              }
            }
  return { lines, branches };
};

/**
 * Cobertura: the root's `lines-covered`/`lines-valid` and `branches-covered`/`branches-valid`;
 * older writers give only `line-rate`/`branch-rate`, then the class lines are counted.
 */
export const readCobertura = ({ element }: XmlDocument): CoverageReport => {
  const linesValid = numberAttribute(element, "lines-valid");
  const branchesValid = numberAttribute(element, "branches-valid");
  const counted =
    linesValid === undefined || branchesValid === undefined ? countClassLines(element) : undefined;
  const lines =
    linesValid !== undefined
      ? counter(numberAttribute(element, "lines-covered") ?? 0, linesValid)
      : counter(...(counted?.lines ?? [0, 0]));
  const branches =
    branchesValid !== undefined
      ? counter(numberAttribute(element, "branches-covered") ?? 0, branchesValid)
      : counter(...(counted?.branches ?? [0, 0]));
  return { format: "cobertura", lines, branches };
};

/** JaCoCo: the report-level <counter type="LINE|BRANCH" missed covered>. */
export const readJaCoCo = ({ element }: XmlDocument): CoverageReport => {
  const of = (type: string): Counter => {
    const found = children(element, "counter").find((c) => attribute(c, "type") === type);
    const covered = numberAttribute(found, "covered") ?? 0;
    return counter(covered, covered + (numberAttribute(found, "missed") ?? 0));
  };
  return { format: "jacoco", lines: of("LINE"), branches: of("BRANCH") };
};
