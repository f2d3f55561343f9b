/** Where a JSON text breaks: JSON.parse's messages do not always say. */

class Broken {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Scans `text` as JSON and returns the offset of the first error with a short description. */
export const locateJsonError = (text: string): { offset: number; problem: string } | undefined => {
  let i = 0;
  const unexpected = (): never => {
    throw new Broken(
      i,
      i >= text.length ? "unexpected end of file" : `unexpected ${JSON.stringify(text[i])}`,
    );
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] ?? "")) i++;
  };
  const expect = (char: string) => {
    if (text[i] !== char) unexpected();
    i++;
  };
  const string = () => {
    expect('"');
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= text.length || c < 0x20) unexpected();
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) throw new Broken(i, "invalid escape in a string");
        i = ESCAPE.lastIndex;
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        string();
        space();
        expect(":");
        value();
        space();
        if (text[i] !== ",") {
          expect("}");
          return;
        }
        i++;
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] !== ",") {
          expect("]");
          return;
        }
        i++;
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    unexpected();
  };
  try {
    value();
    space();
    if (i < text.length) unexpected();
    return undefined;
  } catch (error) {
    // Anything else (a stack overflow on absurd nesting) means we cannot say where.
    if (error instanceof Broken) return { offset: error.offset, problem: error.problem };
    return undefined;
  }
};

/** 1-based line and column of an offset, and that line's text. */
export const lineAndColumn = (
  text: string,
  offset: number,
): { line: number; column: number; source: string } => {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const end = text.indexOf("\n", lineStart);
  return {
    line,
    column: offset - lineStart + 1,
    source: text.slice(lineStart, end === -1 ? undefined : end),
  };
};
