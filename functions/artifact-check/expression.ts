import type { compile, JSONValue, tokenize } from "@jmespath-community/jmespath";
import { jmespath } from "./compilers.js";

/** A compiled JMESPath expression (the library's AST). */
export type Expression = ReturnType<typeof compile>;
export type { JSONValue };

/**
 * An expression that is valid JMESPath but cannot mean what its author meant (it would make the
 * gate pass or fail whatever the file holds); the message says what to write instead.
 */
export class ExpressionMistake extends Error {}

const COMPARATORS = new Set(["EQ", "NE", "LT", "LTE", "GT", "GTE"]);
const ORDERING = new Set(["LT", "LTE", "GT", "GTE"]);
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;

type Token = ReturnType<typeof tokenize>[number];

const tokensOf = (source: string): Token[] => {
  try {
    return jmespath().tokenize(source);
  } catch {
    return [];
  }
};

/** A number written without backticks next to a comparison (`>= 80`), as the user typed it. */
const bareNumber = (source: string, tokens: readonly Token[]): string | undefined => {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== "Number") continue;
    const before = tokens[i - 1]?.type ?? "";
    const after = tokens[i + 1]?.type ?? "";
    if (COMPARATORS.has(before) || COMPARATORS.has(after)) {
      return NUMBER_TEXT.exec(source.slice(token.start))?.[0] ?? String(token.value);
    }
  }
  return undefined;
};

const quote = (text: string): string => `'${text.replace(/'/g, "\\'")}'`;

/** Every node of an AST. A loop, not recursion: a deeply nested expression must not cost more. */
const nodesOf = (root: unknown): Array<Record<string, unknown> & { type: string }> => {
  const found: Array<Record<string, unknown> & { type: string }> = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) {
      pending.push(...value);
    } else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.type === "string") found.push(record as Record<string, unknown> & { type: string });
      pending.push(...Object.values(record));
    }
  }
  return found;
};

/**
 * Comparisons that cannot work: `channel == "beta"` compares with a *field* named beta (double
 * quotes name fields in JMESPath), and `x >= '80'` compares with a string, which `<`, `<=`, `>`,
 * `>=` never do (they give null: the check always fails, and `!(…)` always passes).
 */
const findMistake = (expression: Expression, tokens: readonly Token[]): string | undefined => {
  const quoted = new Set(tokens.filter((t) => t.type === "QuotedIdentifier").map((t) => String(t.value)));
  for (const n of nodesOf(expression)) {
    if (n.type !== "Comparator") continue;
    const sides = [n.left, n.right] as Array<Record<string, unknown>>;
    const operator = OPERATORS[String(n.name)] ?? String(n.name);
    for (const [index, side] of sides.entries()) {
      const other = sides[1 - index];
      if (side?.type === "Field" && quoted.has(String(side.name)) && other?.type !== "Literal") {
        const name = String(side.name);
        return `"${name}" in double quotes names a field in JMESPath, not a string; for the string write ${quote(name)} (single quotes)`;
      }
      if (ORDERING.has(String(n.name)) && side?.type === "Literal" && typeof side.value === "string") {
        const text = side.value;
        const fix =
          NUMBER_TEXT.exec(text.trim())?.[0] === text.trim()
            ? `; for the number write \`${text.trim()}\``
            : "";
        return `${quote(text)} is a string, and ${operator} compares numbers only: with a string it gives null whatever the file holds${fix}`;
      }
    }
  }
  return undefined;
};

/**
 * Compiles a JMESPath expression; throws the library's LexerError/ParserError on bad syntax, or an
 * ExpressionMistake where we can say what was meant.
 */
export const compileExpression = (source: string): Expression => {
  const tokens = tokensOf(source);
  let expression: Expression;
  try {
    expression = jmespath().compile(source);
  } catch (error) {
    const number = bareNumber(source, tokens);
    if (number !== undefined) {
      throw new ExpressionMistake(
        `a number in JMESPath is a JSON literal in backticks: write \`${number}\`, not ${number}`,
      );
    }
    throw error;
  }
  const mistake = findMistake(expression, tokens);
  if (mistake) throw new ExpressionMistake(mistake);
  return expression;
};

export const search = (expression: Expression, data: JSONValue): JSONValue =>
  jmespath().TreeInterpreter.search(expression, data);

