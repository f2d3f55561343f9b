import { describe, expect, it } from "vitest";
import * as z from "zod";
import { RuleError } from "../../../shared/errors.js";
import { MAX_USER_PARAMETERS_CHARS, parseUserParameters } from "../../../shared/params.js";

const schema = z.strictObject({
  failOnSeverity: z.enum(["CRITICAL", "HIGH", "MEDIUM"]).default("CRITICAL"),
  maxFindings: z.strictObject({ HIGH: z.number().int().min(0) }).optional(),
  checks: z.array(z.strictObject({ file: z.string() })).optional(),
});

const configurationMessage = (raw: string | undefined): string => {
  try {
    parseUserParameters(raw, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).type).toBe("ConfigurationError");
    return (error as RuleError).message;
  }
  throw new Error("expected a ConfigurationError");
};

describe("parseUserParameters", () => {
  it("treats absent and blank UserParameters as {}", () => {
    expect(parseUserParameters(undefined, schema)).toEqual({ failOnSeverity: "CRITICAL" });
    expect(parseUserParameters("   ", schema)).toEqual({ failOnSeverity: "CRITICAL" });
  });

  it("parses a valid object", () => {
    expect(parseUserParameters('{"failOnSeverity":"HIGH","maxFindings":{"HIGH":3}}', schema)).toEqual({
      failOnSeverity: "HIGH",
      maxFindings: { HIGH: 3 },
    });
  });

  it("rejects text that is not JSON", () => {
    expect(configurationMessage("{failOnSeverity: HIGH}")).toMatch(/^UserParameters is not valid JSON/);
  });

  it.each([
    ["[1,2]", "an array"],
    ['"HIGH"', '"HIGH"'],
    ["42", "42"],
    ["null", "null"],
  ])("rejects %s, which is not an object", (raw, got) => {
    expect(configurationMessage(raw)).toBe(`UserParameters must be a JSON object; got ${got}.`);
  });

  it("rejects UserParameters over CodePipeline's 10,000 characters", () => {
    const raw = JSON.stringify({ failOnSeverity: "HIGH", pad: "x".repeat(MAX_USER_PARAMETERS_CHARS) });
    expect(configurationMessage(raw)).toContain(`allows at most ${MAX_USER_PARAMETERS_CHARS}`);
  });

  it("names the key, the allowed values and the value got", () => {
    expect(configurationMessage('{"failOnSeverity":"SEVERE"}')).toBe(
      'Invalid UserParameters:\nfailOnSeverity: expected one of CRITICAL, HIGH, MEDIUM; got "SEVERE"',
    );
  });

  it("names unknown keys and lists the allowed ones", () => {
    expect(configurationMessage('{"failOnSeverty":"HIGH"}')).toBe(
      'Invalid UserParameters:\nUserParameters: unknown key "failOnSeverty" (did you mean "failOnSeverity"?); allowed: failOnSeverity, maxFindings, checks',
    );
  });

  it("gives nested paths with indexes and lists every problem", () => {
    const message = configurationMessage(
      '{"maxFindings":{"HIGH":-1},"checks":[{"file":"a"},{"file":7,"x":1}]}',
    );
    const lines = message.split("\n").slice(1);
    expect(lines).toContain("maxFindings.HIGH: expected number to be >=0; got -1");
    expect(lines).toContain("checks[1].file: expected string; got 7");
    expect(lines).toContain('checks[1]: unknown key "x"; allowed: file');
    expect(lines).toHaveLength(3);
  });
});
