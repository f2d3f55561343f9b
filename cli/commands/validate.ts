import { RuleError } from "../../shared/errors.js";
import { MAX_USER_PARAMETERS_CHARS, parseUserParameters } from "../../shared/params.js";
import { readUserParameters } from "../params-input.js";
import { paramsSchemaOf, ruleName } from "../rules.js";
import { EXIT, UsageError } from "../usage.js";

/** `validate <rule> <params>`: every problem at once, as the Lambda would report them. */
export const validate = async (args: readonly string[]): Promise<number> => {
  const [ruleArg, paramsArg, ...extra] = args;
  const rule = ruleName(ruleArg);
  if (paramsArg === undefined)
    throw new UsageError("validate needs <params>: a JSON string, @file.json or -");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const [{ text, source }, schema] = await Promise.all([readUserParameters(paramsArg), paramsSchemaOf(rule)]);
  try {
    parseUserParameters(text, schema);
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    process.stdout.write(`${error.message}\n`);
    return EXIT.invalid;
  }
  process.stdout.write(
    `Valid ${rule} UserParameters (from ${source}; ${text.length} of ${MAX_USER_PARAMETERS_CHARS} characters).\n`,
  );
  return EXIT.passed;
};
