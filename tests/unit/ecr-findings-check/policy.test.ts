import { describe, expect, it } from "vitest";
import {
  type Finding,
  fromEnhancedFinding,
  type Severity,
} from "../../../functions/ecr-findings-check/findings.js";
import {
  baselineKeys,
  describePolicy,
  evaluatePolicy,
  findingKeys,
  formatCounts,
  isExpired,
  type Policy,
  scanAgeBreach,
} from "../../../functions/ecr-findings-check/policy.js";

const NOW = new Date("2025-06-15T12:00:00Z");
const policy = (overrides: Partial<Policy> = {}): Policy => ({
  failOnSeverity: "CRITICAL",
  onlyFixable: false,
  ignore: [],
  ...overrides,
});
const finding = (id: string, severity: Severity, extra: Partial<Finding> = {}): Finding => ({
  id,
  severity,
  packages: [{ name: "openssl", version: "3.0.1" }],
  source: "basic",
  ...extra,
});

describe("failOnSeverity", () => {
  const findings = [
    finding("C", "CRITICAL"),
    finding("H", "HIGH"),
    finding("M", "MEDIUM"),
    finding("I", "INFORMATIONAL"),
    finding("U", "UNDEFINED"),
  ];

  it("fails on findings at or above the threshold, listing them worst first", () => {
    const result = evaluatePolicy(findings, policy({ failOnSeverity: "HIGH" }), NOW);
    expect(result.pass).toBe(false);
    expect(result.overThreshold).toEqual({ CRITICAL: 1, HIGH: 1 });
    expect(result.offending.map((f) => f.id)).toEqual(["C", "H"]);
  });

  it("passes when nothing reaches the threshold", () => {
    const result = evaluatePolicy(findings.slice(1), policy(), NOW);
    expect(result.pass).toBe(true);
    expect(result.offending).toEqual([]);
    expect(result.all).toEqual({ HIGH: 1, MEDIUM: 1, INFORMATIONAL: 1, UNDEFINED: 1 });
  });

  it("UNDEFINED fails on any finding; NONE never fails on severity", () => {
    expect(
      evaluatePolicy([finding("U", "UNDEFINED")], policy({ failOnSeverity: "UNDEFINED" }), NOW).pass,
    ).toBe(false);
    expect(evaluatePolicy(findings, policy({ failOnSeverity: "NONE" }), NOW).pass).toBe(true);
  });

  it("passes with no findings at all", () => {
    expect(evaluatePolicy([], policy({ failOnSeverity: "UNDEFINED" }), NOW)).toMatchObject({
      pass: true,
      all: {},
    });
  });
});

describe("maxFindings", () => {
  const highs = [
    finding("H1", "HIGH"),
    finding("H2", "HIGH"),
    finding("H3", "HIGH"),
    finding("M1", "MEDIUM"),
  ];

  it("fails when a severity is over its budget, naming count and budget", () => {
    const result = evaluatePolicy(
      highs,
      policy({ failOnSeverity: "NONE", maxFindings: { HIGH: 2, MEDIUM: 1 } }),
      NOW,
    );
    expect(result.pass).toBe(false);
    expect(result.budgetBreaches).toEqual([{ severity: "HIGH", count: 3, max: 2 }]);
    expect(result.offending.map((f) => f.id)).toEqual(["H1", "H2", "H3"]);
  });

  it("passes at exactly the budget; a budget of 0 allows none", () => {
    expect(evaluatePolicy(highs, policy({ maxFindings: { HIGH: 3 } }), NOW).pass).toBe(true);
    expect(evaluatePolicy(highs, policy({ maxFindings: { MEDIUM: 0 } }), NOW).budgetBreaches).toEqual([
      { severity: "MEDIUM", count: 1, max: 0 },
    ]);
  });

  it("counts budgets and the threshold together", () => {
    const result = evaluatePolicy(
      [...highs, finding("C", "CRITICAL")],
      policy({ maxFindings: { HIGH: 1 } }),
      NOW,
    );
    expect(result.overThreshold).toEqual({ CRITICAL: 1 });
    expect(result.budgetBreaches).toEqual([{ severity: "HIGH", count: 3, max: 1 }]);
    expect(result.offending.map((f) => f.id)).toEqual(["C", "H1", "H2", "H3"]);
  });
});

