import type { z } from "zod";
import { configurationError } from "./errors.js";

/** CodePipeline's limit on a rule configuration value. */
export const MAX_USER_PARAMETERS_CHARS = 10_000;

const describeValue = (value: unknown): string => {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

const formatPath = (path: readonly PropertyKey[], root: string): string => {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || root;
};

/** Walks a schema down a path, best effort, to list the keys an object there allows. */
const allowedKeysAt = (schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] => {
  let node: z.ZodType | undefined = schema;
  const unwrap = () => {
    while (node) {
      const def = (node as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
      if (def.innerType) node = def.innerType as z.ZodType;
      else if (def.type === "pipe") node = def.in as z.ZodType;
      else break;
    }
  };
  unwrap();
  for (const segment of path) {
    if (!node) return [];
    const def = (node as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === "object") node = (def.shape as Record<string, z.ZodType>)[String(segment)];
    else if (def.type === "array") node = def.element as z.ZodType;
    else if (def.type === "record") node = def.valueType as z.ZodType;
    else return [];
    unwrap();
  }
  if (!node) return [];
  const def = (node as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  return def.type === "object" ? Object.keys(def.shape as object) : [];
};

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown => {
  let value = root;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
};

/** One line per issue: the key path, what was expected, and what was found. */
export const formatIssues = (
  issues: readonly z.core.$ZodIssue[],
  root: string,
  input?: unknown,
  schema?: z.ZodType,
): string => {
  const lines = issues.map((issue) => {
    const where = formatPath(issue.path, root);
    const got = describeValue(valueAt(input, issue.path));
    switch (issue.code) {
      case "invalid_type":
        return `${where}: expected ${issue.expected}; got ${got}`;
      case "invalid_value":
        return issue.values.length === 1
          ? `${where}: expected ${describeValue(issue.values[0])}; got ${got}`
          : `${where}: expected one of ${issue.values.map(String).join(", ")}; got ${got}`;
      case "unrecognized_keys": {
        const allowed = allowedKeysAt(schema, issue.path);
        const keys = issue.keys.map((k) => `"${k}"`).join(", ");
        return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}${
          allowed.length ? `; allowed: ${allowed.join(", ")}` : ""
        }`;
      }
      case "invalid_union":
        return `${where}: ${issue.message}; got ${got}`;
      case "custom":
        return `${where}: ${issue.message}`;
      default:
        return `${where}: ${issue.message.replace(/^Too (small|big): /, "")}; got ${got}`;
    }
  });
  return lines.join("\n");
};

/**
 * Parses the rule's UserParameters string into typed parameters. Absent or blank means `{}`.
 * Every problem becomes one ConfigurationError naming the key path and what was expected.
 */
export const parseUserParameters = <S extends z.ZodType>(raw: string | undefined, schema: S): z.output<S> => {
  let input: unknown = {};
  if (raw !== undefined && raw.trim() !== "") {
    if (raw.length > MAX_USER_PARAMETERS_CHARS) {
      throw configurationError(
        `UserParameters is ${raw.length} characters; CodePipeline allows at most ${MAX_USER_PARAMETERS_CHARS}.`,
      );
    }
    try {
      input = JSON.parse(raw);
    } catch (error) {
      throw configurationError(
        `UserParameters is not valid JSON (${(error as Error).message}). Expected a JSON object such as {"key": "value"}.`,
      );
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw configurationError(`UserParameters must be a JSON object; got ${describeValue(input)}.`);
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw configurationError(
      `Invalid UserParameters:\n${formatIssues(parsed.error.issues, "UserParameters", input, schema)}`,
    );
  }
  return parsed.data;
};
