import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { functionBuilds } from "../../scripts/build-config.js";
import { moduleGraph } from "../support/static-imports.js";

/** adm-zip is a dev dependency for the artifact-read benchmark's comparison column only. */
describe("function bundles", () => {
  it.each(functionBuilds().map((b) => [b.name, b] as const))(
    "%s holds no adm-zip",
    async (_, { options }) => {
      const result = await build({ ...options, write: false, logLevel: "silent" });
      const inputs = Object.keys(result.metafile?.inputs ?? {});
      // The check can fail: the bundle's inputs are listed, node_modules included.
      expect(inputs.some((path) => path.includes("node_modules/@aws-sdk/"))).toBe(true);
      expect(inputs.filter((path) => path.includes("node_modules/adm-zip/"))).toEqual([]);
    },
  );
});

describe("every function's cold start", () => {
  it.each(functionBuilds().map((b) => [b.name, b] as const))(
    "%s loads neither the command line's zip writer, the decision-record clients nor the artifact reader",
    async (_, { options }) => {
      const entry = String((options.entryPoints as string[])[0]);
      const { statically: reached } = await moduleGraph(entry);
      expect(reached).toContain("shared/rule.ts");
      for (const lazy of [
        "node_modules/yazl/",
        "shared/decision-sinks.ts",
        "node_modules/@aws-sdk/client-eventbridge/",
        // Loaded on first use through shared/index.ts: window-check needs it only for calendar files.
        "shared/artifacts/index.ts",
        "node_modules/yauzl/",
      ]) {
        expect(
          reached.filter((path) => path.includes(lazy)),
          lazy,
        ).toEqual([]);
      }
    },
  );
});
