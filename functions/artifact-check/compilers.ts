/**
 * re2js (regular expressions and globs) and JMESPath (expect) are a third of the function's
 * startup code, and most configurations need one of them or neither. They load before the
 * UserParameters are parsed, and only when those use them: the schema's transforms are
 * synchronous, so they take the libraries from here (`regexEngine()`, `jmespath()`), and the
 * rule's `prepare` (run by the shared runtime, and by the command line) awaits them first. Each is reached through our own module so that
 * it lands in its own chunk.
 */
type RegexModule = typeof import("./regex-engine.js");
type JmespathModule = typeof import("./jmespath.js");

let regexModule: RegexModule | undefined;
let jmespathModule: JmespathModule | undefined;

export interface CompilerNeeds {
  /** A match/notMatch condition or a glob in `file`. */
  regex: boolean;
  /** An expect condition. */
  expression: boolean;
}

export const ALL_COMPILERS: CompilerNeeds = { regex: true, expression: true };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * What the UserParameters could make the schema compile. Errs on the side of loading: anything
 * that is not a plain list of checks loads both, and the schema then says what is wrong.
 */
export const compilersFor = (userParameters: string | undefined): CompilerNeeds => {
  let value: unknown;
  try {
    value = JSON.parse(userParameters ?? "");
  } catch {
    return ALL_COMPILERS;
  }
  const checks = isObject(value) ? value.checks : undefined;
  if (!Array.isArray(checks)) return ALL_COMPILERS;
  const needs: CompilerNeeds = { regex: false, expression: false };
  for (const check of checks) {
    if (!isObject(check)) return ALL_COMPILERS;
    if ("expect" in check) needs.expression = true;
    if ("match" in check || "notMatch" in check) needs.regex = true;
    // compileGlob needs RE2 only for a pattern; these characters are where one can start.
    if (typeof check.file !== "string" || /[*?[{]/.test(check.file)) needs.regex = true;
  }
  return needs;
};

export const loadCompilers = async (needs: CompilerNeeds): Promise<void> => {
  if (needs.regex) regexModule ??= await import("./regex-engine.js");
  if (needs.expression) jmespathModule ??= await import("./jmespath.js");
};

/** The rule's `prepare`: RE2 and JMESPath load before the schema, only if the UserParameters use them. */
export const prepare = (userParameters: string | undefined): Promise<void> =>
  loadCompilers(compilersFor(userParameters));

const notLoaded = (name: string): never => {
  throw new Error(`${name} is not loaded: await loadCompilers() before parsing UserParameters`);
};

export const regexEngine = (): RegexModule["RE2JS"] => regexModule?.RE2JS ?? notLoaded("re2js");

export const jmespath = (): JmespathModule => jmespathModule ?? notLoaded("JMESPath");
