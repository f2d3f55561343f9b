import { defineRule } from "../../shared/index.js";
import { prepare } from "./compilers.js";
import { evaluate } from "./evaluate.js";
import { load } from "./load.js";
import { paramsSchema } from "./params.js";

/** Reads files from the stage's input artifact and passes only if each check holds. */
export const handler = defineRule({ name: "artifact-check", params: paramsSchema, prepare, load, evaluate });
