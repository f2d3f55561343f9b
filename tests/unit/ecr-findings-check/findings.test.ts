import { describe, expect, it } from "vitest";
import {
  compareFindings,
  describeFinding,
  fromBasicFinding,
  fromEnhancedFinding,
  normaliseSeverity,
} from "../../../functions/ecr-findings-check/findings.js";

describe("fromBasicFinding", () => {
  it("reads the id, severity, package and CVSS3 score from attributes", () => {
    const finding = fromBasicFinding({
      name: "CVE-2024-0001",
      severity: "CRITICAL",
      attributes: [
        { key: "package_name", value: "openssl" },
        { key: "package_version", value: "3.0.1" },
        { key: "CVSS3_SCORE", value: "9.8" },
        { key: "CVSS2_SCORE", value: "7.5" },
      ],
    });
    expect(finding).toEqual({
      id: "CVE-2024-0001",
      severity: "CRITICAL",
      packages: [{ name: "openssl", version: "3.0.1" }],
      score: 9.8,
      source: "basic",
    });
  });

  it("falls back to the CVSS2 score and has no fix data", () => {
    const finding = fromBasicFinding({
      name: "CVE-9999-9999",
      severity: "HIGH",
      attributes: [{ key: "CVSS2_SCORE", value: "7.5" }],
    });
    expect(finding.score).toBe(7.5);
    expect(finding.packages).toEqual([]);
    expect(finding.fixAvailable).toBeUndefined();
  });

  it("survives junk: missing fields, bad attributes, unknown severity", () => {
    const finding = fromBasicFinding({
      severity: "weird",
      attributes: [null, { key: 1 }, "x", { key: "CVSS3_SCORE", value: "n/a" }],
    });
    expect(finding).toMatchObject({
      id: "(unnamed finding)",
      severity: "UNDEFINED",
      packages: [],
      score: undefined,
    });
    expect(fromBasicFinding(null).id).toBe("(unnamed finding)");
  });
});

describe("fromEnhancedFinding", () => {
  const base = {
    severity: "HIGH",
    score: 7.5,
    fixAvailable: "YES",
    exploitAvailable: "YES",
    title: "CVE-2024-1111 - openssl",
    packageVulnerabilityDetails: {
      vulnerabilityId: "CVE-2024-1111",
      vulnerablePackages: [
        { name: "openssl", version: "3.0.1", fixedInVersion: "3.0.2" },
        { name: "libssl3", version: "3.0.1", fixedInVersion: "NotAvailable" },
      ],
    },
  };

  it("reads the vulnerability id, packages with fixed-in versions, score, fix and exploit", () => {
    expect(fromEnhancedFinding(base)).toEqual({
      id: "CVE-2024-1111",
      severity: "HIGH",
      packages: [
        { name: "openssl", version: "3.0.1", fixedInVersion: "3.0.2" },
        { name: "libssl3", version: "3.0.1", fixedInVersion: undefined },
      ],
      score: 7.5,
      fixAvailable: "YES",
      exploitAvailable: true,
      source: "enhanced",
    });
  });

  it("takes inspectorScore, then the CVSS score, when there is no score", () => {
    expect(fromEnhancedFinding({ ...base, score: undefined, inspectorScore: 6.1 }).score).toBe(6.1);
    expect(
      fromEnhancedFinding({ ...base, score: undefined, scoreDetails: { cvss: { score: 5.5 } } }).score,
    ).toBe(5.5);
    expect(
      fromEnhancedFinding({
        ...base,
        score: undefined,
        packageVulnerabilityDetails: {
          ...base.packageVulnerabilityDetails,
          cvss: [{ baseScore: 4 }, { baseScore: 8.1 }],
        },
      }).score,
    ).toBe(8.1);
  });

  it("maps UNTRIAGED to UNDEFINED and reads fixAvailable NO / PARTIAL", () => {
    expect(fromEnhancedFinding({ ...base, severity: "UNTRIAGED" }).severity).toBe("UNDEFINED");
    expect(fromEnhancedFinding({ ...base, fixAvailable: "NO" }).fixAvailable).toBe("NO");
    expect(fromEnhancedFinding({ ...base, fixAvailable: "PARTIAL" }).fixAvailable).toBe("PARTIAL");
  });

  it("reads Inspector's 0.0 on an unscored (UNTRIAGED/UNDEFINED) finding as no score", () => {
    const unscored = { ...base, score: 0, inspectorScore: 0, scoreDetails: { cvss: { score: 0 } } };
    expect(fromEnhancedFinding({ ...unscored, severity: "UNTRIAGED" }).score).toBeUndefined();
    expect(fromEnhancedFinding({ ...unscored, severity: "UNDEFINED" }).score).toBeUndefined();
    expect(fromEnhancedFinding({ ...unscored, severity: "UNTRIAGED", inspectorScore: 6.1 }).score).toBe(6.1);
    // On a scored severity a 0 is a real score.
    expect(fromEnhancedFinding({ ...unscored, severity: "LOW" }).score).toBe(0);
    const basic = fromBasicFinding({
      name: "CVE-0",
      severity: "UNDEFINED",
      attributes: [{ key: "CVSS3_SCORE", value: "0.0" }],
    });
    expect(basic.score).toBeUndefined();
  });

  it("infers a fix from a fixed-in version when fixAvailable is missing", () => {
    expect(fromEnhancedFinding({ ...base, fixAvailable: undefined }).fixAvailable).toBe("YES");
    const noFix = {
      ...base,
      fixAvailable: undefined,
      packageVulnerabilityDetails: {
        vulnerabilityId: "X",
        vulnerablePackages: [{ name: "a", fixedInVersion: "NotAvailable" }],
      },
    };
    expect(fromEnhancedFinding(noFix).fixAvailable).toBeUndefined();
  });

  it("uses the title when there is no vulnerability id, and survives junk", () => {
    expect(fromEnhancedFinding({ title: "Some issue", severity: "LOW" }).id).toBe("Some issue");
    expect(
      fromEnhancedFinding({ packageVulnerabilityDetails: { vulnerablePackages: [null, { version: "1" }] } }),
    ).toMatchObject({
      id: "(unnamed finding)",
      severity: "UNDEFINED",
      packages: [],
    });
  });
});