describe("onlyFixable", () => {
  const enhanced = (id: string, fix: Finding["fixAvailable"]) =>
    finding(id, "CRITICAL", { source: "enhanced", fixAvailable: fix });

  it("counts only findings with a fix (YES or PARTIAL)", () => {
    const result = evaluatePolicy(
      [enhanced("yes", "YES"), enhanced("partial", "PARTIAL"), enhanced("no", "NO")],
      policy({ onlyFixable: true }),
      NOW,
    );
    expect(result.offending.map((f) => f.id)).toEqual(["partial", "yes"]);
    expect(result.withoutFix.map((f) => f.id)).toEqual(["no"]);
  });

  it("still counts basic findings (no fix data) and enhanced findings without fix data", () => {
    const result = evaluatePolicy(
      [finding("basic", "CRITICAL"), enhanced("unknown", undefined)],
      policy({ onlyFixable: true }),
      NOW,
    );
    expect(result.offending.map((f) => f.id)).toEqual(["basic", "unknown"]);
  });

  it("does nothing when off", () => {
    expect(evaluatePolicy([enhanced("no", "NO")], policy(), NOW).pass).toBe(false);
  });

  it("trusts fix data only from enhanced findings: a basic finding saying NO still counts", () => {
    const result = evaluatePolicy(
      [finding("basic", "CRITICAL", { fixAvailable: "NO" })],
      policy({ onlyFixable: true }),
      NOW,
    );
    expect(result.withoutFix).toEqual([]);
    expect(result.offending.map((f) => f.id)).toEqual(["basic"]);
  });
});

describe("minScore", () => {
  it("ignores findings scored below it, counts those at or above it and those without a score", () => {
    const result = evaluatePolicy(
      [
        finding("low", "CRITICAL", { score: 6.9 }),
        finding("edge", "CRITICAL", { score: 7 }),
        finding("none", "CRITICAL"),
      ],
      policy({ minScore: 7 }),
      NOW,
    );
    expect(result.belowMinScore.map((f) => f.id)).toEqual(["low"]);
    expect(result.offending.map((f) => f.id)).toEqual(["edge", "none"]);
  });
});

describe("minScore on unscored findings", () => {
  it("counts an UNTRIAGED finding Inspector scored 0.0: the gate does not fail open", () => {
    const untriaged = fromEnhancedFinding({
      severity: "UNTRIAGED",
      score: 0,
      packageVulnerabilityDetails: { vulnerabilityId: "CVE-2025-0001" },
    });
    const result = evaluatePolicy([untriaged], policy({ failOnSeverity: "UNDEFINED", minScore: 4 }), NOW);
    expect(result.belowMinScore).toEqual([]);
    expect(result.offending.map((f) => f.id)).toEqual(["CVE-2025-0001"]);
  });
});

