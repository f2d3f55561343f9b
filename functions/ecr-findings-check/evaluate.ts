import type { Verdict, VerdictDetails } from "../../shared/index.js";
import {
  fitLines,
  MAX_FAILURE_MESSAGE_CHARS,
  MAX_SUMMARY_CHARS,
  plural,
  truncateMessage,
} from "../../shared/index.js";
import { type BaseImage, markBaseImageFindings } from "./base-image.js";
import { compareFindings, describeFinding, type Finding, SEVERITIES, severityRank } from "./findings.js";
import type { ImageCheck, ScanOutcome } from "./image-check.js";
import { fullName, shortName } from "./image-ref.js";
import type { IgnoreEntry, Params } from "./params.js";
import {
  type BaselineKeys,
  baselineKeys,
  describePolicy,
  describeThreshold,
  evaluatePolicy,
  formatCounts,
  isExpired,
  type PolicyResult,
  type SeverityCounts,
  scanAgeBreach,
} from "./policy.js";

export interface LoadedImages {
  images: ImageCheck[];
  /** The baseline image's scan, when UserParameters has a baseline. */
  baseline?: ImageCheck | undefined;
  /** The base image's layers, when UserParameters has a baseImage. */
  baseImage?: BaseImage | undefined;
}

interface ImageReport {
  check: ImageCheck;
  pass: boolean;
  /** Short reason for a multi-image headline, e.g. "Critical findings detected". */
  reason: string;
  /** The verdict line for this image. */
  headline: string;
  details: string[];
  /** Offending findings, worst first. */
  findings: string[];
  result?: PolicyResult;
}

const MINUTE = 60_000;

const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

const age = (from: Date, now: Date): string => {
  const ms = Math.max(0, now.getTime() - from.getTime());
  if (ms < MINUTE) return "just now";
  if (ms < 60 * MINUTE) return `${plural(Math.round(ms / MINUTE), "minute")} ago`;
  if (ms < 48 * 60 * MINUTE) return `${plural(Math.round(ms / (60 * MINUTE)), "hour")} ago`;
  return `${plural(Math.floor(ms / (24 * 60 * MINUTE)), "day")} ago`;
};

const titleCase = (word: string): string => word.charAt(0) + word.slice(1).toLowerCase();

const entryName = (entry: IgnoreEntry): string =>
  entry.package ? `${entry.id} (${entry.package})` : entry.id;

const entryTerms = (entry: IgnoreEntry): string =>
  `${entry.reason}${entry.expires ? ` (until ${entry.expires})` : ""}`;

const HINTS: Record<string, string> = {
  FAILED: "ECR could not scan the image. Start a new scan (aws ecr start-image-scan) and re-run the stage.",
  UNSUPPORTED_IMAGE: "ECR cannot scan this image's operating system or format, so it cannot be cleared.",
  SCAN_ELIGIBILITY_EXPIRED:
    "Enhanced scanning stopped re-scanning this image (its scan duration ended). Push the image again or lengthen the registry's scan duration.",
  FINDINGS_UNAVAILABLE:
    "Findings are not available for this image (scanning may have been turned off or the image removed from Inspector).",
  LIMIT_EXCEEDED: "The scan quota for this image was exceeded. Wait and re-run the stage.",
  IMAGE_ARCHIVED: "The image is archived. Restore it to have it scanned.",
};

const scanLine = (scan: Extract<ScanOutcome, { kind: "scanned" }>, now: Date): string =>
  `Scan: ${scan.scanType} (${scan.status})${
    scan.completedAt ? `, completed ${isoSeconds(scan.completedAt)} (${age(scan.completedAt, now)})` : ""
  }`;

const notCountedLine = (result: PolicyResult, params: Params): string | undefined => {
  const parts: string[] = [];
  if (result.ignored.length) parts.push(`${result.ignored.length} ignored by exceptions`);
  if (result.belowMinScore.length)
    parts.push(`${result.belowMinScore.length} below score ${params.minScore}`);
  if (result.belowMinEpss.length) parts.push(`${result.belowMinEpss.length} below EPSS ${params.minEpss}`);
  if (result.withoutFix.length) parts.push(`${result.withoutFix.length} without a fix`);
  if (result.withoutExploit.length) parts.push(`${result.withoutExploit.length} without a known exploit`);
  if (result.fromBaseImage.length) parts.push(`${result.fromBaseImage.length} from the base image`);
  return parts.length ? `Not counted: ${parts.join(", ")}` : undefined;
};

