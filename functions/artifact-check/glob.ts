import { RE2JS } from "re2js";

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
export const compileGlob = (glob: string): CompiledGlob => {
  let source = "";
  let isGlob = false;
  const closers: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] ?? "";
    if (char === "\\" && i + 1 < glob.length) {
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
      source += literal(char);
    }
  }
  const regex = RE2JS.compile(`^(?:${source})$`, RE2JS.DOTALL);
  return { isGlob, matches: (path) => regex.matches(path) };
};