describe("ignore", () => {
  it("ignores a finding by id (case-insensitive), recording the exception used", () => {
    const entry = { id: "cve-2024-1", reason: "not reachable" };
    const result = evaluatePolicy([finding("CVE-2024-1", "CRITICAL")], policy({ ignore: [entry] }), NOW);
    expect(result.pass).toBe(true);
    expect(result.ignored).toEqual([{ finding: expect.objectContaining({ id: "CVE-2024-1" }), entry }]);
    expect(result.usedEntries.has(entry)).toBe(true);
  });

  it("scopes an exception to a package when it names one", () => {
    const entry = { id: "CVE-1", package: "OpenSSL", reason: "r" };
    const result = evaluatePolicy(
      [finding("CVE-1", "CRITICAL"), finding("CVE-1", "CRITICAL", { packages: [{ name: "zlib" }] })],
      policy({ ignore: [entry] }),
      NOW,
    );
    expect(result.ignored).toHaveLength(1);
    expect(result.offending.map((f) => f.packages[0]?.name)).toEqual(["zlib"]);
  });

  it("matches a package-scoped exception when any of the finding's packages is that package", () => {
    const entry = { id: "CVE-1", package: "zlib", reason: "r" };
    const twoPackages = finding("CVE-1", "CRITICAL", { packages: [{ name: "openssl" }, { name: "ZLIB" }] });
    const result = evaluatePolicy([twoPackages], policy({ ignore: [entry] }), NOW);
    expect(result.pass).toBe(true);
    expect(result.ignored).toEqual([{ finding: twoPackages, entry }]);
  });

  it("applies through the end of its expires day (UTC), then stops and says so", () => {
    const entry = { id: "CVE-1", reason: "waiting for vendor", expires: "2025-06-15" };
    const onTheDay = evaluatePolicy(
      [finding("CVE-1", "CRITICAL")],
      policy({ ignore: [entry] }),
      new Date("2025-06-15T23:59:59.999Z"),
    );
    expect(onTheDay.pass).toBe(true);
    const dayAfter = evaluatePolicy(
      [finding("CVE-1", "CRITICAL")],
      policy({ ignore: [entry] }),
      new Date("2025-06-16T00:00:00Z"),
    );
    expect(dayAfter.pass).toBe(false);
    expect(dayAfter.expiredMatches).toEqual([{ entry, findings: 1 }]);
    expect(dayAfter.usedEntries.size).toBe(0);
  });

  it("ignores before minScore and onlyFixable, so the reason shown is the exception", () => {
    const result = evaluatePolicy(
      [finding("CVE-1", "CRITICAL", { score: 1, source: "enhanced", fixAvailable: "NO" })],
      policy({ ignore: [{ id: "CVE-1", reason: "r" }], minScore: 5, onlyFixable: true }),
      NOW,
    );
    expect(result.ignored).toHaveLength(1);
    expect(result.belowMinScore).toEqual([]);
    expect(result.withoutFix).toEqual([]);
  });
});

describe("isExpired", () => {
  it("never expires without a date", () => {
    expect(isExpired({ id: "x", reason: "r" }, new Date("2999-01-01"))).toBe(false);
    expect(isExpired({ id: "x", reason: "r", expires: "2025-06-14" }, NOW)).toBe(true);
    expect(isExpired({ id: "x", reason: "r", expires: "2025-06-15" }, NOW)).toBe(false);
  });
});

describe("scanAgeBreach", () => {
  it("flags a scan older than maxScanAgeDays, and an unknown scan time", () => {
    expect(scanAgeBreach(new Date("2025-06-05T12:00:00Z"), 7, NOW)).toEqual({ ageDays: 10 });
    expect(scanAgeBreach(new Date("2025-06-08T12:00:00Z"), 7, NOW)).toBeUndefined();
    expect(scanAgeBreach(undefined, 7, NOW)).toEqual({ ageDays: undefined });
    expect(scanAgeBreach(undefined, undefined, NOW)).toBeUndefined();
  });
});

describe("formatting", () => {
  it("counts worst first, and describes the policy", () => {
    expect(formatCounts({ LOW: 2, CRITICAL: 1 })).toBe("1 CRITICAL, 2 LOW");
    expect(formatCounts({})).toBe("none");
    expect(
      describePolicy(
        policy({ failOnSeverity: "HIGH", maxFindings: { MEDIUM: 5 }, onlyFixable: true, minScore: 7 }),
      ),
    ).toBe("fail on HIGH or above; at most 5 MEDIUM; fixable findings only; score ≥ 7");
    expect(describePolicy(policy({ failOnSeverity: "NONE", maxFindings: { HIGH: 0 } }))).toBe(
      "no severity threshold; no HIGH",
    );
    expect(describePolicy(policy({ failOnSeverity: "UNDEFINED" }))).toBe("fail on any finding");
  });
});

