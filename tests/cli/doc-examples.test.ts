import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, shellWords } from "./support.js";

/**
 * The command-line examples in the README and docs/ are what the command line prints: every
 * `$ codepipeline-gates …` line in a code block runs in examples/ (where gates/ and build/ are),
 * and its output must be the lines shown after it; `$ echo $?` shows the exit code. ECR checks
 * need an AWS (moto) and a scan time that moves, so those are left to tests/cli/ecr.test.ts.
 */

interface Example {
  where: string;
  args: string[];
  output: string;
  exitCode?: number;
}

const examplesIn = (file: string): Example[] => {
  const lines = readFileSync(file, "utf8").split("\n");
  const examples: Example[] = [];
  let inBlock = false;
  let current: Example | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\s*```/.test(line)) {
      inBlock = !inBlock;
      current = undefined;
      continue;
    }
    if (!inBlock) continue;
    if (line === "$ echo $?") {
      const code = Number(lines[i + 1]);
      if (current) current.exitCode = code;
      i++;
      current = undefined;
    } else if (line.startsWith("$ codepipeline-gates ")) {
      const args = shellWords(line.slice("$ codepipeline-gates ".length));
      current = { where: `${file}:${i + 1}`, args, output: "" };
      const needsAws = args[0] === "check" && args[1] === "ecr-findings-check";
      if (!needsAws) examples.push(current);
    } else if (line.startsWith("$ ")) {
      current = undefined;
    } else if (current) {
      current.output += `${line}\n`;
    }
  }
  return examples;
};

const files = ["README.md", ...(existsSync("docs") ? readdirSync("docs").map((f) => join("docs", f)) : [])];
const examples = files.filter((f) => f.endsWith(".md")).flatMap(examplesIn);

describe("command-line examples in the README and docs/", () => {
  it("finds examples of validate, check and next", () => {
    const commands = new Set(examples.map((e) => e.args[0]));
    for (const command of ["validate", "check", "next"]) expect(commands).toContain(command);
  });

  it.each(examples)("$where: codepipeline-gates $args.0 $args.1", async ({ args, output, exitCode }) => {
    const run = await runCli(args, { cwd: "examples" });
    expect(run.stdout + run.stderr).toBe(output);
    if (exitCode !== undefined) expect(run.code).toBe(exitCode);
  });
});