/** JMESPath truthiness: false, null, "", [] and {} are false; every number (0 too) is true. */
export const isTruthy = (value: JSONValue): boolean => {
  if (value === null || value === false || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
};

const MAX_VALUE_CHARS = 120;

/** A value as a pipeline user reads it: JSON, cut short when long. */
export const formatValue = (value: JSONValue | undefined): string => {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  if (text.length <= MAX_VALUE_CHARS) return text;
  const size = Array.isArray(value)
    ? ` (${value.length} items)`
    : typeof value === "object" && value !== null
      ? ` (${Object.keys(value).length} keys)`
      : "";
  return `${text.slice(0, MAX_VALUE_CHARS - 1)}…${size}`;
};

const OPERATORS: Record<string, string> = { EQ: "==", NE: "!=", LT: "<", LTE: "<=", GT: ">", GTE: ">=" };
const ARITHMETIC: Record<string, string> = {
  Plus: "+",
  Minus: "-",
  Multiply: "*",
  Star: "*",
  Divide: "/",
  Modulo: "%",
  Div: "//",
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Node = Record<string, unknown> & { type: string };
const node = (value: unknown): Node => value as Node;

/** Lower binds looser: used to put parentheses back where the source must have had them. */
const precedence = (n: Node): number => {
  switch (n.type) {
    case "Pipe":
      return 1;
    case "OrExpression":
      return 2;
    case "AndExpression":
      return 3;
    case "Ternary":
    case "LetExpression":
      return 0;
    case "Comparator":
      return 5;
    case "Arithmetic":
      return 6;
    case "NotExpression":
    case "Unary":
      return 7;
    default:
      return 9;
  }
};

const wrap = (child: Node, parentPrecedence: number): string => {
  const text = unparse(child as unknown as Expression);
  return precedence(child) < parentPrecedence ? `(${text})` : text;
};

/** Appends a projected right-hand side: `.b`, `[0]`, or nothing for the identity. */
const projected = (right: Node): string => {
  if (right.type === "Identity" || right.type === "Current") return "";
  const text = unparse(right as unknown as Expression);
  return text.startsWith("[") ? text : `.${text}`;
};

/**
 * Turns a compiled expression back into JMESPath text, to name a sub-expression in messages
 * (the library keeps no source positions). Equivalent to the source, not always identical.
 */
export const unparse = (expression: Expression): string => {
  const n = node(expression);
  switch (n.type) {
    case "Field": {
      const name = String(n.name);
      return IDENTIFIER.test(name) ? name : JSON.stringify(name);
    }
    case "Identity":
    case "Current":
      return "@";
    case "Root":
      return "$";
    case "Variable":
      return `$${String(n.name)}`;
    case "Literal":
      return typeof n.value === "string"
        ? `'${n.value.replace(/'/g, "\\'")}'`
        : `\`${JSON.stringify(n.value)}\``;
    case "Index":
      return `[${String(n.value)}]`;
    case "Slice": {
      const part = (v: unknown) => (v === null || v === undefined ? "" : String(v));
      return `[${part(n.start)}:${part(n.stop)}${n.step === null || n.step === undefined ? "" : `:${part(n.step)}`}]`;
    }
    case "Subexpression": {
      const right = unparse(n.right as Expression);
      return `${wrap(node(n.left), 9)}${right.startsWith("[") ? "" : "."}${right}`;
    }
    case "IndexExpression": {
      const left = node(n.left);
      const right = unparse(n.right as Expression);
      return left.type === "Identity" ? right : `${wrap(left, 9)}${right}`;
    }
    case "Projection": {
      const left = node(n.left);
      const right = node(n.right);
      if (left.type === "Flatten") return `${unparse(left as unknown as Expression)}${projected(right)}`;
      const base = left.type === "Identity" ? "" : unparse(left as unknown as Expression);
      // `a[0:2]` and `a[*]` both compile to a projection; a slice already shows its brackets.
      return `${base.endsWith("]") && node(left.right ?? {}).type === "Slice" ? base : `${base}[*]`}${projected(right)}`;
    }
    case "ValueProjection": {
      const left = node(n.left);
      return `${left.type === "Identity" ? "*" : `${wrap(left, 9)}.*`}${projected(node(n.right))}`;
    }
    case "FilterProjection": {
      const left = node(n.left);
      const base = left.type === "Identity" ? "" : wrap(left, 9);
      return `${base}[?${unparse(n.condition as Expression)}]${projected(node(n.right))}`;
    }
    case "Flatten":
      return `${wrap(node(n.child), 9)}[]`;
    case "Comparator":
      return `${wrap(node(n.left), 6)} ${OPERATORS[String(n.name)] ?? String(n.name)} ${wrap(node(n.right), 6)}`;
    case "AndExpression":
      return `${wrap(node(n.left), 3)} && ${wrap(node(n.right), 4)}`;
    case "OrExpression":
      return `${wrap(node(n.left), 2)} || ${wrap(node(n.right), 3)}`;
    case "Pipe":
      return `${wrap(node(n.left), 1)} | ${wrap(node(n.right), 2)}`;
    case "NotExpression":
      return `!${wrap(node(n.child), 7)}`;
    case "Arithmetic":
      return `${wrap(node(n.left), 6)} ${ARITHMETIC[String(n.operator)] ?? String(n.operator)} ${wrap(node(n.right), 7)}`;
    case "Unary":
      return `${n.operator === "Minus" ? "-" : "+"}${wrap(node(n.operand), 7)}`;
    case "ExpressionReference":
      return `&${wrap(node(n.child), 7)}`;
    case "Function":
      return `${String(n.name)}(${(n.children as Expression[]).map(unparse).join(", ")})`;
    case "MultiSelectList":
      return `[${(n.children as Expression[]).map(unparse).join(", ")}]`;
    case "MultiSelectHash":
      return `{${(n.children as Array<{ name: string; value: Expression }>)
        .map(
          (pair) =>
            `${IDENTIFIER.test(pair.name) ? pair.name : JSON.stringify(pair.name)}: ${unparse(pair.value)}`,
        )
        .join(", ")}}`;
    case "Ternary":
      return `${wrap(node(n.condition), 1)} ? ${unparse(n.trueExpr as Expression)} : ${unparse(n.falseExpr as Expression)}`;
    case "LetExpression":
      return `let ${(n.bindings as Array<{ variable: string; reference: Expression }>)
        .map((b) => `$${b.variable} = ${unparse(b.reference)}`)
        .join(", ")} in ${unparse(n.expression as Expression)}`;
    default:
      return n.type;
  }
};

/** Evaluates a sub-expression for a message; a runtime error becomes undefined (nothing to show). */
const tryValue = (expression: Expression, data: JSONValue): JSONValue | undefined => {
  try {
    return search(expression, data);
  } catch {
    return undefined;
  }
};

const isNumber = (value: JSONValue | undefined): boolean => typeof value === "number";

const describeSide = (value: JSONValue | undefined): string =>
  value === null ? "null (missing or null)" : formatValue(value);

/** `total.lines.pct is 72.4, expected >= 80`, with a hint when the comparison could not work. */
const describeComparison = (n: Node, data: JSONValue): string => {
  const left = n.left as Expression;
  const right = n.right as Expression;
  const leftValue = tryValue(left, data);
  const rightValue = tryValue(right, data);
  const operator = OPERATORS[String(n.name)] ?? String(n.name);
  const expected =
    node(right).type === "Literal"
      ? formatValue(rightValue)
      : `${unparse(right)} (${describeSide(rightValue)})`;
  let text = `${unparse(left)} is ${describeSide(leftValue)}, expected ${operator} ${expected}`;
  const ordering = operator !== "==" && operator !== "!=";
  if (ordering && leftValue !== null && (!isNumber(leftValue) || !isNumber(rightValue))) {
    const leftIsCulprit = !isNumber(leftValue);
    const culprit = leftIsCulprit ? leftValue : rightValue;
    const culpritNode = node(leftIsCulprit ? left : right);
    const kind =
      typeof culprit === "string" ? "a string" : Array.isArray(culprit) ? "an array" : String(typeof culprit);
    // A literal is the user's own text, not the file's: blame the right one.
    text +=
      culpritNode.type === "Literal"
        ? ` (${operator} compares numbers only; ${unparse(culpritNode as unknown as Expression)} in the expression is ${kind}${typeof culprit === "string" && NUMBER_TEXT.exec(culprit)?.[0] === culprit ? `: write \`${culprit}\`` : ""})`
        : ` (${operator} compares numbers only; got ${kind}: use to_number(…) if the file stores numbers as text)`;
  }
  return text;
};

const describeResult = (expression: Expression, data: JSONValue): string => {
  const value = tryValue(expression, data);
  return `${unparse(expression)} is ${describeSide(value)}`;
};

/**
 * Why a falsy expression failed, as one phrase per failing comparison: the top-level comparison
 * shows its left-hand side's value; `&&` shows each failing side; `||` shows every side (all
 * failed); anything else shows what the expression gave.
 */
export const explainFailure = (expression: Expression, data: JSONValue): string[] => {
  const n = node(expression);
  switch (n.type) {
    case "Comparator":
      return [describeComparison(n, data)];
    case "AndExpression":
    case "OrExpression": {
      const reasons: string[] = [];
      for (const side of [n.left, n.right] as Expression[]) {
        const value = tryValue(side, data);
        if (value !== undefined && !isTruthy(value)) reasons.push(...explainFailure(side, data));
      }
      return reasons.length > 0 ? reasons : [describeResult(expression, data)];
    }
    case "NotExpression": {
      const child = n.child as Expression;
      if (node(child).type === "Comparator") {
        const c = node(child);
        return [
          `${unparse(c.left as Expression)} is ${describeSide(tryValue(c.left as Expression, data))}, expected not ${unparse(child)}`,
        ];
      }
      return [`${describeResult(child, data)}, expected it to be false, null or empty`];
    }
    default: {
      const value = tryValue(expression, data);
      return [
        `${unparse(expression)} is ${describeSide(value)}, expected a true value (anything but false, null, "", [] or {})`,
      ];
    }
  }
};

/** What a passing expression saw: the left-hand side of each comparison, or the result. */
export const describeObserved = (expression: Expression, data: JSONValue): string => {
  const n = node(expression);
  switch (n.type) {
    case "Comparator":
      return `${unparse(n.left as Expression)} is ${describeSide(tryValue(n.left as Expression, data))}`;
    case "AndExpression":
    case "OrExpression":
      return [n.left, n.right].map((side) => describeObserved(side as Expression, data)).join(", ");
    case "NotExpression":
      return describeObserved(n.child as Expression, data);
    default:
      return describeResult(expression, data);
  }
};
