import type { Parsed, Verdict } from "../../shared/index.js";
import { fitLines, MAX_FAILURE_MESSAGE_CHARS, MAX_SUMMARY_CHARS, plural } from "../../shared/index.js";
import { describeObserved, explainFailure, isTruthy, type JSONValue, search } from "./expression.js";
import type { ParsedFile } from "./formats.js";
import { lineAndColumn } from "./json-location.js";
import type { Check, Condition, Params } from "./params.js";
import type { FailedTest } from "./test-report.js";

/** One file a check applies to, parsed once by `load`. */
export interface LoadedFile {
  path: string;
  content: ParsedFile;
}

/** The files a check applies to, or why there are none (the "not found" message). */
export type LoadedCheck = Parsed<{ files: LoadedFile[] }>;

/** What `load` read from the artifact: one entry per check, in the order of params.checks. */
export interface ArtifactContents {
  artifact: string;
  checks: LoadedCheck[];
}

const MAX_LINE_CHARS = 300;
const MAX_FILES_SHOWN = 10;
const MAX_MATCHES_COUNTED = 1000;

const clip = (text: string, max = MAX_LINE_CHARS): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

interface FileResult {
  path: string;
  pass: boolean;
  detail: string;
  failedTests: readonly FailedTest[];
}

export const labelOf = (check: Check): string => {
  if (check.description) return check.description;
  const { condition } = check;
  if (condition.kind === "expect") return condition.source;
  return `${condition.kind === "match" ? "matches" : "does not match"} /${condition.source}/`;
};

/** The matched line, cut around the match when long. */
const excerpt = (text: string, offset: number): { line: number; shown: string } => {
  const { line, column, source } = lineAndColumn(text, offset);
  if (source.length <= 120) return { line, shown: source.trim() };
  const start = Math.max(0, column - 40);
  const end = start + 110;
  return {
    line,
    shown: `${start > 0 ? "…" : ""}${source.slice(start, end).trim()}${end < source.length ? "…" : ""}`,
  };
};

const evaluateRegex = (
  condition: Condition & { kind: "match" | "notMatch" },
  path: string,
  text: string,
): FileResult => {
  // A final newline ends the last line rather than starting another: `^$` must not match after it.
  const body = text.endsWith("\n") ? text.slice(0, -1) : text;
  const matcher = condition.regex.matcher(body);
  const found = matcher.find();
  const pass = condition.kind === "match" ? found : !found;
  if (!found) {
    const lines = text === "" ? 0 : body.split("\n").length;
    return {
      path,
      pass,
      detail: pass ? "no line matches" : `no line matches (the file has ${plural(lines, "line")})`,
      failedTests: [],
    };
  }
  const { line, shown } = excerpt(body, matcher.start());
  let detail = `line ${line} matches: ${JSON.stringify(shown)}`;
  if (!pass) {
    let count = 1;
    // One past the cap tells "exactly 1000" from "more than 1000".
    while (count <= MAX_MATCHES_COUNTED && matcher.find()) count++;
    if (count > 1)
      detail += ` (${count > MAX_MATCHES_COUNTED ? `${MAX_MATCHES_COUNTED}+` : count} matches in all)`;
  }
  return { path, pass, detail, failedTests: [] };
};

const evaluateExpect = (
  condition: Condition & { kind: "expect" },
  path: string,
  content: ParsedFile & { ok: true },
): FileResult => {
  let result: JSONValue;
  try {
    result = search(condition.expression, content.value);
  } catch (error) {
    return {
      path,
      pass: false,
      detail: `${condition.source} could not be evaluated: ${(error as Error).message}`,
      failedTests: [],
    };
  }
  if (isTruthy(result)) {
    return {
      path,
      pass: true,
      detail: describeObserved(condition.expression, content.value),
      failedTests: [],
    };
  }
  return {
    path,
    pass: false,
    detail: explainFailure(condition.expression, content.value).join("; "),
    failedTests: content.failedTests ?? [],
  };
};

const evaluateFile = (check: Check, file: LoadedFile): FileResult => {
  const { content, path } = file;
  if (!content.ok) return { path, pass: false, detail: content.message, failedTests: [] };
  const { condition } = check;
  if (condition.kind === "expect") return evaluateExpect(condition, path, content);
  return evaluateRegex(condition, path, String(content.value));
};

