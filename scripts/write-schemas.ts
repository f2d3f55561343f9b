import { writeFileSync } from "node:fs";
import { jsonSchemaOf } from "../cli/json-schema.js";
import { RULE_NAMES } from "../cli/rules.js";

/** Writes schemas/<rule>.schema.json from the rules' zod schemas (a test fails when they are stale). */
for (const rule of RULE_NAMES) {
  const path = `schemas/${rule}.schema.json`;
  writeFileSync(path, `${JSON.stringify(await jsonSchemaOf(rule), null, 2)}\n`);
  console.log(`wrote ${path}`);
}
