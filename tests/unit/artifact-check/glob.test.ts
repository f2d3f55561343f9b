import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { ALL_COMPILERS, loadCompilers } from "../../../functions/artifact-check/compilers.js";
import { closestToGlob, compileGlob } from "../../../functions/artifact-check/glob.js";

// RE2 and JMESPath, which the artifact-check handler loads only when UserParameters use them.
await loadCompilers(ALL_COMPILERS);

const PATHS = [
  "junit.xml",
  "reports/junit.xml",
  "reports/api/junit-unit.xml",
  "reports/.hidden/junit.xml",
  "reports/api/coverage.xml",
  "reports/a/b/c/junit.xml",
  ".env",
  "dist/app.js",
  "dist/app.js.map",
  "dist/sub/app.js",
  "a,b/x.json",
  "a/x.json",
  "b/x.json",
  "c/x.json",
  "file[1].txt",
  "file1.txt",
  "fileX.txt",
  "name with spaces.txt",
  "报告/🚀 launch.json",
  "café/résumé.json",
];

const GLOBS = [
  "**",
  "*",
  "**/*",
  "*.xml",
  "**/*.xml",
  "reports/**/junit*.xml",
  "reports/*/junit*.xml",
  "reports/**",
  "**/junit.xml",
  "dist/*.js",
  "dist/**/*.js",
  "{a,b}/*.json",
  "{a,{b,c}}/x.json",
  "file[0-9].txt",
  "file?.txt",
  "*.{js,map}",
  "dist/app.js*",
  "**/.env",
  "报告/*.json",
  "café/*.json",
];

describe("compileGlob", () => {
  it.each(GLOBS)("matches what picomatch (dot: true) matches: %s", (glob) => {
    const ours = compileGlob(glob);
    const theirs = picomatch(glob, { dot: true });
    expect(ours.isGlob).toBe(true);
    expect(PATHS.filter(ours.matches)).toEqual(PATHS.filter((p) => theirs(p)));
  });

  it("negates a class with ! as shells do (picomatch matches file1.txt here)", () => {
    expect(PATHS.filter(compileGlob("file[!0-9].txt").matches)).toEqual(["fileX.txt"]);
  });

  it("sees no wildcard in a plain path, an escaped one, or braces without alternatives", () => {
    for (const path of [
      "reports/junit.xml",
      "file\\*.txt",
      "file\\[1\\].txt",
      "a{b}c.json",
      "x,y.json",
      "open[.txt",
    ]) {
      expect(compileGlob(path).isGlob, path).toBe(false);
    }
    expect(compileGlob("file\\*.txt").matches("file*.txt")).toBe(true);
    expect(compileGlob("file\\[1\\].txt").matches("file[1].txt")).toBe(true);
    expect(compileGlob("a{b}c.json").matches("a{b}c.json")).toBe(true);
    expect(compileGlob("open[.txt").matches("open[.txt")).toBe(true);
  });

  it("keeps * and ? within a path segment", () => {
    expect(compileGlob("reports/*.xml").matches("reports/api/junit.xml")).toBe(false);
    expect(compileGlob("reports/?.xml").matches("reports//.xml")).toBe(false);
    expect(compileGlob("reports/[!a].xml").matches("reports//.xml")).toBe(false);
  });

  it("answers at once for a pattern that makes a backtracking regex run for minutes", () => {
    const glob = compileGlob("**/*a*a*a*a*a*a*a*a*a*a*a*a*b");
    expect(glob.matches(`logs/${"a".repeat(10_000)}.txt`)).toBe(false);
    expect(glob.matches(`logs/${"a".repeat(10_000)}b`)).toBe(true);
  });

  it("throws on a class RE2 does not accept", () => {
    expect(() => compileGlob("file[z-a].txt")).toThrow(/invalid character class range/);
  });
});

describe("closestToGlob", () => {
  const ARTIFACT = [
    "NOTES.md",
    "README.md",
    "build/app.js",
    "reports/junit-unit.xml",
    "reports/coverage.json",
    "Test-Results/unit/TEST-api.xml",
    "test-results/summary.txt",
  ];

  it("lists only names close to the pattern, best first, not every file", () => {
    // Letter case first, then the right name in another folder, then the right folder, then the extension.
    expect(closestToGlob("test-results/**/*.xml", ARTIFACT)).toEqual([
      "Test-Results/unit/TEST-api.xml",
      "reports/junit-unit.xml",
      "test-results/summary.txt",
    ]);
    const surefire = closestToGlob("reports/**/TEST-*.xml", ARTIFACT);
    expect(surefire[0]).toBe("Test-Results/unit/TEST-api.xml");
    expect([...surefire.slice(1)].sort()).toEqual(["reports/coverage.json", "reports/junit-unit.xml"]);
  });

  it("lists nothing when nothing shares a name, folder or extension", () => {
    expect(closestToGlob("dist/**/*.whl", ARTIFACT)).toEqual([]);
  });

  it("keeps to the count", () => {
    const many = Array.from({ length: 20 }, (_, i) => `out/r${i}.xml`);
    expect(closestToGlob("reports/*.xml", many, 3)).toHaveLength(3);
  });
});
