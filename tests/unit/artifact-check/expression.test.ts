import { compile } from "@jmespath-community/jmespath";
import { describe, expect, it } from "vitest";
import { ALL_COMPILERS, loadCompilers } from "../../../functions/artifact-check/compilers.js";
import {
  compileExpression,
  describeObserved,
  explainFailure,
  formatValue,
  isTruthy,
  type JSONValue,
  search,
  unparse,
} from "../../../functions/artifact-check/expression.js";

// RE2 and JMESPath, which the artifact-check handler loads only when UserParameters use them.
await loadCompilers(ALL_COMPILERS);

const explain = (source: string, data: JSONValue) => explainFailure(compileExpression(source), data);
const observed = (source: string, data: JSONValue) => describeObserved(compileExpression(source), data);

describe("unparse", () => {
  // Each expression must compile back to the same tree from the text unparse gives.
  it.each([
    "total.lines.pct",
    "total.lines.pct >= `80`",
    "failures == `0` && errors == `0`",
    "a || b && c",
    "(a || b) && c",
    "!(a == `1`)",
    "!a",
    "channel == 'stable'",
    '"quoted key".x[0]',
    "a[*].b",
    "a[].b[0]",
    "a[?x > `1`].name",
    "[?x != 'y']",
    "a[0:2]",
    "a[::-1]",
    "*.b",
    "a.*.b",
    "[*].b",
    "[0]",
    "a[-1]",
    "length(failed) == `0`",
    "max_by(suites, &time).name",
    "sort_by(suites, &name)[0]",
    "[a, b]",
    "{x: a, y: b.c}",
    "a.b | c > `1`",
    "`[1, 2]`",
    "`null`",
    "tests - failures >= `10`",
    "-a",
    "a ? b : c",
    "$.a",
    "@",
    "contains(@, 'x')",
  ])("%s", (source) => {
    const tree = compileExpression(source);
    expect(compileExpression(unparse(tree))).toEqual(tree);
  });

  it("names simple paths as they were written", () => {
    expect(unparse(compileExpression("total.lines.pct"))).toBe("total.lines.pct");
    expect(unparse(compileExpression("length(failed)"))).toBe("length(failed)");
    expect(unparse(compileExpression("suites[0].name"))).toBe("suites[0].name");
  });
});

describe("isTruthy (JMESPath rules)", () => {
  it.each([
    [false, false],
    [null, false],
    ["", false],
    [[], false],
    [{}, false],
    [0, true],
    ["x", true],
    [[0], true],
    [{ a: null }, true],
    [true, true],
  ] as Array<[JSONValue, boolean]>)("%j is %s", (value, truthy) => {
    expect(isTruthy(value)).toBe(truthy);
  });
});