const failedTestLines = (tests: readonly FailedTest[], shown: number, indent: string): string[] => {
  if (tests.length === 0) return [];
  const lines = [`${indent}${plural(tests.length, "failed test")}:`];
  for (const test of tests.slice(0, shown)) {
    const name = test.suite ? `${test.suite} › ${test.name}` : test.name;
    lines.push(clip(`${indent}  ${name}${test.message ? `: ${test.message}` : ""}`, 200));
  }
  if (tests.length > shown) lines.push(`${indent}  …and ${tests.length - shown} more`);
  return lines;
};

interface CheckResult {
  pass: boolean;
  /** Failure: the block of lines for the failure message. Pass: the summary line. */
  text: string;
}

const evaluateCheck = (check: Check, loaded: LoadedCheck | undefined): CheckResult => {
  const label = labelOf(check);
  if (!loaded?.ok) {
    return { pass: false, text: `✗ ${label}: ${loaded?.message ?? `"${check.file}" was not read`}` };
  }
  const results = loaded.files.map((file) => evaluateFile(check, file));
  const failing = results.filter((r) => !r.pass);
  const single = results.length === 1 ? results[0] : undefined;
  if (single) {
    const mark = single.pass ? "✓" : "✗";
    const head = clip(`${mark} ${label} (${single.path}): ${single.detail}`);
    return single.pass
      ? { pass: true, text: head }
      : { pass: false, text: [head, ...failedTestLines(single.failedTests, 5, "  ")].join("\n") };
  }
  if (failing.length === 0) {
    const seen = results.map((r) => `${r.path}: ${r.detail}`).join("; ");
    return { pass: true, text: clip(`✓ ${label} (${check.file}: all ${results.length} files): ${seen}`) };
  }
  const lines = [`✗ ${label} (${check.file}: ${failing.length} of ${results.length} files fail)`];
  for (const result of failing.slice(0, MAX_FILES_SHOWN)) {
    lines.push(clip(`  ${result.path}: ${result.detail}`), ...failedTestLines(result.failedTests, 3, "    "));
  }
  if (failing.length > MAX_FILES_SHOWN) lines.push(`  …and ${failing.length - MAX_FILES_SHOWN} more files`);
  return { pass: false, text: lines.join("\n") };
};

/** Keeps a failure block's first line and as many detail lines as fit, noting the rest. */
const fitBlock = (block: string, limit: number): string => {
  if (block.length <= limit) return block;
  const [head = "", ...details] = block.split("\n");
  const first = clip(head, limit);
  const kept = [first];
  let used = first.length;
  for (const [i, line] of details.entries()) {
    const note = `    …and ${plural(details.length - i, "more line")}`;
    if (used + 1 + line.length + 1 + note.length > limit) {
      kept.push(note);
      break;
    }
    kept.push(line);
    used += 1 + line.length;
  }
  return kept.join("\n");
};

/**
 * Pure: applies every check to the files `load` parsed and lists all failing checks (with the
 * values behind them) or, on success, each check and the value it saw.
 */
export const evaluate = (input: ArtifactContents, params: Params): Verdict => {
  const results = params.checks.map((check) => evaluateCheck(check, input.checks[check.index]));
  const failed = results.filter((r) => !r.pass);
  const passed = results.filter((r) => r.pass);
  const total = results.length;
  const where = `input artifact "${input.artifact}"`;
  if (failed.length === 0) {
    const header =
      total === 1
        ? `The artifact check passed on ${where}:`
        : `All ${total} artifact checks passed on ${where}:`;
    return {
      pass: true,
      summary: fitLines(
        header,
        passed.map((r) => r.text),
        MAX_SUMMARY_CHARS,
      ),
      figures: { ChecksFailed: 0 },
    };
  }
  const header = `${failed.length} of ${plural(total, "artifact check")} failed on ${where}:`;
  // Each failing check gets a share of the room, so that a long one cannot push the others out.
  const share = Math.max(400, Math.floor((MAX_FAILURE_MESSAGE_CHARS - header.length - 200) / failed.length));
  const blocks = failed.map((r) => fitBlock(r.text, share));
  return {
    pass: false,
    message: fitLines(header, [...blocks, ...passed.map((r) => r.text)], MAX_FAILURE_MESSAGE_CHARS),
    // For the shared runtime's metrics and decision records.
    figures: { ChecksFailed: failed.length },
  };
};
