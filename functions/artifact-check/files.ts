import { formatByExtension, type ReadAs } from "./formats.js";
import type { Check } from "./params.js";

/** The artifact paths a check applies to: its exact path, else every path its glob matches. */
export const filesFor = (check: Check, files: readonly string[]): string[] => {
  if (files.includes(check.file)) return [check.file];
  return check.glob ? files.filter((path) => check.glob?.(path)).sort() : [];
};

/** How a check reads a file: regexes read text; expressions the configured format or the extension's. */
export const formatFor = (check: Check, path: string): ReadAs => {
  if (check.condition.kind !== "expect") return "text";
  return check.format ?? formatByExtension(path);
};
