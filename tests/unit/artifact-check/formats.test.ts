import { describe, expect, it } from "vitest";
import {
  type Format,
  formatByExtension,
  loadParserFor,
  parseFile as parseWith,
} from "../../../functions/artifact-check/formats.js";
import { parsers } from "./support.js";

const parseFile = (text: string, format: Format) => parseWith(text, format, parsers);

import { lineAndColumn, locateJsonError } from "../../../functions/artifact-check/json-location.js";

describe("formatByExtension", () => {
  it.each([
    ["reports/coverage-summary.json", "json"],
    ["release.yaml", "yaml"],
    ["deploy/values.YML", "yaml"],
    ["reports/junit.xml", "xml"],
    ["TestResults/run.trx", "trx"],
    ["coverage/lcov.info", "lcov"],
    ["NOTES.md", "text"],
    ["VERSION", "text"],
  ])("%s → %s", (path, format) => {
    expect(formatByExtension(path)).toBe(format);
  });
});

describe("parseFile: JSON", () => {
  it("parses a document", () => {
    expect(parseFile('{"total": {"lines": {"pct": 72.4}}}', "json")).toEqual({
      ok: true,
      format: "json",
      value: { total: { lines: { pct: 72.4 } } },
    });
  });

  it("ignores a byte order mark", () => {
    expect(parseFile('\uFEFF{"a": 1}', "json")).toMatchObject({ ok: true, value: { a: 1 } });
  });

  it("says at which line and column it broke, and shows the line", () => {
    expect(parseFile('{\n  "a": 1,\n  "b": }\n', "json")).toEqual({
      ok: false,
      message: 'not valid JSON at line 3, column 8: unexpected "}"; the line reads: "b": }',
    });
  });

  it.each([
    ['{"a": 1', 'not valid JSON at line 1, column 8: unexpected end of file; the line reads: {"a": 1'],
    ["", "not valid JSON at line 1, column 1: unexpected end of file"],
    [
      '{"a": 1} trailing',
      'not valid JSON at line 1, column 10: unexpected "t"; the line reads: {"a": 1} trailing',
    ],
    ["{'a': 1}", "not valid JSON at line 1, column 2: unexpected \"'\"; the line reads: {'a': 1}"],
    ["[1, 2,]", 'not valid JSON at line 1, column 7: unexpected "]"; the line reads: [1, 2,]'],
  ])("%j", (text, problem) => {
    expect(parseFile(text, "json")).toEqual({ ok: false, message: problem });
  });
});

describe("locateJsonError", () => {
  it("finds nothing wrong in valid JSON", () => {
    for (const text of ['{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}', "  7 ", '"s"', "[]", "{}"]) {
      expect(JSON.parse(text)).toBeDefined();
      expect(locateJsonError(text)).toBeUndefined();
    }
  });

  it("points at bad escapes, leading zeros and control characters", () => {
    expect(locateJsonError('"a\\x"')).toEqual({ offset: 2, problem: "invalid escape in a string" });
    expect(locateJsonError("01")?.offset).toBe(1);
    expect(locateJsonError('"a\nb"')?.offset).toBe(2);
  });

  it("gives up quietly on absurd nesting", () => {
    expect(() => locateJsonError("[".repeat(200_000))).not.toThrow();
  });
});

describe("lineAndColumn", () => {
  it("counts from 1", () => {
    expect(lineAndColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2, source: "cd" });
    expect(lineAndColumn("ab", 0)).toEqual({ line: 1, column: 1, source: "ab" });
  });
});

describe("parseFile: YAML", () => {
  it("parses a document", () => {
    expect(parseFile("channel: stable\nversion: 1.4.0\n", "yaml")).toEqual({
      ok: true,
      format: "yaml",
      value: { channel: "stable", version: "1.4.0" },
    });
  });

  it("says where it broke", () => {
    const parsed = parseFile("a: 1\nb: [1, 2\nc: 3\n", "yaml");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^not valid YAML: .* at line 3, column 1$/);
  });

  it("refuses several documents in one file", () => {
    const parsed = parseFile("a: 1\n---\nb: 2\n", "yaml");
    expect(parsed).toMatchObject({ ok: false, message: expect.stringMatching(/multiple documents.*line 2/) });
  });

  it("refuses alias bombs", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    ].join("\n");
    expect(parseFile(bomb, "yaml")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^not usable YAML/),
    });
  });

  it("reads an empty file as null", () => {
    expect(parseFile("", "yaml")).toEqual({ ok: true, format: "yaml", value: null });
  });
});

describe("parseFile: text and JUnit", () => {
  it("keeps text as the string", () => {
    expect(parseFile("DO NOT SHIP\n", "text")).toEqual({ ok: true, format: "text", value: "DO NOT SHIP\n" });
  });

  it("normalises JUnit and names where bad XML broke", () => {
    expect(parseFile('<testsuite tests="1"><testcase name="a"/></testsuite>', "junit")).toMatchObject({
      ok: true,
      format: "junit",
      value: { tests: 1, failures: 0 },
    });
    expect(parseFile('<testsuite>\n<testcase name="a">\n</testsuite>', "junit")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^not well-formed XML at line 3, column \d+: /),
    });
  });
});

describe("parsers load on demand", () => {
  it("refuses YAML and JUnit until their parser is loaded, and loads only what is asked", async () => {
    const fresh = {};
    expect(() => parseWith("a: 1", "yaml", fresh)).toThrow("the YAML parser was not loaded");
    expect(() => parseWith("<testsuite/>", "junit", fresh)).toThrow("the JUnit XML parser was not loaded");
    await loadParserFor("yaml", fresh);
    expect(Object.keys(fresh)).toEqual(["yaml"]);
    expect(parseWith("a: 1", "yaml", fresh)).toEqual({ ok: true, format: "yaml", value: { a: 1 } });
  });
});