describe("explainFailure", () => {
  it("shows the left-hand side's value of a comparison", () => {
    expect(explain("total.lines.pct >= `80`", { total: { lines: { pct: 72.4 } } })).toEqual([
      "total.lines.pct is 72.4, expected >= 80",
    ]);
  });

  it.each([
    ["a == `1`", { a: 2 }, "a is 2, expected == 1"],
    ["a != `1`", { a: 1 }, "a is 1, expected != 1"],
    ["a < `1`", { a: 3 }, "a is 3, expected < 1"],
    ["a <= `1`", { a: 3 }, "a is 3, expected <= 1"],
    ["a > `5`", { a: 3 }, "a is 3, expected > 5"],
    ["channel == 'stable'", { channel: "beta" }, 'channel is "beta", expected == "stable"'],
  ] as Array<[string, JSONValue, string]>)("%s on %j", (source, data, message) => {
    expect(explain(source, data)).toEqual([message]);
  });

  it("says a missing value is null", () => {
    expect(explain("total.lines.pct >= `80`", {})).toEqual([
      "total.lines.pct is null (missing or null), expected >= 80",
    ]);
  });

  it("explains that ordering needs numbers when the file holds a string", () => {
    const [reason] = explain("total.lines.pct >= `80`", { total: { lines: { pct: "72.4" } } });
    expect(reason).toMatch(
      /^total\.lines\.pct is "72\.4", expected >= 80 \(>= compares numbers only; got a string/,
    );
    expect(reason).toContain("to_number");
  });

  it("blames the expression's own string literal, not the file, when ordering cannot work", () => {
    // compileExpression refuses this; a tree built by the library directly still gets the right hint.
    const tree = compile("total.lines.pct >= '80'");
    expect(explainFailure(tree, { total: { lines: { pct: 85 } } })).toEqual([
      "total.lines.pct is 85, expected >= \"80\" (>= compares numbers only; '80' in the expression is a string: write `80`)",
    ]);
  });

  it("accepts what the mistakes are easily confused with", () => {
    for (const source of [
      "total.lines.pct >= `80`",
      "channel == 'beta'",
      "\"release channel\" == 'beta'",
      '"key with spaces".value',
      "items[0] == `1`",
      "version == '80'",
    ]) {
      expect(() => compileExpression(source)).not.toThrow();
    }
  });

  it("shows the other side's value when it is not a literal", () => {
    expect(explain("passed >= minimum", { passed: 3, minimum: 5 })).toEqual([
      "passed is 3, expected >= minimum (5)",
    ]);
  });

  it("lists each failing side of && and leaves out the side that holds", () => {
    expect(explain("failures == `0` && errors == `0`", { failures: 2, errors: 1 })).toEqual([
      "failures is 2, expected == 0",
      "errors is 1, expected == 0",
    ]);
    expect(explain("failures == `0` && errors == `0`", { failures: 0, errors: 3 })).toEqual([
      "errors is 3, expected == 0",
    ]);
  });

  it("lists every side of a failed ||", () => {
    expect(explain("channel == 'stable' || channel == 'lts'", { channel: "beta" })).toEqual([
      'channel is "beta", expected == "stable"',
      'channel is "beta", expected == "lts"',
    ]);
  });

  it("explains nested && inside ||", () => {
    expect(explain("a > `1` && b > `1` || c", { a: 0, b: 5, c: false })).toEqual([
      "a is 0, expected > 1",
      'c is false, expected a true value (anything but false, null, "", [] or {})',
    ]);
  });

  it("explains a negated comparison", () => {
    expect(explain("!(channel == 'beta')", { channel: "beta" })).toEqual([
      "channel is \"beta\", expected not channel == 'beta'",
    ]);
  });

  it("shows the result of any other expression", () => {
    expect(explain("failed[?suite == 'api']", { failed: [] })).toEqual([
      "failed[?suite == 'api'] is [], expected a true value (anything but false, null, \"\", [] or {})",
    ]);
    expect(explain("contains(@, 'ok')", "not yet")).toEqual([
      "contains(@, 'ok') is false, expected a true value (anything but false, null, \"\", [] or {})",
    ]);
  });

  it("does not throw when a side fails at run time", () => {
    // The right side would raise (length of a number); only the left, which evaluates, is explained.
    expect(explain("a == `1` && length(n) > `0`", { a: 2, n: 5 })).toEqual(["a is 2, expected == 1"]);
  });
});

describe("describeObserved", () => {
  it("shows the left-hand side of each comparison", () => {
    expect(observed("total.lines.pct >= `80`", { total: { lines: { pct: 91.2 } } })).toBe(
      "total.lines.pct is 91.2",
    );
    expect(observed("failures == `0` && errors == `0`", { failures: 0, errors: 0 })).toBe(
      "failures is 0, errors is 0",
    );
    expect(observed("contains(@, 'ok')", "all ok")).toBe("contains(@, 'ok') is true");
  });
});

describe("formatValue", () => {
  it("shows JSON and cuts long values, counting items", () => {
    expect(formatValue("x")).toBe('"x"');
    expect(formatValue(72.4)).toBe("72.4");
    const long = Array.from({ length: 100 }, (_, i) => i);
    const shown = formatValue(long);
    expect(shown.length).toBeLessThan(140);
    expect(shown).toMatch(/… \(100 items\)$/);
  });
});

describe("search", () => {
  it("evaluates a compiled expression", () => {
    expect(search(compileExpression("a.b"), { a: { b: 1 } })).toBe(1);
  });
});
