import * as z from "zod";
import { parseUserParameters } from "./params.js";

/** `enforce` fails the stage on a failing decision; `warn` reports it as a success that says so. */
export const MODES = ["enforce", "warn"] as const;
export type Mode = (typeof MODES)[number];

const modeKey = { mode: z.enum(MODES).optional() };
const modeOnly = z.looseObject(modeKey);

type ZodDef = { type: string; in?: z.ZodType; out?: z.ZodType };
const defOf = (schema: z.ZodType): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

/**
 * The rule's UserParameters schema, also accepting `mode`: the rule's own object gets the key,
 * so its strictness, refinements and transform stay as they are, and an unknown-key message
 * lists `mode` among the allowed keys. A rule schema is a z.strictObject, optionally refined
 * or piped into a transform.
 */
export const acceptingMode = <S extends z.ZodType>(schema: S): z.ZodType<z.output<S>> => {
  const def = defOf(schema);
  if (def.type === "object") {
    return (schema as unknown as z.ZodObject).safeExtend(modeKey) as unknown as z.ZodType<z.output<S>>;
  }
  if (def.type === "pipe" && def.in && def.out) {
    return acceptingMode(def.in).pipe(def.out as never) as unknown as z.ZodType<z.output<S>>;
  }
  throw new Error(
    `a rule's UserParameters schema must be an object (or an object piped on); got ${def.type}`,
  );
};

/**
 * The mode UserParameters ask for; `enforce` when they do not say, or cannot be read (the rule's
 * own parse then reports why, as a ConfigurationError, which fails in either mode).
 */
export const modeOf = (userParameters: string | undefined): Mode => {
  try {
    return parseUserParameters(userParameters, modeOnly).mode ?? "enforce";
  } catch {
    return "enforce";
  }
};
