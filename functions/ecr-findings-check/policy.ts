import { compareFindings, type Finding, SEVERITIES, type Severity, severityRank } from "./findings.js";
import type { Budgets, FailOn, IgnoreEntry } from "./params.js";

/** The vulnerability policy, as UserParameters give it. */
export interface Policy {
  failOnSeverity: FailOn;
  maxFindings?: Budgets | undefined;
  onlyFixable: boolean;
  onlyExploitable?: boolean | undefined;
  minScore?: number | undefined;
  minEpss?: number | undefined;
  /** Default true: findings from the base image count like any other. */
  countBaseImageFindings?: boolean | undefined;
  /** Budgets for findings the baseline image has too. */
  maxInherited?: Budgets | undefined;
  /** Set when findings are judged against a baseline: only new ones meet failOnSeverity and maxFindings. */
  baseline?: unknown;
  ignore: readonly IgnoreEntry[];
}

export interface BudgetBreach {
  severity: Severity;
  count: number;
  max: number;
}

export type SeverityCounts = Partial<Record<Severity, number>>;

/** The findings of the baseline image, as vulnerability id + package keys (see findingKeys). */
export type BaselineKeys = ReadonlySet<string>;

export interface PolicyResult {
  pass: boolean;
  /** Every finding the scan reported, by severity. */
  all: SeverityCounts;
  /** The findings that count against the policy (with a baseline: the new ones), by severity. */
  counted: SeverityCounts;
  /** Findings at or above failOnSeverity. */
  overThreshold: SeverityCounts;
  budgetBreaches: BudgetBreach[];
  /** The findings that break a limit, worst first (inherited ones over maxInherited last). */
  offending: Finding[];
  ignored: Array<{ finding: Finding; entry: IgnoreEntry }>;
  belowMinScore: Finding[];
  belowMinEpss: Finding[];
  withoutFix: Finding[];
  withoutExploit: Finding[];
  /** Left out because they come from the base image (countBaseImageFindings: false). */
  fromBaseImage: Finding[];
  /** Checked against minEpss without an EPSS score: they count. */
  epssUnknown: Finding[];
  /** Checked for onlyExploitable without exploit data (basic scans): they count. */
  exploitUnknown: Finding[];
  /** With a baseline: counted findings the baseline image has too, their counts and budget breaches. */
  inherited?: { findings: Finding[]; counts: SeverityCounts; budgetBreaches: BudgetBreach[] } | undefined;
  /** Expired exceptions that would have matched a finding here: they no longer apply. */
  expiredMatches: Array<{ entry: IgnoreEntry; findings: number }>;
  /** Exceptions (in force) that matched a finding. */
  usedEntries: Set<IgnoreEntry>;
}

/** An exception applies through the end of its `expires` day, UTC. */
export const isExpired = (entry: IgnoreEntry, now: Date): boolean => {
  if (!entry.expires) return false;
  const [year, month, day] = entry.expires.split("-").map(Number);
  return now.getTime() >= Date.UTC(year ?? 0, (month ?? 1) - 1, (day ?? 1) + 1);
};

/** Ids match case-insensitively; a package-scoped entry needs the finding to name that package. */
export const entryMatches = (entry: IgnoreEntry, finding: Finding): boolean =>
  entry.id.toLowerCase() === finding.id.toLowerCase() &&
  (entry.package === undefined ||
    finding.packages.some((p) => p.name.toLowerCase() === entry.package?.toLowerCase()));

const countBySeverity = (findings: readonly Finding[]): SeverityCounts => {
  const counts: SeverityCounts = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
};

/** Fix data exists only for enhanced findings; a finding without it always counts. */
const hasNoFix = (finding: Finding): boolean =>
  finding.source === "enhanced" && finding.fixAvailable === "NO";

/** "cve-2024-1\u0000openssl" per affected package: what "the same finding" means across images. */
export const findingKeys = (finding: Finding): string[] => {
  const id = finding.id.toLowerCase();
  return finding.packages.length
    ? finding.packages.map((p) => `${id}\u0000${p.name.toLowerCase()}`)
    : [`${id}\u0000`];
};

export const baselineKeys = (findings: readonly Finding[]): BaselineKeys =>
  new Set(findings.flatMap(findingKeys));

const breachesOf = (counts: SeverityCounts, budgets: Budgets | undefined): BudgetBreach[] => {
  const breaches: BudgetBreach[] = [];
  for (const severity of SEVERITIES) {
    const max = budgets?.[severity];
    const actual = counts[severity] ?? 0;
    if (max !== undefined && actual > max) breaches.push({ severity, count: actual, max });
  }
  return breaches;
};

/**
 * Why a finding (not excepted) does not count, or undefined when it counts. Missing data never
 * leaves a finding out: no score, no EPSS, no exploit or fix data all count (fail closed).
 */
const notCountedBecause = (
  finding: Finding,
  policy: Policy,
): "belowMinScore" | "belowMinEpss" | "withoutFix" | "withoutExploit" | "fromBaseImage" | undefined => {
  if (policy.minScore !== undefined && finding.score !== undefined && finding.score < policy.minScore)
    return "belowMinScore";
  if (policy.minEpss !== undefined && finding.epss !== undefined && finding.epss < policy.minEpss)
    return "belowMinEpss";
  if (policy.onlyFixable && hasNoFix(finding)) return "withoutFix";
  if (policy.onlyExploitable && finding.source === "enhanced" && finding.exploitAvailable === false)
    return "withoutExploit";
  if (policy.countBaseImageFindings === false && finding.fromBaseImage) return "fromBaseImage";
  return undefined;
};

