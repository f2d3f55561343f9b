import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { expect } from "vitest";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = resolve("dist", "cli", "index.mjs");

/** Runs the built command line (dist/cli/index.mjs, from `npm run build`) as a user would. */
export const runCli = async (
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<CliRun> => {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(options.stdin ?? "");
  const code = await new Promise<number | null>((done) => child.on("close", done));
  return { code, stdout, stderr };
};

/** Bad input: exit 2, one line on stderr that says `what`, nothing on stdout, no stack trace. */
export const expectUsageError = (run: CliRun, what: RegExp) => {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^codepipeline-gates: [^\n]+\n$/);
  expect(run.stderr).toMatch(what);
  expect(run.stderr).not.toMatch(/^\s+at /m);
};

/** Shell words: plain, '…' and "…" (no escapes inside single quotes), comments dropped. */
export const shellWords = (line: string): string[] => {
  const words: string[] = [];
  const pattern = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(#.*$)|(\S+)/g;
  for (const m of line.matchAll(pattern)) {
    if (m[3] !== undefined) break;
    words.push(m[1] ?? m[2]?.replace(/\\(.)/g, "$1") ?? m[4] ?? "");
  }
  return words;
};
