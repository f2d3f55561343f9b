import { describe, expect, it } from "vitest";
import { ALL_COMPILERS, compilersFor } from "../../../functions/artifact-check/compilers.js";

/** What UserParameters make the handler load before parsing them (RE2, JMESPath, or neither). */
describe("compilersFor", () => {
  const of = (value: unknown) => compilersFor(JSON.stringify(value));

  it("loads neither for plain paths read as JSON, YAML, XML", () => {
    expect(of({ checks: [{ file: "reports/junit.xml", format: "junit" }] })).toEqual({
      regex: false,
      expression: false,
    });
  });

  it("loads JMESPath for expect, RE2 for match and notMatch", () => {
    expect(of({ checks: [{ file: "a.json", expect: "ok" }] })).toEqual({ regex: false, expression: true });
    expect(of({ checks: [{ file: "a.txt", match: "x" }] })).toEqual({ regex: true, expression: false });
    expect(of({ checks: [{ file: "a.txt", notMatch: "x" }] })).toEqual({ regex: true, expression: false });
  });

  it.each(["reports/*.xml", "**/junit.xml", "a?.json", "[ab].json", "{a,b}.json"])(
    "loads RE2 for the pattern %s",
    (file) => {
      expect(of({ checks: [{ file, expect: "ok" }] })).toEqual({ regex: true, expression: true });
    },
  );

  it("adds up over the checks", () => {
    expect(
      of({
        checks: [
          { file: "a.json", expect: "ok" },
          { file: "b.txt", match: "x" },
        ],
      }),
    ).toEqual(ALL_COMPILERS);
  });

  it.each([
    ["not JSON", "{checks:"],
    ["no text", undefined],
    ["no list of checks", JSON.stringify({ checks: { file: "a" } })],
    ["a check that is not an object", JSON.stringify({ checks: ["a.json"] })],
  ])("loads both when the schema will have to say what is wrong: %s", (_, text) => {
    expect(compilersFor(text)).toEqual(ALL_COMPILERS);
  });

  it("loads RE2 when file is not text (the schema rejects it, whatever it is)", () => {
    expect(of({ checks: [{ file: 7, expect: "ok" }] }).regex).toBe(true);
  });
});
