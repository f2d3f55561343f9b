import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { ALL_COMPILERS, loadCompilers } from "../../../functions/artifact-check/compilers.js";
import { paramsSchema as artifactParams } from "../../../functions/artifact-check/params.js";
import { paramsSchema as ecrParams } from "../../../functions/ecr-findings-check/params.js";
import { params as windowParams } from "../../../functions/window-check/params.js";
import { RuleError } from "../../../shared/errors.js";
import { acceptingMode, modeOf } from "../../../shared/mode.js";
import { parseUserParameters } from "../../../shared/params.js";

// The artifact check's schema compiles RE2 and JMESPath, which its `prepare` loads in the Lambda.
beforeAll(() => loadCompilers(ALL_COMPILERS));

const configurationMessage = (raw: string, schema: z.ZodType): string => {
  try {
    parseUserParameters(raw, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).type).toBe("ConfigurationError");
    return (error as RuleError).message;
  }
  throw new Error("expected a ConfigurationError");
};

/** Each rule's real schema with a valid configuration: the shapes the runtime must extend. */
const RULES = [
  { rule: "ecr-findings-check", schema: ecrParams, valid: { failOnSeverity: "HIGH" } },
  { rule: "artifact-check", schema: artifactParams, valid: { checks: [{ file: "a.txt", match: "ok" }] } },
  { rule: "window-check", schema: windowParams, valid: { deny: [{ days: "SAT-SUN", reason: "weekend" }] } },
];

describe("acceptingMode", () => {
  it.each(RULES)("$rule accepts mode next to its own keys and parses them as before", ({ schema, valid }) => {
    const extended = acceptingMode(schema);
    const withMode = parseUserParameters(JSON.stringify({ ...valid, mode: "warn" }), extended);
    const { mode: _, ...withoutMode } = withMode as Record<string, unknown>;
    // As JSON: window-check's parsed time zone holds an Intl formatter, a fresh one per parse.
    expect(JSON.stringify(withoutMode)).toBe(
      JSON.stringify(parseUserParameters(JSON.stringify(valid), schema)),
    );
  });

  it.each(RULES)("$rule lists mode among the allowed keys of an unknown-key message", ({ schema, valid }) => {
    const message = configurationMessage(JSON.stringify({ ...valid, mdoe: "warn" }), acceptingMode(schema));
    expect(message).toMatch(
      /^Invalid UserParameters:\nUserParameters: unknown key "mdoe" \(did you mean "mode"\?\); allowed: .*\bmode$/,
    );
  });

  it.each(RULES)("$rule names a bad mode with the values it takes", ({ schema, valid }) => {
    expect(configurationMessage(JSON.stringify({ ...valid, mode: "block" }), acceptingMode(schema))).toBe(
      'Invalid UserParameters:\nmode: expected one of enforce, warn; got "block"',
    );
  });

  it("keeps a refinement of the rule's object", () => {
    const schema = z.strictObject({ a: z.number().optional() }).refine((p) => p.a !== undefined, "give a");
    expect(configurationMessage('{"mode": "warn"}', acceptingMode(schema))).toBe(
      "Invalid UserParameters:\nUserParameters: give a",
    );
  });

  it("refuses a schema that is not an object", () => {
    expect(() => acceptingMode(z.array(z.string()))).toThrow(/must be an object/);
  });
});

describe("modeOf", () => {
  it.each([
    [undefined, "enforce"],
    ["", "enforce"],
    ['{"threshold": 3}', "enforce"],
    ['{"mode": "enforce"}', "enforce"],
    ['{"mode": "warn"}', "warn"],
    // The rule's own parse reports these as a ConfigurationError, which fails in either mode.
    ['{"mode": "loud"}', "enforce"],
    ["{not json", "enforce"],
  ])("reads %j as %s", (raw, mode) => {
    expect(modeOf(raw)).toBe(mode);
  });
});