/**
 * Applies the policy to one image's findings. Order: exceptions, then minScore, minEpss,
 * onlyFixable, onlyExploitable and the base image; what is left counts. With a baseline, the
 * counted findings the baseline has too are inherited: failOnSeverity and maxFindings apply to
 * the new ones, maxInherited to the inherited ones.
 */
export const evaluatePolicy = (
  findings: readonly Finding[],
  policy: Policy,
  now: Date,
  baseline?: BaselineKeys,
): PolicyResult => {
  const active = policy.ignore.filter((e) => !isExpired(e, now));
  const expired = policy.ignore.filter((e) => isExpired(e, now));
  const ignored: PolicyResult["ignored"] = [];
  const left = {
    belowMinScore: [] as Finding[],
    belowMinEpss: [] as Finding[],
    withoutFix: [] as Finding[],
    withoutExploit: [] as Finding[],
    fromBaseImage: [] as Finding[],
  };
  const counted: Finding[] = [];
  const inherited: Finding[] = [];
  const usedEntries = new Set<IgnoreEntry>();
  const expiredHits = new Map<IgnoreEntry, number>();

  for (const finding of findings) {
    const entry = active.find((e) => entryMatches(e, finding));
    if (entry) {
      ignored.push({ finding, entry });
      usedEntries.add(entry);
      continue;
    }
    for (const e of expired) {
      if (entryMatches(e, finding)) expiredHits.set(e, (expiredHits.get(e) ?? 0) + 1);
    }
    const reason = notCountedBecause(finding, policy);
    if (reason) left[reason].push(finding);
    else if (baseline && findingKeys(finding).every((k) => baseline.has(k))) inherited.push(finding);
    else counted.push(finding);
  }
  const checked = [...counted, ...inherited];

  const threshold = policy.failOnSeverity === "NONE" ? Infinity : severityRank(policy.failOnSeverity);
  const overThresholdFindings = counted.filter((f) => severityRank(f.severity) >= threshold);
  const countedCounts = countBySeverity(counted);
  const budgetBreaches = breachesOf(countedCounts, policy.maxFindings);
  const overBudget = new Set(budgetBreaches.map((b) => b.severity));
  const inheritedCounts = countBySeverity(inherited);
  const inheritedBreaches = breachesOf(inheritedCounts, policy.maxInherited);
  const inheritedOverBudget = new Set(inheritedBreaches.map((b) => b.severity));
  const offending = [
    ...counted
      .filter((f) => severityRank(f.severity) >= threshold || overBudget.has(f.severity))
      .sort(compareFindings),
    ...inherited.filter((f) => inheritedOverBudget.has(f.severity)).sort(compareFindings),
  ];

  return {
    pass: offending.length === 0,
    all: countBySeverity(findings),
    counted: countedCounts,
    overThreshold: countBySeverity(overThresholdFindings),
    budgetBreaches,
    offending,
    ignored,
    ...left,
    epssUnknown: policy.minEpss === undefined ? [] : checked.filter((f) => f.epss === undefined),
    exploitUnknown: policy.onlyExploitable
      ? checked.filter((f) => f.source !== "enhanced" || f.exploitAvailable === undefined)
      : [],
    inherited: baseline
      ? { findings: inherited, counts: inheritedCounts, budgetBreaches: inheritedBreaches }
      : undefined,
    expiredMatches: [...expiredHits].map(([entry, hits]) => ({ entry, findings: hits })),
    usedEntries,
  };
};

/** Days since the scan completed, when maxScanAgeDays is exceeded; undefined when fresh enough. */
export const scanAgeBreach = (
  completedAt: Date | undefined,
  maxScanAgeDays: number | undefined,
  now: Date,
): { ageDays: number | undefined } | undefined => {
  if (maxScanAgeDays === undefined) return undefined;
  if (!completedAt) return { ageDays: undefined };
  const ageDays = (now.getTime() - completedAt.getTime()) / 86_400_000;
  return ageDays > maxScanAgeDays ? { ageDays } : undefined;
};

/** "2 CRITICAL, 1 HIGH", worst first; "none" when empty. */
export const formatCounts = (counts: SeverityCounts): string => {
  const parts = SEVERITIES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(", ") : "none";
};

export const describeThreshold = (failOnSeverity: FailOn): string =>
  failOnSeverity === "NONE"
    ? "no severity threshold"
    : failOnSeverity === "UNDEFINED"
      ? "fail on any finding"
      : `fail on ${failOnSeverity} or above`;

/** "fail on CRITICAL or above; at most 5 HIGH; fixable findings only; score ≥ 7" */
export const describePolicy = (policy: Policy): string => {
  const parts = [describeThreshold(policy.failOnSeverity)];
  if (policy.baseline !== undefined) parts.push("new findings only");
  for (const severity of SEVERITIES) {
    const max = policy.maxFindings?.[severity];
    if (max !== undefined) parts.push(max === 0 ? `no ${severity}` : `at most ${max} ${severity}`);
  }
  if (policy.onlyFixable) parts.push("fixable findings only");
  if (policy.onlyExploitable) parts.push("exploitable findings only");
  if (policy.minScore !== undefined) parts.push(`score ≥ ${policy.minScore}`);
  if (policy.minEpss !== undefined) parts.push(`EPSS ≥ ${policy.minEpss}`);
  if (policy.countBaseImageFindings === false) parts.push("base-image findings not counted");
  for (const severity of SEVERITIES) {
    const max = policy.maxInherited?.[severity];
    if (max !== undefined) parts.push(`at most ${max} inherited ${severity}`);
  }
  return parts.join("; ");
};
