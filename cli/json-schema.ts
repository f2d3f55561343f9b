import * as z from "zod";
import { paramsSchemaOf, type RuleName } from "./rules.js";

/**
 * The JSON Schema (draft 2020-12) of what a user writes in a rule's UserParameters: zod's own
 * conversion of the rule's schema, read on the input side (defaults optional, before transforms).
 * What JSON Schema cannot say (a cron expression's fields, a time zone) stays a plain string.
 */
export const jsonSchemaOf = async (rule: RuleName): Promise<Record<string, unknown>> => {
  const schema = z.toJSONSchema(await paramsSchemaOf(rule), {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  });
  const { $schema, ...rest } = schema as Record<string, unknown>;
  return {
    $schema,
    title: `${rule} UserParameters`,
    ...rest,
  };
};