/** Grouped by exception: "CVE-1 (openssl), 2 findings: accepted risk (until 2026-12-31)". */
const ignoredLines = (ignored: PolicyResult["ignored"]): string[] => {
  const byEntry = new Map<IgnoreEntry, number>();
  for (const { entry } of ignored) byEntry.set(entry, (byEntry.get(entry) ?? 0) + 1);
  return [...byEntry].map(
    ([entry, n]) => `- ${entryName(entry)}${n > 1 ? `, ${n} findings` : ""}: ${entryTerms(entry)}`,
  );
};

/** Where the data a filter needs is missing, the findings count: say so, and why. */
const missingDataLines = (
  result: PolicyResult,
  scan: Extract<ScanOutcome, { kind: "scanned" }>,
): string[] => {
  const lines: string[] = [];
  const epssUnknown = result.epssUnknown.length;
  if (epssUnknown) {
    const why =
      scan.epss && !scan.epss.read ? scan.epss.reason : "Amazon Inspector has no EPSS score for them";
    lines.push(`EPSS unavailable for ${plural(epssUnknown, "finding")} (${why}): they count`);
  }
  const exploitUnknown = result.exploitUnknown.length;
  if (exploitUnknown) {
    const why =
      scan.scanType === "basic" ? "basic scanning has no exploit data" : "the scan gave no exploit data";
    lines.push(`Exploit data unavailable for ${plural(exploitUnknown, "finding")} (${why}): they count`);
  }
  return lines;
};

const expiredLines = (result: PolicyResult): string[] =>
  result.expiredMatches.map(
    ({ entry, findings }) =>
      `Expired exception: ${entryName(entry)} ended ${entry.expires} and no longer applies (${plural(findings, "finding")} counted again; it said: ${entry.reason})`,
  );

/** What findings are compared with: the baseline's findings and the base image's layers. */
interface Context {
  baseline?: { keys: BaselineKeys; check: ImageCheck } | undefined;
  baseImage?: BaseImage | undefined;
}

/** "Base image: …: 3 of 5 findings from it; 2 without layer data (basic scanning) cannot be attributed and count" */
const baseImageLine = (baseImage: BaseImage, findings: readonly Finding[]): string => {
  const from = findings.filter((f) => f.fromBaseImage).length;
  const unknown = findings.filter((f) => f.fromBaseImage === undefined).length;
  return `Base image: ${fullName(baseImage.ref)}, ${plural(baseImage.layers.size, "layer")}: ${from} of ${plural(
    findings.length,
    "finding",
  )} from it${unknown ? `; ${unknown} without layer data (${findings.some((f) => f.source === "basic") ? "basic scanning has none" : "no source layer"}) cannot be attributed and count` : ""}`;
};

