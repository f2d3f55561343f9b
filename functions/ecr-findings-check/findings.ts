/**
 * One typed Finding shape for basic (Clair-style) and enhanced (Inspector) scan findings,
 * built once at the boundary from SDK responses that are read defensively.
 */

/** Worst first. Inspector's UNTRIAGED and any severity we do not know count as UNDEFINED. */
export const SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse. */
export const severityRank = (severity: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(severity);

export type FixAvailable = "YES" | "NO" | "PARTIAL";

export interface AffectedPackage {
  name: string;
  version?: string | undefined;
  fixedInVersion?: string | undefined;
  /** Enhanced scanning: the digest of the image layer the package comes from. */
  sourceLayerHash?: string | undefined;
}

export interface Finding {
  /** The vulnerability id (CVE-…, GHSA-…), or the finding's name/title when there is none. */
  id: string;
  severity: Severity;
  packages: AffectedPackage[];
  /** CVSS score (basic) or Inspector score (enhanced), 0–10, when known. */
  score?: number | undefined;
  /** Enhanced scanning only; basic findings carry no fix data. */
  fixAvailable?: FixAvailable | undefined;
  exploitAvailable?: boolean | undefined;
  /** EPSS probability (0–1) from Amazon Inspector, when read. */
  epss?: number | undefined;
  /** True when every affected package comes from a layer of the configured base image. */
  fromBaseImage?: boolean | undefined;
  source: "basic" | "enhanced";
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

const scoreOf = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/**
 * Inspector writes score 0.0 for findings it has not scored (UNTRIAGED, shown as UNDEFINED): that
 * is "no score", not "harmless", so it must not fall under minScore. Used for every score source.
 */
const scoreFor = (severity: Severity, value: unknown): number | undefined => {
  const score = scoreOf(value);
  return severity === "UNDEFINED" && score === 0 ? undefined : score;
};

export const normaliseSeverity = (value: unknown): Severity => {
  const upper = typeof value === "string" ? value.trim().toUpperCase() : "";
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : "UNDEFINED";
};

/** Inspector writes "NotAvailable" when no fixed version exists. */
const fixedVersion = (value: unknown): string | undefined => {
  const version = text(value);
  return version && version.toLowerCase() !== "notavailable" ? version : undefined;
};

/** A basic-scan finding: {name, severity, attributes[{key, value}]}. */
export const fromBasicFinding = (raw: unknown): Finding => {
  const finding = isObject(raw) ? raw : {};
  const attributes = new Map<string, string>();
  if (Array.isArray(finding.attributes)) {
    for (const attribute of finding.attributes) {
      if (!isObject(attribute)) continue;
      const key = text(attribute.key);
      const value = text(attribute.value);
      if (key && value !== undefined) attributes.set(key, value);
    }
  }
  const packageName = attributes.get("package_name");
  const severity = normaliseSeverity(finding.severity);
  return {
    id: text(finding.name) ?? text(finding.uri) ?? "(unnamed finding)",
    severity,
    packages: packageName ? [{ name: packageName, version: attributes.get("package_version") }] : [],
    score:
      scoreFor(severity, attributes.get("CVSS3_SCORE")) ?? scoreFor(severity, attributes.get("CVSS2_SCORE")),
    source: "basic",
  };
};

const maxCvssScore = (severity: Severity, cvss: unknown): number | undefined => {
  if (!Array.isArray(cvss)) return undefined;
  const scores = cvss.map((c) => (isObject(c) ? scoreFor(severity, c.baseScore) : undefined));
  const known = scores.filter((s): s is number => s !== undefined);
  return known.length ? Math.max(...known) : undefined;
};

const fixOf = (value: unknown, packages: AffectedPackage[]): FixAvailable | undefined => {
  const upper = typeof value === "string" ? value.trim().toUpperCase() : "";
  if (upper === "YES" || upper === "NO" || upper === "PARTIAL") return upper;
  return packages.some((p) => p.fixedInVersion) ? "YES" : undefined;
};

/** An enhanced (Amazon Inspector) finding. */
export const fromEnhancedFinding = (raw: unknown): Finding => {
  const finding = isObject(raw) ? raw : {};
  const details = isObject(finding.packageVulnerabilityDetails) ? finding.packageVulnerabilityDetails : {};
  const packages: AffectedPackage[] = [];
  if (Array.isArray(details.vulnerablePackages)) {
    for (const pkg of details.vulnerablePackages) {
      if (!isObject(pkg)) continue;
      const name = text(pkg.name);
      if (!name) continue;
      packages.push({
        name,
        version: text(pkg.version),
        fixedInVersion: fixedVersion(pkg.fixedInVersion),
        sourceLayerHash: text(pkg.sourceLayerHash),
      });
    }
  }
  const scoreDetails = isObject(finding.scoreDetails) ? finding.scoreDetails : {};
  const cvss = isObject(scoreDetails.cvss) ? scoreDetails.cvss : {};
  const exploit = typeof finding.exploitAvailable === "string" ? finding.exploitAvailable.toUpperCase() : "";
  const severity = normaliseSeverity(finding.severity);
  return {
    id:
      text(details.vulnerabilityId) ?? text(finding.title) ?? text(finding.findingArn) ?? "(unnamed finding)",
    severity,
    packages,
    score:
      scoreFor(severity, finding.score) ??
      scoreFor(severity, finding.inspectorScore) ??
      scoreFor(severity, cvss.score) ??
      maxCvssScore(severity, details.cvss),
    fixAvailable: fixOf(finding.fixAvailable, packages),
    exploitAvailable: exploit === "YES" ? true : exploit === "NO" ? false : undefined,
    source: "enhanced",
  };
};

/** Worst first: severity, then score (unknown last), then id. */
export const compareFindings = (a: Finding, b: Finding): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  (b.score ?? -1) - (a.score ?? -1) ||
  a.id.localeCompare(b.id);

/** "CRITICAL CVE-2024-1 in openssl 3.0.1 (fixed in 3.0.2), score 9.8, EPSS 0.94, exploit available" */
export const describeFinding = (finding: Finding): string => {
  const [first, ...others] = finding.packages;
  let out = `${finding.severity} ${finding.id}`;
  if (first) {
    out += ` in ${first.name}${first.version ? ` ${first.version}` : ""}`;
    if (first.fixedInVersion) out += ` (fixed in ${first.fixedInVersion})`;
    if (others.length) out += ` and ${others.length} more package${others.length === 1 ? "" : "s"}`;
  }
  if (finding.score !== undefined) out += `, score ${finding.score}`;
  if (finding.epss !== undefined) out += `, EPSS ${formatEpss(finding.epss)}`;
  if (finding.source === "enhanced" && finding.fixAvailable === "NO") out += ", no fix yet";
  if (finding.exploitAvailable) out += ", exploit available";
  else if (finding.exploitAvailable === false) out += ", no known exploit";
  if (finding.fromBaseImage) out += ", from the base image";
  return out;
};

/** EPSS probabilities are small: up to 4 decimals, trailing zeros dropped ("0.0004", "0.94"). */
export const formatEpss = (epss: number): string => String(Number(epss.toFixed(4)));
