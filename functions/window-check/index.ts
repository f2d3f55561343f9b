import { defineRule } from "../../shared/index.js";
import { evaluate } from "./evaluate.js";
import { load } from "./load.js";
import { params } from "./params.js";

/** Passes only inside the allowed deployment windows, outside every deny window and while change calendars are OPEN. */
export const handler = defineRule({ name: "window-check", params, load, evaluate });
