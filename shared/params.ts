import type { z } from "zod";
import { configurationError } from "./errors.js";
import { closestDayOrMonth, closestTimeZone, closestWords } from "./suggest.js";

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

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(" or ");

/** "did you mean …?" for unknown keys: the allowed key each is most likely a typo of; "" if none. */
const keyHints = (keys: readonly string[], allowed: readonly string[]): string => {
  const hints = keys.flatMap((key) => {
    const close = closestWords(key, allowed);
    return close.length ? [keys.length > 1 ? `${quoted(close)} for "${key}"` : quoted(close)] : [];
  });
  return hints.length ? `did you mean ${hints.join(", ")}?` : "";
};

/** The strings a value holds: itself, or the strings of an array. */
const stringsIn = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.filter((v) => typeof v === "string")
      : [];

/**
 * Hints for a rule's own checks (custom issues), read from the value and what the message is
 * about: a time zone name, day and month names in days or cron expressions, unknown keys of a
 * nested object ("unknown key …; allowed: …").
 */
const customHints = (message: string, value: unknown): string => {
  const unknown = /unknown keys? ((?:"[^"]*"(?:, )?)+); allowed: ([\w, ]+)$/.exec(message);
  if (unknown) {
    const keys = [...(unknown[1] ?? "").matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
    const hint = keyHints(keys, (unknown[2] ?? "").split(/,\s*/));
    return hint ? `; ${hint}` : "";
  }
  const strings = stringsIn(value);
  if (/time zone/i.test(message)) {
    const zone = strings[0] === undefined ? undefined : closestTimeZone(strings[0]);
    return zone ? `; did you mean "${zone}"?` : "";
  }
  if (/day names|cron/i.test(message)) {
    // A message about one cron field hints only at the name it says is not a value.
    const named = [...message.matchAll(/"([A-Za-z]{3,})" is not a value/g)].map((m) => m[1] ?? "");
    const aboutOneField = /: (seconds|minutes|hours|day-of-month|month|day-of-week|year) "/.test(message);
    const words = aboutOneField ? named : strings.flatMap((text) => text.match(/[A-Za-z]{3,}/g) ?? []);
    const fixes = new Map<string, string>();
    for (const word of words) {
      const name = closestDayOrMonth(word);
      if (name) fixes.set(word, name);
    }
    const hints = [...fixes].map(([word, name]) => (fixes.size > 1 ? `${name} for ${word}` : name));
    return hints.length ? `; did you mean ${hints.join(", ")}?` : "";
  }
  return "";
};

/**
 * The one wording of an unknown-key problem, for the schema's own check and for rules that check
 * a nested object themselves: `unknown key "x" (did you mean "y"?); allowed: a, b`.
 */
export const unknownKeysMessage = (keys: readonly string[], allowed: readonly string[], hint = ""): string =>
  `unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}${hint ? ` (${hint})` : ""}${
    allowed.length ? `; allowed: ${allowed.join(", ")}` : ""
  }`;

/** One line per issue: the key path, what was expected, what was found, and a likely fix. */
export const formatIssues = (
  issues: readonly z.core.$ZodIssue[],
  root: string,
  input?: unknown,
  schema?: z.ZodType,
): string => {
  const lines = issues.map((issue) => {
    const where = formatPath(issue.path, root);
    const value = valueAt(input, issue.path);
    const got = describeValue(value);
    switch (issue.code) {
      case "invalid_type":
        return `${where}: expected ${issue.expected}; got ${got}`;
      case "invalid_value": {
        if (issue.values.length === 1)
          return `${where}: expected ${describeValue(issue.values[0])}; got ${got}`;
        const close = typeof value === "string" ? closestWords(value.trim(), issue.values.map(String)) : [];
        return `${where}: expected one of ${issue.values.map(String).join(", ")}; got ${got}${
          close.length ? `; did you mean ${quoted(close)}?` : ""
        }`;
      }
      case "unrecognized_keys": {
        const allowed = allowedKeysAt(schema, issue.path);
        return `${where}: ${unknownKeysMessage(issue.keys, allowed, keyHints(issue.keys, allowed))}`;
      }
      case "invalid_union":
        return `${where}: ${issue.message}; got ${got}`;
      case "custom": {
        const hint = customHints(issue.message, value);
        return `${where}: ${hint ? issue.message.replace(/\.$/, "") : issue.message}${hint}`;
      }
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
