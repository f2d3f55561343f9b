import { readFileSync } from "node:fs";
import { build } from "esbuild";

/** The AWS SDK clients and commands a bundle's own source files import, by client package. */
export type SdkUsage = Record<string, { clients: string[]; commands: string[] }>;

/**
 * Reads the imports of every project file (not node_modules) that esbuild puts into the bundle
 * of `entry`: what the function really uses of the SDK. The template test checks IAM against it;
 * the benchmark builds each function's floor bundle from it.
 */
export const sdkUsage = async (
  entry: string,
  /** Leaves out the imports of matching source files (e.g. code that signs with other credentials). */
  skip: (source: string) => boolean = () => false,
): Promise<SdkUsage> => {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    write: false,
    metafile: true,
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  const usage: SdkUsage = {};
  const sources = Object.keys(result.metafile.inputs).filter((p) => !p.includes("node_modules") && !skip(p));
  for (const source of sources) {
    const text = readFileSync(source, "utf8");
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g)) {
      const pkg = match[2] ?? "";
      usage[pkg] ??= { clients: [], commands: [] };
      const entryUsage = usage[pkg];
      for (const raw of (match[1] ?? "").split(",").map((n) => n.trim())) {
        if (raw === "" || raw.startsWith("type ")) continue;
        const name = raw.split(/\s+as\s+/)[0] ?? raw;
        if (name.endsWith("Command") && !entryUsage.commands.includes(name)) entryUsage.commands.push(name);
        if (name.endsWith("Client") && !entryUsage.clients.includes(name)) entryUsage.clients.push(name);
      }
    }
  }
  for (const value of Object.values(usage)) {
    value.commands.sort();
    value.clients.sort();
  }
  return usage;
};
