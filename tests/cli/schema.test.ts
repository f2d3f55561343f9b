import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonSchemaOf } from "../../cli/json-schema.js";
import { RULE_NAMES } from "../../cli/rules.js";
import { expectUsageError, runCli } from "./support.js";

describe("JSON Schemas of UserParameters", () => {
  it.each(RULE_NAMES)(
    "schemas/%s.schema.json is what the rule's zod schema gives (npm run schemas)",
    async (rule) => {
      const committed = JSON.parse(readFileSync(`schemas/${rule}.schema.json`, "utf8"));
      expect(committed, `schemas/${rule}.schema.json is stale: run npm run schemas`).toEqual(
        await jsonSchemaOf(rule),
      );
    },
  );

  it("codepipeline-gates schema prints the committed schema, draft 2020-12", async () => {
    const run = await runCli(["schema", "ecr-findings-check"]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed).toEqual(JSON.parse(readFileSync("schemas/ecr-findings-check.schema.json", "utf8")));
    expect(printed.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(printed.additionalProperties).toBe(false);
    expect(printed.properties.failOnSeverity.enum).toContain("CRITICAL");
  });

  it("needs a known rule", async () => {
    expectUsageError(
      await runCli(["schema", "window"]),
      /unknown rule "window"; did you mean window-check\?/,
    );
  });
});