describe("normaliseSeverity", () => {
  it("is case-insensitive and maps unknowns to UNDEFINED", () => {
    expect(normaliseSeverity("critical")).toBe("CRITICAL");
    expect(normaliseSeverity(" Informational ")).toBe("INFORMATIONAL");
    expect(normaliseSeverity(undefined)).toBe("UNDEFINED");
    expect(normaliseSeverity("SEVERE")).toBe("UNDEFINED");
  });
});

describe("ordering and description", () => {
  it("sorts worst first: severity, then score, then id", () => {
    const f = (id: string, severity: string, score?: number) =>
      fromBasicFinding({
        name: id,
        severity,
        attributes: score ? [{ key: "CVSS3_SCORE", value: String(score) }] : [],
      });
    const sorted = [
      f("B", "HIGH", 7),
      f("A", "HIGH", 7),
      f("C", "CRITICAL"),
      f("D", "HIGH", 8.8),
      f("E", "HIGH"),
    ].sort(compareFindings);
    expect(sorted.map((x) => x.id)).toEqual(["C", "D", "A", "B", "E"]);
  });

  it("names package, version, fixed-in version, score, missing fix and exploit", () => {
    const finding = fromEnhancedFinding({
      severity: "CRITICAL",
      score: 9.8,
      fixAvailable: "PARTIAL",
      exploitAvailable: "YES",
      packageVulnerabilityDetails: {
        vulnerabilityId: "CVE-1",
        vulnerablePackages: [
          { name: "openssl", version: "3.0.1", fixedInVersion: "3.0.2" },
          { name: "libssl3", version: "3.0.1" },
        ],
      },
    });
    expect(describeFinding(finding)).toBe(
      "CRITICAL CVE-1 in openssl 3.0.1 (fixed in 3.0.2) and 1 more package, score 9.8, exploit available",
    );
    expect(describeFinding({ ...finding, fixAvailable: "NO", exploitAvailable: false, packages: [] })).toBe(
      "CRITICAL CVE-1, score 9.8, no fix yet, no known exploit",
    );
    expect(describeFinding({ ...finding, epss: 0.94512, fromBaseImage: true, packages: [] })).toBe(
      "CRITICAL CVE-1, score 9.8, EPSS 0.9451, exploit available, from the base image",
    );
  });
});
