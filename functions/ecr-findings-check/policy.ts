import { compareFindings, type Finding, SEVERITIES, type Severity, severityRank } from "./findings.js";
import type { Budgets, FailOn, IgnoreEntry } from "./params.js";

/** The vulnerability policy, as UserParameters give it. */
export interface Policy {
  failOnSeverity: FailOn;
  maxFindings?: Budgets | undefined;
  onlyFixable: boolean;
  minScore?: number | undefined;
  ignore: readonly IgnoreEntry[];
}

export interface BudgetBreach {
  severity: Severity;
  count: number;
  max: number;
}

export type SeverityCounts = Partial<Record<Severity, number>>;

export interface PolicyResult {
  pass: boolean;
  /** Every finding the scan reported, by severity. */
  all: SeverityCounts;
  /** The findings that count against the policy, by severity. */
  counted: SeverityCounts;
  /** Findings at or above failOnSeverity. */
  overThreshold: SeverityCounts;
  budgetBreaches: BudgetBreach[];
  /** The findings that break a limit, worst first. */
  offending: Finding[];
  ignored: Array<{ finding: Finding; entry: IgnoreEntry }>;
  belowMinScore: Finding[];
  withoutFix: Finding[];
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

/**
 * Applies the policy to one image's findings. Order: exceptions, then minScore, then onlyFixable;
 * what is left counts, against failOnSeverity and against the per-severity budgets.
 */
export const evaluatePolicy = (findings: readonly Finding[], policy: Policy, now: Date): PolicyResult => {
  const active = policy.ignore.filter((e) => !isExpired(e, now));
  const expired = policy.ignore.filter((e) => isExpired(e, now));
  const ignored: PolicyResult["ignored"] = [];
  const belowMinScore: Finding[] = [];
  const withoutFix: Finding[] = [];
  const counted: Finding[] = [];
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
    // An unknown score cannot be shown to be low: the finding counts.
    if (policy.minScore !== undefined && finding.score !== undefined && finding.score < policy.minScore) {
      belowMinScore.push(finding);
    } else if (policy.onlyFixable && hasNoFix(finding)) {
      withoutFix.push(finding);
    } else {
      counted.push(finding);
    }
  }

  const threshold = policy.failOnSeverity === "NONE" ? Infinity : severityRank(policy.failOnSeverity);
  const overThresholdFindings = counted.filter((f) => severityRank(f.severity) >= threshold);
  const countedCounts = countBySeverity(counted);
  const budgetBreaches: BudgetBreach[] = [];
  for (const severity of SEVERITIES) {
    const max = policy.maxFindings?.[severity];
    const actual = countedCounts[severity] ?? 0;
    if (max !== undefined && actual > max) budgetBreaches.push({ severity, count: actual, max });
  }
  const overBudget = new Set(budgetBreaches.map((b) => b.severity));
  const offending = counted
    .filter((f) => severityRank(f.severity) >= threshold || overBudget.has(f.severity))
    .sort(compareFindings);

  return {
    pass: offending.length === 0,
    all: countBySeverity(findings),
    counted: countedCounts,
    overThreshold: countBySeverity(overThresholdFindings),
    budgetBreaches,
    offending,
    ignored,
    belowMinScore,
    withoutFix,
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
  for (const severity of SEVERITIES) {
    const max = policy.maxFindings?.[severity];
    if (max !== undefined) parts.push(max === 0 ? `no ${severity}` : `at most ${max} ${severity}`);
  }
  if (policy.onlyFixable) parts.push("fixable findings only");
  if (policy.minScore !== undefined) parts.push(`score ≥ ${policy.minScore}`);
  return parts.join("; ");
};
