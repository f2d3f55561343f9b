import { existsSync, readFileSync } from "node:fs";
import { UsageError } from "./usage.js";

const readStdin = (): string => {
  try {
    return readFileSync(0, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read UserParameters from standard input: ${(error as Error).message}`);
  }
};

const readParamsFile = (path: string): string => {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : code;
    throw new UsageError(`cannot read UserParameters file ${JSON.stringify(path)}: ${why ?? "unreadable"}`);
  }
};

/**
 * The UserParameters string a pipeline would hold, from `<params>`: a JSON string, `@file.json` or
 * `-` for standard input. Valid JSON is passed on minified, as it would be pasted into the rule's
 * configuration (so that its length is checked as CodePipeline would); anything else is passed on
 * as it is, for the rule's own "not valid JSON" message.
 */
export const readUserParameters = (argument: string): { text: string; source: string } => {
  const source =
    argument === "-" ? "standard input" : argument.startsWith("@") ? argument.slice(1) : undefined;
  const raw =
    argument === "-" ? readStdin() : argument.startsWith("@") ? readParamsFile(argument.slice(1)) : argument;
  const text = raw.replace(/^\uFEFF/, "");
  try {
    return { text: JSON.stringify(JSON.parse(text)), source: source ?? "the command line" };
  } catch {
    if (source === undefined && existsSync(argument)) {
      throw new UsageError(`${JSON.stringify(argument)} is a file, not JSON: write @${argument} to read it`);
    }
    return { text, source: source ?? "the command line" };
  }
};
