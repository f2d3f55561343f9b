import { closestNames } from "../../shared/index.js";
import { regexEngine } from "./compilers.js";

/**
 * Globs run by RE2, so matching takes time linear in the path whatever the pattern: a JavaScript
 * RegExp built from `**\/*a*a*a*a*a*a*a*a*b` backtracks for minutes on a long file name, and
 * blocks the event loop so that even the deadline guard cannot answer.
 *
 * `*` any characters but `/` (dot files included), `?` one such character, `**` as a whole path
 * segment any number of segments (none included), `[abc]` / `[a-z]` / `[!abc]` a character class,
 * `{a,b}` alternatives (nested allowed), `\x` the character x.
 */

const literal = (char: string): string => char.replace(/[\\^$.*+?()[\]{}|]/, "\\$&");

/** The index of the `]` closing a class opened at `open`, or -1. */
const classEnd = (glob: string, open: number): number => {
  let i = open + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++; // a leading ] is a member
  for (; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "]") return i;
  }
  return -1;
};

/** The index of the `}` closing a brace opened at `open` if it holds a top-level comma, or -1. */
const braceEnd = (glob: string, open: number): number => {
  let depth = 0;
  let comma = false;
  for (let i = open; i < glob.length; i++) {
    const char = glob[i];
    if (char === "\\") i++;
    else if (char === "[") {
      const end = classEnd(glob, i);
      if (end > 0) i = end;
    } else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return comma ? i : -1;
    else if (char === "," && depth === 1) comma = true;
  }
  return -1;
};

export interface CompiledGlob {
  /** False when the pattern holds no wildcard: it names one path. */
  isGlob: boolean;
  /** Tests a whole path. */
  matches: (path: string) => boolean;
}

/** Compiles a glob; throws (with RE2's message) when its classes are not valid. */
export const compileGlob = (glob: string, options: { ignoreCase?: boolean } = {}): CompiledGlob => {
  let source = "";
  /** The path a pattern without wildcards names (its escapes undone). */
  let text = "";
  let isGlob = false;
  const closers: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? "";
    if (char === "\\" && i + 1 < glob.length) {
      text += glob[i + 1] ?? "";
      source += literal(glob[++i] ?? "");
    } else if (char === "*") {
      isGlob = true;
      let end = i;
      while (glob[end + 1] === "*") end++;
      const wholeSegment =
        end > i && (i === 0 || glob[i - 1] === "/") && (end + 1 === glob.length || glob[end + 1] === "/");
      if (!wholeSegment) source += "[^/]*";
      else if (end + 1 === glob.length) source += ".*";
      else {
        source += "(?:[^/]*/)*";
        end++; // the slash after ** is part of it
      }
      i = end;
    } else if (char === "?") {
      isGlob = true;
      source += "[^/]";
    } else if (char === "[" && classEnd(glob, i) > 0) {
      isGlob = true;
      const end = classEnd(glob, i);
      const body = glob.slice(i + 1, end);
      source += body.startsWith("!") || body.startsWith("^") ? `[^/${body.slice(1)}]` : `[${body}]`;
      i = end;
    } else if (char === "{" && braceEnd(glob, i) > 0) {
      isGlob = true;
      closers.push(braceEnd(glob, i));
      source += "(?:";
    } else if (char === "," && closers.length > 0) {
      source += "|";
    } else if (char === "}" && closers.at(-1) === i) {
      closers.pop();
      source += ")";
    } else {
      text += char;
      source += literal(char);
    }
  }
  // A plain path names itself: no RE2 needed (so a configuration without patterns never loads it).
  if (!isGlob && !options.ignoreCase) return { isGlob, matches: (path) => path === text };
  const RE2 = regexEngine();
  const flags = RE2.DOTALL | (options.ignoreCase ? RE2.CASE_INSENSITIVE : 0);
  const regex = RE2.compile(`^(?:${source})$`, flags);
  return { isGlob, matches: (path) => regex.matches(path) };
};

/** A looser pattern: what a path matching it got right. */
const loosened = (pattern: string): string[] => {
  const slash = pattern.lastIndexOf("/");
  const folder = slash < 0 ? "" : pattern.slice(0, slash);
  const name = pattern.slice(slash + 1);
  const extension = /\.[A-Za-z0-9]+$/.exec(name)?.[0];
  return [
    pattern, // only the letter case differs
    `**/${name}`, // the right name in another folder
    ...(folder ? [`${folder}/*`] : []), // another name in the right folder
    ...(extension ? [`**/*${extension}`] : []), // the same kind of file
  ];
};

/**
 * The paths closest to what a glob that matched nothing was after, best first: same pattern but
 * for letter case, then the right name in another folder, another name in the right folder, the
 * same extension. Paths sharing none of that are not listed (not even in a small artifact).
 */
export const closestToGlob = (pattern: string, paths: readonly string[], count = 5): string[] => {
  const found: string[] = [];
  for (const loose of loosened(pattern)) {
    if (found.length >= count) break;
    let matches: (path: string) => boolean;
    try {
      matches = compileGlob(loose, { ignoreCase: true }).matches;
    } catch {
      continue;
    }
    const tier = paths.filter((path) => !found.includes(path) && matches(path));
    found.push(...closestNames(pattern, tier, count - found.length));
  }
  return found;
};
