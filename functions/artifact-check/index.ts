import type { Context } from "aws-lambda";
import { defineRule } from "../../shared/rule.js";
import { loadCompilersFor } from "./compilers.js";
import { evaluate } from "./evaluate.js";
import { load } from "./load.js";
import { paramsSchema } from "./params.js";

const rule = defineRule({ name: "artifact-check", params: paramsSchema, load, evaluate });

/** Reads files from the stage's input artifact and passes only if each check holds. */
export const handler = async (event: unknown, context: Context) => {
  // RE2 and JMESPath load here, only if the UserParameters use them. Should a load fail, parsing
  // them fails in the rule, which reports it: the job never hangs.
  await loadCompilersFor(event).catch(() => undefined);
  return rule(event, context);
};