/** "1 new CRITICAL, 2 new HIGH" */
const formatNewCounts = (counts: SeverityCounts): string =>
  SEVERITIES.filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${counts[s]} new ${s}`)
    .join(", ");

const total = (counts: SeverityCounts): number => Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);

const INHERITED_SHOWN = 10;

const policyReport = (
  check: ImageCheck,
  scan: Extract<ScanOutcome, { kind: "scanned" }>,
  params: Params,
  now: Date,
  context: Context,
): ImageReport => {
  const { baseline, baseImage } = context;
  const name = shortName(check.ref);
  const findings = baseImage ? markBaseImageFindings(scan.findings, baseImage.layers) : scan.findings;
  const result = evaluatePolicy(findings, params, now, baseline?.keys);
  const inherited = result.inherited;
  const stale = scanAgeBreach(scan.completedAt, params.maxScanAgeDays, now);
  const problems: Array<{ reason: string; line: string }> = [];
  const inheritedTail = inherited ? ` (not in the baseline), ${total(inherited.counts)} inherited` : "";

  const worst = SEVERITIES.find((s) => (result.overThreshold[s] ?? 0) > 0);
  const budgets = result.budgetBreaches
    .map((b) => `${b.count}${inherited ? " new" : ""} ${b.severity} (max ${b.max})`)
    .join(", ");
  if (worst) {
    const label = `${titleCase(worst)} findings detected`;
    const counts = inherited ? formatNewCounts(result.overThreshold) : formatCounts(result.overThreshold);
    problems.push({
      reason: label,
      line:
        `${label}: ${name} has ${counts}${inheritedTail} (policy: ${describeThreshold(params.failOnSeverity)})` +
        (budgets ? `; over budget: ${budgets}` : ""),
    });
  } else if (budgets) {
    problems.push({
      reason: "finding budget exceeded",
      // Each count already says "new": a second bracket after "(max N)" would read as noise.
      line: `Finding budget exceeded: ${name} has ${budgets}${inherited ? `, ${total(inherited.counts)} inherited` : ""}`,
    });
  }
  if (inherited?.budgetBreaches.length) {
    problems.push({
      reason: "inherited finding budget exceeded",
      line: `Inherited finding budget exceeded: ${name} has ${inherited.budgetBreaches
        .map((b) => `${b.count} inherited ${b.severity} (max ${b.max})`)
        .join(", ")}`,
    });
  }
  if (stale) {
    problems.push({
      reason: "scan too old",
      line:
        stale.ageDays === undefined
          ? `Scan age unknown: ECR gave no completion time for ${name}'s scan (policy: at most ${params.maxScanAgeDays} days old)`
          : `Scan too old: ${name} was last scanned ${stale.ageDays.toFixed(1)} days ago (policy: at most ${params.maxScanAgeDays} days)`,
    });
  }

  const notCounted = notCountedLine(result, params);
  const counted = inherited
    ? `; new (not in the baseline): ${formatCounts(result.counted)}; inherited: ${formatCounts(inherited.counts)}`
    : notCounted
      ? `; counted: ${formatCounts(result.counted)}`
      : "";
  const details = [
    ...problems.slice(1).map((p) => p.line),
    `Image: ${fullName(check.ref)}, from ${check.origin}`,
    ...(baseline ? [`Baseline: ${fullName(baseline.check.ref)}, from ${baseline.check.origin}`] : []),
    ...(baseImage ? [baseImageLine(baseImage, findings)] : []),
    scanLine(scan, now),
    `Findings: ${formatCounts(result.all)}${counted}`,
    `Policy: ${describePolicy(params)}`,
  ];
  if (notCounted) details.push(notCounted);
  details.push(...missingDataLines(result, scan));
  const ignored = ignoredLines(result.ignored);
  if (ignored.length) details.push("Ignored:", ...ignored);
  details.push(...expiredLines(result));
  const inheritedOffending = new Set(result.offending.filter((f) => inherited?.findings.includes(f)));
  const listedInherited = [...(inherited?.findings ?? [])]
    .filter((f) => !inheritedOffending.has(f))
    .sort(compareFindings);
  if (listedInherited.length) {
    details.push(
      fitLines(
        `Inherited (in the baseline too${params.maxInherited ? "" : ", not held against this image"}):`,
        listedInherited.slice(0, INHERITED_SHOWN).map((f) => `- ${describeFinding(f)}`),
        2_000,
      ) +
        (listedInherited.length > INHERITED_SHOWN
          ? `\n…and ${listedInherited.length - INHERITED_SHOWN} more`
          : ""),
    );
  }

  const first = problems[0];
  const passed = inherited
    ? `Passed: ${name} has no new findings over policy (${describePolicy(params)}); ${total(inherited.counts)} inherited from the baseline`
    : `Passed: ${name} has no findings over policy (${describePolicy(params)})`;
  return {
    check,
    pass: !first,
    reason: first?.reason ?? "passed",
    headline: first?.line ?? passed,
    details,
    findings: result.offending.map(
      (f) => `- ${describeFinding(f)}${inheritedOffending.has(f) ? " (inherited)" : ""}`,
    ),
    result,
  };
};

const startScanCommand = (check: ImageCheck): string =>
  `aws ecr start-image-scan --repository-name ${check.ref.repository} --image-id ${
    check.ref.digest ? `imageDigest=${check.ref.digest}` : `imageTag=${check.ref.tag}`
  }${check.ref.registryId ? ` --registry-id ${check.ref.registryId}` : ""}${check.ref.region ? ` --region ${check.ref.region}` : ""}`;

