import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { functionBuilds } from "../../scripts/build-config.js";

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
