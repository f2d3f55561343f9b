import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The iCalendar parser and the S3 client stay out of the function's cold start: nothing reaches
 * them from the handler through static imports, only through the dynamic import in load.ts.
 */
describe("lazy iCalendar support", () => {
  it("is reached from the handler only through a dynamic import", async () => {
    const entry = "functions/window-check/index.ts";
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      mainFields: ["module", "main"],
      logLevel: "silent",
    });
    const inputs = result.metafile.inputs;
    const reached = new Set<string>();
    const pending = [entry];
    while (pending.length > 0) {
      const path = pending.pop() as string;
      if (reached.has(path)) continue;
      reached.add(path);
      for (const imported of inputs[path]?.imports ?? []) {
        if (imported.kind !== "dynamic-import") pending.push(imported.path);
      }
    }
    const statically = [...reached];
    // The check can fail: both are in the bundle, reached through the dynamic import.
    expect(Object.keys(inputs).some((path) => path.includes("node_modules/ical.js/"))).toBe(true);
    expect(Object.keys(inputs).some((path) => path.includes("node_modules/@aws-sdk/client-s3/"))).toBe(true);
    expect(statically.filter((path) => path.includes("node_modules/ical.js/"))).toEqual([]);
    expect(statically.filter((path) => path.includes("node_modules/@aws-sdk/client-s3/"))).toEqual([]);
    expect(statically).not.toContain("functions/window-check/ics-load.ts");
    expect(statically).toContain("functions/window-check/calendar-spec.ts");
  });
});