describe("onlyExploitable", () => {
  const enhanced = (id: string, exploitAvailable: boolean | undefined) =>
    finding(id, "CRITICAL", { source: "enhanced", exploitAvailable });

  it("leaves out enhanced findings with no known exploit; counts those with one, or without the data", () => {
    const result = evaluatePolicy(
      [
        enhanced("yes", true),
        enhanced("no", false),
        enhanced("unknown", undefined),
        finding("basic", "CRITICAL"),
      ],
      policy({ onlyExploitable: true }),
      NOW,
    );
    expect(result.withoutExploit.map((f) => f.id)).toEqual(["no"]);
    expect(result.offending.map((f) => f.id).sort()).toEqual(["basic", "unknown", "yes"]);
    expect(result.exploitUnknown.map((f) => f.id).sort()).toEqual(["basic", "unknown"]);
  });

  it("trusts exploit data only from enhanced findings: a basic finding saying none still counts", () => {
    const result = evaluatePolicy(
      [finding("basic", "CRITICAL", { exploitAvailable: false })],
      policy({ onlyExploitable: true }),
      NOW,
    );
    expect(result.withoutExploit).toEqual([]);
    expect(result.offending.map((f) => f.id)).toEqual(["basic"]);
    expect(result.exploitUnknown.map((f) => f.id)).toEqual(["basic"]);
  });

  it("does nothing when off", () => {
    const result = evaluatePolicy([enhanced("no", false)], policy(), NOW);
    expect(result.pass).toBe(false);
    expect(result.exploitUnknown).toEqual([]);
  });
});

describe("minEpss", () => {
  it("leaves out findings with an EPSS below it; counts those at or above it and those without EPSS", () => {
    const result = evaluatePolicy(
      [
        finding("low", "CRITICAL", { epss: 0.0004 }),
        finding("edge", "CRITICAL", { epss: 0.1 }),
        finding("none", "CRITICAL"),
      ],
      policy({ minEpss: 0.1 }),
      NOW,
    );
    expect(result.belowMinEpss.map((f) => f.id)).toEqual(["low"]);
    expect(result.offending.map((f) => f.id)).toEqual(["edge", "none"]);
    expect(result.epssUnknown.map((f) => f.id)).toEqual(["none"]);
  });

  it("is described in the policy line", () => {
    expect(describePolicy(policy({ minEpss: 0.1, onlyExploitable: true }))).toBe(
      "fail on CRITICAL or above; exploitable findings only; EPSS ≥ 0.1",
    );
  });
});

describe("baseline", () => {
  const noPackage = (id: string) => finding(id, "CRITICAL", { packages: [] });
  const inBaseline = [
    finding("CVE-1", "CRITICAL"),
    finding("CVE-2", "CRITICAL", { packages: [{ name: "zlib" }, { name: "OpenSSL" }] }),
    noPackage("CVE-3"),
  ];
  const withBaseline = (findings: Finding[], overrides: Partial<Policy> = {}) =>
    evaluatePolicy(findings, policy({ baseline: {}, ...overrides }), NOW, baselineKeys(inBaseline));

  it("keys a finding by lower-case id and each package, or by id alone without packages", () => {
    expect(findingKeys(inBaseline[1] as Finding)).toEqual(["cve-2\u0000zlib", "cve-2\u0000openssl"]);
    expect(findingKeys(noPackage("CVE-3"))).toEqual(["cve-3\u0000"]);
  });

  it("inherits a finding only when the baseline has it in every one of its packages", () => {
    const same = finding("cve-2", "CRITICAL", { packages: [{ name: "openssl" }, { name: "zlib" }] });
    const onePackageNew = finding("CVE-1", "CRITICAL", { packages: [{ name: "openssl" }, { name: "curl" }] });
    const result = withBaseline([same, onePackageNew]);
    expect(result.inherited?.findings).toEqual([same]);
    expect(result.counted).toEqual({ CRITICAL: 1 });
    expect(result.offending).toEqual([onePackageNew]);
  });

  it("matches a finding without packages by id alone: inherited when the baseline has it, new otherwise", () => {
    const result = withBaseline([noPackage("CVE-3"), noPackage("CVE-4"), noPackage("CVE-1")]);
    expect(result.inherited?.findings.map((f) => f.id)).toEqual(["CVE-3"]);
    expect(result.offending.map((f) => f.id)).toEqual(["CVE-1", "CVE-4"]);
    expect(result.pass).toBe(false);
  });

  it("holds inherited findings to maxInherited only", () => {
    const result = withBaseline(inBaseline, { maxInherited: { CRITICAL: 2 } });
    expect(result.inherited).toEqual({
      findings: inBaseline,
      counts: { CRITICAL: 3 },
      budgetBreaches: [{ severity: "CRITICAL", count: 3, max: 2 }],
    });
    expect(result.overThreshold).toEqual({});
    expect(result.offending.map((f) => f.id)).toEqual(["CVE-1", "CVE-2", "CVE-3"]);
  });
});
