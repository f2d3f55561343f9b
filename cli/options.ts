import { existsSync } from "node:fs";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { LocalInputArtifact } from "../shared/artifacts/index.js";
import { UsageError } from "./usage.js";

/** node:util parseArgs, with its errors as usage errors (one line, exit 2). */
export const parseOptions = <O extends NonNullable<ParseArgsConfig["options"]>>(
  args: readonly string[],
  options: O,
) => {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains "--" at length after its first sentence; the first says what is wrong.
    const message = (error as Error).message;
    throw new UsageError(/^[^\n]*?\.(?=\s|$)/.exec(message)?.[0] ?? message);
  }
};

/** An instant from `--at`: ISO-8601 with a UTC offset or Z, so that it means one moment. */
export const parseAt = (text: string | undefined): Date => {
  if (text === undefined) return new Date();
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
  const at = new Date(text);
  if (!iso.test(text) || Number.isNaN(at.getTime())) {
    throw new UsageError(
      `--at expects an ISO-8601 time with an offset, such as 2026-12-04T09:30:00Z or 2026-12-04T10:30+01:00; got ${JSON.stringify(text)}`,
    );
  }
  return at;
};

/** The name of an unnamed `--artifact`: one the rule's configuration can name with "artifact". */
export const DEFAULT_ARTIFACT_NAME = "input";

/** `--artifact <path>` and `--artifact NAME=<path>` as the job's input artifacts, in order. */
export const inputArtifacts = (values: readonly string[]): LocalInputArtifact[] => {
  const artifacts = values.map((value): LocalInputArtifact => {
    const named = /^([A-Za-z0-9_-]{1,100})=(.+)$/.exec(value);
    // A path that exists as written wins over NAME=PATH (a folder may have "=" in its name).
    const [name, path] =
      named && !existsSync(value) ? [named[1] ?? "", named[2] ?? ""] : [DEFAULT_ARTIFACT_NAME, value];
    if (!existsSync(path)) throw new UsageError(`--artifact ${JSON.stringify(path)}: no such file or folder`);
    return { name, revision: undefined, bucket: "", key: "", localPath: path };
  });
  const names = artifacts.map((a) => a.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) {
    throw new UsageError(
      twice === DEFAULT_ARTIFACT_NAME
        ? "several --artifact options need names: --artifact NAME=<dir|zip>"
        : `input artifact ${JSON.stringify(twice)} is given twice`,
    );
  }
  return artifacts;
};
