import { describe, expect, it } from "vitest";
import { counter, parseLcov } from "../../../functions/artifact-check/coverage.js";
import { parseXmlReport } from "../../../functions/artifact-check/xml-reports.js";

const xml = (text: string, named?: "cobertura" | "jacoco") => {
  const result = parseXmlReport(text, named);
  if (!result.ok) throw new Error(result.message);
  return result;
};

describe("counter", () => {
  it("floors the percentage to 2 decimals, as istanbul does, so 79.999 % is not 80", () => {
    expect(counter(79999, 100000)).toEqual({ covered: 79999, total: 100000, pct: 79.99 });
    expect(counter(2, 3)).toEqual({ covered: 2, total: 3, pct: 66.66 });
    expect(counter(29, 100).pct).toBe(29);
  });

  it("has no percentage when nothing counts, so a gate on an empty report fails", () => {
    expect(counter(0, 0)).toEqual({ covered: 0, total: 0, pct: null });
  });
});

describe("Cobertura", () => {
  it("reads the root's counts (coverage.py, Cobertura 2.1)", () => {
    const result = xml(`<?xml version="1.0" ?>
<coverage version="7.4.0" timestamp="1" lines-valid="250" lines-covered="201" line-rate="0.804" branches-covered="30" branches-valid="40" branch-rate="0.75" complexity="0">
  <sources><source>/src</source></sources>
  <packages/>
</coverage>`);
    expect(result.format).toBe("cobertura");
    expect(result.value).toEqual({
      format: "cobertura",
      lines: { covered: 201, total: 250, pct: 80.4 },
      branches: { covered: 30, total: 40, pct: 75 },
    });
  });

  it("counts the class lines when the root has only rates (older writers), not the method copies", () => {
    const result = xml(`<coverage line-rate="0.66" branch-rate="0.5">
  <packages><package name="p"><classes><class name="C" filename="c.py">
    <methods><method name="m"><lines><line number="1" hits="1"/></lines></method></methods>
    <lines>
      <line number="1" hits="1"/>
      <line number="2" hits="0"/>
      <line number="3" hits="4" branch="true" condition-coverage="50% (1/2)"/>
    </lines>
  </class></classes></package></packages>
</coverage>`);
    expect(result.value).toMatchObject({
      lines: { covered: 2, total: 3, pct: 66.66 },
      branches: { covered: 1, total: 2, pct: 50 },
    });
  });
});

describe("JaCoCo", () => {
  it("reads the report-level LINE and BRANCH counters, not the package ones", () => {
    const result = xml(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
<report name="app">
  <sessioninfo id="s" start="1" dump="2"/>
  <package name="com/acme"><counter type="LINE" missed="1" covered="1"/></package>
  <counter type="INSTRUCTION" missed="100" covered="900"/>
  <counter type="BRANCH" missed="5" covered="15"/>
  <counter type="LINE" missed="21" covered="79"/>
</report>`);
    expect(result.format).toBe("jacoco");
    expect(result.value).toEqual({
      format: "jacoco",
      lines: { covered: 79, total: 100, pct: 79 },
      branches: { covered: 15, total: 20, pct: 75 },
    });
  });
});

describe("lcov", () => {
  it("sums LF/LH and BRF/BRH over the records", () => {
    const result = parseLcov(
      [
        "TN:",
        "SF:src/a.ts",
        "DA:1,1",
        "DA:2,0",
        "LF:2",
        "LH:1",
        "BRF:4",
        "BRH:3",
        "end_of_record",
        "SF:src/b.ts",
        "LF:8",
        "LH:8",
        "end_of_record",
        "",
      ].join("\n"),
    );
    expect(result).toEqual({
      ok: true,
      report: {
        format: "lcov",
        lines: { covered: 9, total: 10, pct: 90 },
        branches: { covered: 3, total: 4, pct: 75 },
      },
    });
  });

  it("counts DA and BRDA lines when a record has no totals", () => {
    const result = parseLcov(
      "SF:a.c\r\nDA:1,3\r\nDA:2,0\r\nDA:3,1\r\nBRDA:3,0,0,1\r\nBRDA:3,0,1,-\r\nend_of_record\r\n",
    );
    expect(result).toMatchObject({
      ok: true,
      report: { lines: { covered: 2, total: 3, pct: 66.66 }, branches: { covered: 1, total: 2, pct: 50 } },
    });
  });

  it("refuses a file that is not a tracefile", () => {
    expect(parseLcov("hello\n")).toEqual({
      ok: false,
      message: 'not an lcov report: no "SF:" (source file) line',
    });
  });
});
