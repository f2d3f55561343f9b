import type { z } from "zod";
import { acceptingMode } from "../shared/mode.js";
import type { RuleContext, Verdict } from "../shared/rule.js";
import { closestWords } from "../shared/suggest.js";
import { UsageError } from "./usage.js";

/** A rule as the Lambda runs it: the same schema, `load` and `evaluate` its handler is built from. */
export interface CliRule {
  name: RuleName;
  params: z.ZodType;
  /** What the rule loads before parsing UserParameters (its defineRule `prepare`), if anything. */
  prepare?(userParameters: string | undefined): Promise<void>;
  load(ctx: RuleContext<unknown>): Promise<unknown>;
  evaluate(input: unknown, params: unknown, now: Date): Verdict;
}

/**
 * Each rule's modules, imported only when a command needs them (the command line starts fast).
 * The export names are the ones each rule's index.ts passes to defineRule.
 */
const RULES = {
  "artifact-check": {
    params: async () => {
      // validate and schema parse with everything the schema may compile.
      const [p, c] = await Promise.all([
        import("../functions/artifact-check/params.js"),
        import("../functions/artifact-check/compilers.js"),
      ]);
      await c.loadCompilers(c.ALL_COMPILERS);
      return p.paramsSchema;
    },
    rule: async () => {
      const [p, l, e, c] = await Promise.all([
        import("../functions/artifact-check/params.js"),
        import("../functions/artifact-check/load.js"),
        import("../functions/artifact-check/evaluate.js"),
        import("../functions/artifact-check/compilers.js"),
      ]);
      return { params: p.paramsSchema, prepare: c.prepare, load: l.load, evaluate: e.evaluate };
    },
  },
  "ecr-findings-check": {
    params: async () => (await import("../functions/ecr-findings-check/params.js")).paramsSchema,
    rule: async () => {
      const [p, l, e] = await Promise.all([
        import("../functions/ecr-findings-check/params.js"),
        import("../functions/ecr-findings-check/load.js"),
        import("../functions/ecr-findings-check/evaluate.js"),
      ]);
      return { params: p.paramsSchema, load: l.load, evaluate: e.evaluate };
    },
  },
  "window-check": {
    params: async () => (await import("../functions/window-check/params.js")).params,
    rule: async () => {
      const [p, l, e] = await Promise.all([
        import("../functions/window-check/params.js"),
        import("../functions/window-check/load.js"),
        import("../functions/window-check/evaluate.js"),
      ]);
      return { params: p.params, load: l.load, evaluate: e.evaluate };
    },
  },
} as const;

export type RuleName = keyof typeof RULES;
export const RULE_NAMES = Object.keys(RULES) as RuleName[];

/** The rule named on the command line, or a usage error that lists the rules. */
export const ruleName = (argument: string | undefined): RuleName => {
  if (argument === undefined) throw new UsageError(`name a rule: ${RULE_NAMES.join(", ")}`);
  if (argument in RULES) return argument as RuleName;
  const hint = RULE_NAMES.find((name) => name.startsWith(argument)) ?? closestWords(argument, RULE_NAMES)[0];
  throw new UsageError(
    `unknown rule ${JSON.stringify(argument)}${hint ? `; did you mean ${hint}?` : ""} Rules: ${RULE_NAMES.join(", ")}`,
  );
};

/** The schema the Lambda parses with: the rule's own, accepting `mode` as defineRule makes it. */
export const paramsSchemaOf = async (name: RuleName): Promise<z.ZodType> =>
  acceptingMode(await RULES[name].params());

export const loadRule = async (name: RuleName): Promise<CliRule> => {
  const rule = await RULES[name].rule();
  return { name, ...rule, params: acceptingMode(rule.params) } as unknown as CliRule;
};
