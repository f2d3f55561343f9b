import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../support/static-imports.js";

/**
 * The YAML and XML parsers, RE2 and JMESPath stay out of the function's cold start: nothing reaches them from the
 * handler through static imports, only through the dynamic import in formats.ts.
 */
describe("lazy parsers", () => {
  it("are reached from the handler only through a dynamic import", async () => {
    const { inputs, statically } = await moduleGraph("functions/artifact-check/index.ts");
    // The check can fail: both are in the bundle, reached through the dynamic import.
    expect(inputs.some((path) => path.includes("node_modules/fast-xml-parser/"))).toBe(true);
    expect(inputs.some((path) => path.includes("node_modules/yaml/"))).toBe(true);
    expect(statically.filter((path) => path.includes("node_modules/fast-xml-parser/"))).toEqual([]);
    expect(statically.filter((path) => path.includes("node_modules/yaml/"))).toEqual([]);
    expect(statically).not.toContain("functions/artifact-check/xml.ts");
    // RE2 and JMESPath too: the handler loads them only when UserParameters use them.
    expect(inputs.some((path) => path.includes("node_modules/re2js/"))).toBe(true);
    expect(inputs.some((path) => path.includes("node_modules/@jmespath-community/"))).toBe(true);
    expect(statically.filter((path) => /node_modules\/(re2js|@jmespath-community)\//.test(path))).toEqual([]);
    expect(statically).toContain("functions/artifact-check/coverage.ts");
  });
});
