import type { RE2JS } from "re2js";
import * as z from "zod";
import { regexEngine } from "./compilers.js";
import { compileExpression, type Expression, ExpressionMistake } from "./expression.js";
import { FORMATS, type Format } from "./formats.js";
import { compileGlob } from "./glob.js";

/** What a check asks of its file(s): a JMESPath expression or a regular expression. */
export type Condition =
  | { kind: "expect"; source: string; expression: Expression }
  | { kind: "match" | "notMatch"; source: string; regex: RE2JS };

export interface Check {
  /** Position in UserParameters.checks, for messages. */
  index: number;
  /** The path (or glob) as configured. */
  file: string;
  /** Set when `file` is a glob: tests a path in the artifact. */
  glob: ((path: string) => boolean) | undefined;
  /** The configured format; undefined means by extension (text for match/notMatch). */
  format: Format | undefined;
  description: string | undefined;
  condition: Condition;
}

const CONDITION_KEYS = ["expect", "match", "notMatch"] as const;

const checkSchema = z
  .strictObject({
    file: z.string().trim().min(1),
    format: z.enum(FORMATS).optional(),
    expect: z.string().trim().min(1).optional(),
    match: z.string().min(1).optional(),
    notMatch: z.string().min(1).optional(),
    description: z.string().trim().min(1).max(200).optional(),
  })
  .transform((raw, ctx): Check => {
    const issue = (path: string | undefined, message: string) => {
      ctx.addIssue({ code: "custom", path: path === undefined ? [] : [path], message, input: raw });
    };
    const given = CONDITION_KEYS.filter((key) => raw[key] !== undefined);
    const key = given[0];
    if (given.length !== 1 || key === undefined) {
      issue(
        undefined,
        given.length === 0
          ? "a check needs one of expect (a JMESPath expression), match or notMatch (a regular expression)"
          : `give exactly one of expect, match, notMatch per check; got ${given.join(" and ")}. Use one check for each`,
      );
      return z.NEVER;
    }
    // NFC, like the artifact's names (shared/artifacts/zip.ts), so that an accent typed either way matches.
    const file = raw.file.replace(/^(\.\/)+/, "").normalize("NFC");
    if (file.startsWith("/") || file.split("/").includes("..") || file.includes("\\")) {
      issue(
        "file",
        `expected a path inside the artifact's zip, like "reports/junit.xml"; got ${JSON.stringify(raw.file)}`,
      );
      return z.NEVER;
    }
    let glob: Check["glob"];
    try {
      // `*` and `**` also match names starting with a dot (build outputs often do).
      const compiled = compileGlob(file);
      if (compiled.isGlob) glob = compiled.matches;
    } catch (error) {
      issue("file", `not a valid glob (${(error as Error).message}); got ${JSON.stringify(raw.file)}`);
      return z.NEVER;
    }
    const source = raw[key] ?? "";
    let condition: Condition;
    if (key === "expect") {
      try {
        condition = { kind: "expect", source, expression: compileExpression(source) };
      } catch (error) {
        const problem =
          error instanceof ExpressionMistake
            ? (error as Error).message
            : `not a valid JMESPath expression (${(error as Error).message})`;
        issue("expect", `${problem}; got ${JSON.stringify(source)}`);
        return z.NEVER;
      }
    } else {
      if (raw.format !== undefined && raw.format !== "text") {
        issue(
          "format",
          `${key} reads the file as text; remove format or set it to "text" (got "${raw.format}")`,
        );
        return z.NEVER;
      }
      try {
        // MULTILINE: ^ and $ match at line breaks, which is what a pattern over a file means.
        const RE2 = regexEngine();
        condition = { kind: key, source, regex: RE2.compile(source, RE2.MULTILINE) };
      } catch (error) {
        issue(
          key,
          `not a valid regular expression (${(error as Error).message}); the syntax is RE2's, which has no look-around or back-references; got ${JSON.stringify(source)}`,
        );
        return z.NEVER;
      }
    }
    return { index: 0, file, glob, format: raw.format, description: raw.description, condition };
  });

export const paramsSchema = z
  .strictObject({
    artifact: z.string().trim().min(1).optional(),
    checks: z.array(checkSchema).min(1, "expected a non-empty list of checks"),
  })
  .transform((params) => ({
    artifact: params.artifact,
    checks: params.checks.map((check, index) => ({ ...check, index })),
  }));

export type Params = z.output<typeof paramsSchema>;