const failureReport = (check: ImageCheck, params: Params, now: Date, context: Context = {}): ImageReport => {
  const name = shortName(check.ref);
  const imageLine = `Image: ${fullName(check.ref)}, from ${check.origin}`;
  const report = (reason: string, headline: string, details: string[]): ImageReport => ({
    check,
    pass: false,
    reason,
    headline,
    details: [imageLine, ...details],
    findings: [],
  });
  const { scan } = check;
  switch (scan.kind) {
    case "scanned":
      return policyReport(check, scan, params, now, context);
    case "unusable":
      return report(
        `scan ${scan.status}`,
        `Scan ${scan.status} for ${name}${scan.description ? `: ${scan.description}` : ""}`,
        [
          HINTS[scan.status] ?? `ECR reported scan status ${scan.status}, which gives no findings to check.`,
          "Without findings the check fails closed.",
        ],
      );
    case "still-scanning":
      return report(
        `scan still ${scan.status} after ${scan.waitedSeconds}s`,
        `Scan still ${scan.status} after ${scan.waitedSeconds}s for ${name}${scan.description ? `: ${scan.description}` : ""}`,
        [
          scan.stoppedForDeadline
            ? "Stopped waiting before the function's timeout. Raise the function's timeout (and waitForScanSeconds), or re-run the stage when the scan has finished."
            : `Raise waitForScanSeconds (now ${params.waitForScanSeconds}) or re-run the stage when the scan has finished.`,
        ],
      );
    case "not-covered": {
      const filter = `[{"scanFrequency":"${scan.scanType === "ENHANCED" ? "CONTINUOUS_SCAN" : "SCAN_ON_PUSH"}","repositoryFilters":[{"filter":"${check.ref.repository}","filterType":"WILDCARD"}]}]`;
      const putRules = `  aws ecr put-registry-scanning-configuration --scan-type ${scan.scanType} --rules '${filter}'${
        check.ref.region ? ` --region ${check.ref.region}` : ""
      }`;
      const keepRules = "(--rules replaces the registry's rules: keep the existing ones in the list)";
      return scan.scanType === "ENHANCED"
        ? report(
            "no scan will come",
            `No scan will come for ${name}: the registry uses enhanced scanning (Amazon Inspector) and no scanning rule's filter matches repository "${check.ref.repository}"${
              scan.status ? ` (ECR reports the scan ${scan.status})` : ""
            }`,
            [
              "Failed at once instead of waiting: enhanced scanning cannot be started by hand. Add a filter for the repository to the registry's scanning rules, e.g.:",
              putRules,
              keepRules,
            ],
          )
        : report(
            "no scan will come",
            `No scan will come for ${name}: the registry uses basic scanning, repository "${check.ref.repository}" does not scan on push, and no scan was started`,
            [
              "Failed at once instead of waiting. Start a scan and re-run the stage:",
              `  ${startScanCommand(check)}`,
              "or scan every push to the repository:",
              putRules,
              keepRules,
            ],
          );
    }
    case "no-scan":
      return report("no scan", `No scan found for ${name}: the image has never been scanned`, [
        "Turn on scan on push for the repository (aws ecr put-image-scanning-configuration --image-scanning-configuration scanOnPush=true) or enhanced scanning for the registry, or start a scan now:",
        `  ${startScanCommand(check)}`,
      ]);
    case "not-found":
      return report(
        scan.what === "repository" ? "repository not found" : "image not found",
        `${scan.what === "repository" ? "Repository" : "Image"} not found: ${name}: ${scan.detail}`,
        [],
      );
  }
};

/** Active exceptions that matched no finding in any image: worth removing. */
const staleEntries = (reports: ImageReport[], params: Params, now: Date): IgnoreEntry[] => {
  const used = new Set<IgnoreEntry>();
  for (const r of reports) {
    if (!r.result) return []; // an image without findings could still match them
    for (const e of r.result.usedEntries) used.add(e);
  }
  return params.ignore.filter((e) => !isExpired(e, now) && !used.has(e));
};

/** Expired exceptions that matched nothing: named once, so they get cleaned up. */
const unusedExpiredEntries = (reports: ImageReport[], params: Params, now: Date): IgnoreEntry[] => {
  const hit = new Set<IgnoreEntry>();
  for (const r of reports) for (const m of r.result?.expiredMatches ?? []) hit.add(m.entry);
  return params.ignore.filter((e) => isExpired(e, now) && !hit.has(e));
};

const housekeepingLines = (reports: ImageReport[], params: Params, now: Date): string[] => [
  ...staleEntries(reports, params, now).map(
    (e) => `Stale exception: ${entryName(e)} matches no finding; remove it from "ignore"`,
  ),
  ...unusedExpiredEntries(reports, params, now).map(
    (e) => `Expired exception: ${entryName(e)} ended ${e.expires} (it matches no finding; remove it)`,
  ),
];

