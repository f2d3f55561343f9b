#!/usr/bin/env node
import { describeError } from "../shared/errors.js";
import { EXIT, USAGE, UsageError } from "./usage.js";

/**
 * codepipeline-gates: the pipeline's gates on the command line. A thin layer over each rule's
 * schema, load and evaluate; each command's modules are imported only when it runs.
 */
const COMMANDS: Record<string, () => Promise<(args: readonly string[]) => Promise<number>>> = {
  validate: async () => (await import("./commands/validate.js")).validate,
  check: async () => (await import("./commands/check.js")).check,
  next: async () => (await import("./commands/next.js")).next,
  schema: async () => (await import("./commands/schema.js")).schema,
};

const main = async (argv: readonly string[]): Promise<number> => {
  const [command, ...args] = argv;
  if (command === undefined) {
    throw new UsageError(`name a command: ${Object.keys(COMMANDS).join(", ")} (or --help)`);
  }
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.passed;
  }
  const load = COMMANDS[command];
  if (!load) {
    throw new UsageError(
      `unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(", ")}`,
    );
  }
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.passed;
  }
  return (await load())(args);
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // One line, never a stack trace: a usage mistake, or (a bug) anything else.
    const message = error instanceof UsageError ? error.message : `unexpected error: ${describeError(error)}`;
    process.stderr.write(`codepipeline-gates: ${message}\n`);
    process.exitCode = EXIT.invalid;
  },
);
