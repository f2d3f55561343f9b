import { build } from "esbuild";

/**
 * A function's module graph as esbuild bundles it: every input, and those its entry reaches
 * through static imports only (what every cold start loads; dynamic imports are left out).
 */
export const moduleGraph = async (entry: string): Promise<{ inputs: string[]; statically: string[] }> => {
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
  return { inputs: Object.keys(inputs), statically: [...reached] };
};
