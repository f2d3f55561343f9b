import type { Parsed } from "../../shared/index.js";
/**
 * The one shape every coverage report is normalised to, and lcov's reader. Pure and free of the
 * XML parser: lcov files are read without loading it.
 */

/** Covered of total, and the percentage: floored to 2 decimals as istanbul does; null when nothing counts. */
export interface Counter {
  covered: number;
  total: number;
  pct: number | null;
}

/** A coverage report (Cobertura, JaCoCo, lcov) as the checks see it. */
export interface CoverageReport {
  format: "cobertura" | "jacoco" | "lcov";
  lines: Counter;
  branches: Counter;
}

/**
 * istanbul's rounding: down, so that 79.999 % never reads as 80. A report that counts nothing has
 * no percentage (istanbul says 100): a gate on it fails rather than passes an empty report.
 */
export const counter = (covered: number, total: number): Counter => ({
  covered,
  total,
  pct: total > 0 ? Math.floor((1000 * 100 * covered) / total / 10) / 100 : null,
});

export type LcovResult = Parsed<{ report: CoverageReport }>;

/**
 * lcov tracefiles: the sum over records of LF/LH (lines found/hit) and BRF/BRH (branches); a
 * record without them is counted from its DA/BRDA lines, as genhtml does.
 */
export const parseLcov = (content: string): LcovResult => {
  const lines: [number, number] = [0, 0];
  const branches: [number, number] = [0, 0];
  let records = 0;
  let record = { lf: -1, lh: -1, brf: -1, brh: -1, da: [0, 0], brda: [0, 0] };
  const close = () => {
    lines[0] += record.lh >= 0 ? record.lh : (record.da[0] ?? 0);
    lines[1] += record.lf >= 0 ? record.lf : (record.da[1] ?? 0);
    branches[0] += record.brh >= 0 ? record.brh : (record.brda[0] ?? 0);
    branches[1] += record.brf >= 0 ? record.brf : (record.brda[1] ?? 0);
    record = { lf: -1, lh: -1, brf: -1, brh: -1, da: [0, 0], brda: [0, 0] };
  };
  let open = false;
  for (const raw of content.split("\n")) {
    const line = raw.trim();
    const colon = line.indexOf(":");
    const key = colon < 0 ? line : line.slice(0, colon);
    const value = line.slice(colon + 1);
    const number = () => Math.max(0, Number.parseInt(value, 10) || 0);
    switch (key) {
      case "SF":
        if (open) close();
        open = true;
        records++;
        break;
      case "LF":
        record.lf = number();
        break;
      case "LH":
        record.lh = number();
        break;
      case "BRF":
        record.brf = number();
        break;
      case "BRH":
        record.brh = number();
        break;
      case "DA": {
        record.da[1] = (record.da[1] ?? 0) + 1;
        if ((Number(value.split(",")[1]) || 0) > 0) record.da[0] = (record.da[0] ?? 0) + 1;
        break;
      }
      case "BRDA": {
        const taken = value.split(",")[3] ?? "-";
        record.brda[1] = (record.brda[1] ?? 0) + 1;
        if (taken !== "-" && (Number(taken) || 0) > 0) record.brda[0] = (record.brda[0] ?? 0) + 1;
        break;
      }
      case "end_of_record":
        if (open) close();
        open = false;
        break;
    }
  }
  if (open) close();
  if (records === 0) {
    return { ok: false, message: 'not an lcov report: no "SF:" (source file) line' };
  }
  return { ok: true, report: { format: "lcov", lines: counter(...lines), branches: counter(...branches) } };
};