const failureMessage = (reports: ImageReport[], params: Params, now: Date): string => {
  const failing = reports.filter((r) => !r.pass);
  const single = reports.length === 1;
  const headline = single
    ? (failing[0]?.headline ?? "")
    : `${failing.length} of ${reports.length} images failed the ECR findings check: ${failing
        .map((r) => `${shortName(r.check.ref)} (${r.reason})`)
        .join(", ")}`;
  const housekeeping = housekeepingLines(reports, params, now);
  const sections = failing.map((r) => ({
    head: [...(single ? [] : ["", r.headline]), ...r.details],
    findings: r.findings,
  }));
  const passed = reports
    .filter((r) => r.pass)
    .map((r) => `Passed: ${shortName(r.check.ref)} from ${r.check.origin}`);
  const fixed = [headline, ...sections.flatMap((s) => s.head), ...housekeeping, ...passed].join("\n").length;
  const withFindings = sections.filter((s) => s.findings.length).length;
  const share = Math.floor(
    (MAX_FAILURE_MESSAGE_CHARS - fixed - 20 * sections.length) / Math.max(1, withFindings),
  );
  const lines = [headline];
  for (const section of sections) {
    lines.push(...section.head);
    if (section.findings.length) {
      lines.push(fitLines("Offending findings, worst first:", section.findings, Math.max(80, share)));
    }
  }
  if (!single && passed.length) lines.push("", ...passed);
  lines.push(...housekeeping);
  return truncateMessage(lines.join("\n"), MAX_FAILURE_MESSAGE_CHARS);
};

const successSummary = (reports: ImageReport[], params: Params, now: Date): string => {
  const housekeeping = housekeepingLines(reports, params, now);
  if (reports.length === 1 && reports[0]) {
    const r = reports[0];
    return fitLines(r.headline, [...r.details, ...housekeeping], MAX_SUMMARY_CHARS);
  }
  const header = `Passed: ${plural(reports.length, "image")} with no findings over policy (${describePolicy(params)})`;
  const items = reports.map((r) => {
    const scan = r.check.scan;
    const when =
      scan.kind === "scanned" && scan.completedAt ? `, scanned ${isoSeconds(scan.completedAt)}` : "";
    const ignored = r.result?.ignored.length ? `; ${r.result.ignored.length} ignored` : "";
    const inherited = r.result?.inherited
      ? `; ${total(r.result.inherited.counts)} inherited from the baseline`
      : "";
    return `- ${fullName(r.check.ref)} from ${r.check.origin}${when}: ${formatCounts(r.result?.all ?? {})}${ignored}${inherited}`;
  });
  const ignored = ignoredLines(reports.flatMap((r) => r.result?.ignored ?? []));
  const expired = reports.flatMap((r) => (r.result ? expiredLines(r.result) : []));
  return fitLines(
    header,
    [...items, ...(ignored.length ? ["Ignored:", ...ignored] : []), ...expired, ...housekeeping],
    MAX_SUMMARY_CHARS,
  );
};

/** For the shared runtime's metrics and decision records: findings counted, and each image by digest. */
const verdictDetails = (reports: ImageReport[]): VerdictDetails => {
  const scanned = reports.flatMap((r) => (r.result ? [r.result] : []));
  return {
    figures: scanned.length ? { FindingsCounted: scanned.reduce((n, r) => n + total(r.counted), 0) } : {},
    images: reports.map(({ check: { ref } }) => fullName(ref.digest ? { ...ref, tag: undefined } : ref)),
  };
};

/** Pure: the verdict for every checked image. Any failing image fails the rule. */
export const evaluate = (input: LoadedImages, params: Params, now: Date): Verdict => {
  let baseline: Context["baseline"];
  if (input.baseline) {
    const { scan } = input.baseline;
    if (scan.kind !== "scanned") {
      // Never a silent fall-back to "no baseline": say why the baseline's findings are missing.
      const report = failureReport(input.baseline, params, now);
      return {
        pass: false,
        message: truncateMessage(
          [
            `Baseline unreadable: ${input.baseline.origin}: ${report.headline}`,
            "Without the baseline's findings the check cannot tell new findings from inherited ones.",
            ...report.details,
          ].join("\n"),
          MAX_FAILURE_MESSAGE_CHARS,
        ),
      };
    }
    baseline = { keys: baselineKeys(scan.findings), check: input.baseline };
  }
  const context: Context = { baseline, baseImage: input.baseImage };
  const reports = input.images.map((check) => failureReport(check, params, now, context));
  if (reports.length === 0) {
    return { pass: false, message: "No image to check: nothing was found to evaluate." };
  }
  // Worst problems first in multi-image messages: policy failures by worst severity, then the rest.
  const rank = (r: ImageReport) =>
    r.result ? Math.max(0, ...r.result.offending.map((f) => severityRank(f.severity))) : -1;
  const ordered = [...reports].sort((a, b) => Number(a.pass) - Number(b.pass) || rank(b) - rank(a));
  return ordered.every((r) => r.pass)
    ? { pass: true, summary: successSummary(reports, params, now), ...verdictDetails(reports) }
    : { pass: false, message: failureMessage(ordered, params, now), ...verdictDetails(reports) };
};
