import { jsonSchemaOf } from "../json-schema.js";
import { ruleName } from "../rules.js";
import { EXIT, UsageError } from "../usage.js";

/** `schema <rule>`: the rule's UserParameters as JSON Schema, on standard output. */
export const schema = async (args: readonly string[]): Promise<number> => {
  const [ruleArg, ...extra] = args;
  const rule = ruleName(ruleArg);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  process.stdout.write(`${JSON.stringify(await jsonSchemaOf(rule), null, 2)}\n`);
  return EXIT.passed;
};
