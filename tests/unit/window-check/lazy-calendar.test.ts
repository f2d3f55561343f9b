import { describe, expect, it } from "vitest";
import { moduleGraph } from "../../support/static-imports.js";

/**
 * The iCalendar parser and the S3 client stay out of the function's cold start: nothing reaches
 * them from the handler through static imports, only through the dynamic import in load.ts.
 */
describe("lazy iCalendar support", () => {
  it("is reached from the handler only through a dynamic import", async () => {
    const { inputs, statically } = await moduleGraph("functions/window-check/index.ts");
    // The check can fail: both are in the bundle, reached through the dynamic import.
    expect(inputs.some((path) => path.includes("node_modules/ical.js/"))).toBe(true);
    expect(inputs.some((path) => path.includes("node_modules/@aws-sdk/client-s3/"))).toBe(true);
    expect(statically.filter((path) => path.includes("node_modules/ical.js/"))).toEqual([]);
    expect(statically.filter((path) => path.includes("node_modules/@aws-sdk/client-s3/"))).toEqual([]);
    expect(statically).not.toContain("functions/window-check/ics-load.ts");
    expect(statically).toContain("functions/window-check/calendar-spec.ts");
  });
});
