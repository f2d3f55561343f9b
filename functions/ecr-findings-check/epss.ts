/**
 * EPSS scores for an image's enhanced findings, from Amazon Inspector: ECR's findings do not carry
 * them. Inspector's ListFindings, filtered to the image's digest and repository, every page.
 */
import { ListFindingsCommand, type ListFindingsCommandOutput } from "@aws-sdk/client-inspector2";
import { awsFailure, jobFailed } from "../../shared/index.js";
import { accessDenied } from "./access.js";
import { inspectorClient } from "./clients.js";
import type { Finding } from "./findings.js";
import { type ImageRef, shortName } from "./image-ref.js";

/** EPSS per vulnerability id (lower case): EPSS belongs to the CVE, not to the package. */
export type EpssScores = ReadonlyMap<string, number>;

const PAGE_SIZE = 100;

const scoreOf = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;

/** Reads every page of Inspector findings for the image and keeps each CVE's EPSS score. */
export const readEpssScores = async (
  ref: ImageRef & { digest: string; region: string },
  signal: AbortSignal,
): Promise<{ scores: EpssScores; pages: number }> => {
  const client = inspectorClient(ref.region);
  const filterCriteria = {
    ecrImageHash: [{ comparison: "EQUALS" as const, value: ref.digest }],
    ecrImageRepositoryName: [{ comparison: "EQUALS" as const, value: ref.repository }],
    ...(ref.registryId ? { awsAccountId: [{ comparison: "EQUALS" as const, value: ref.registryId }] } : {}),
  };
  const scores = new Map<string, number>();
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    let page: ListFindingsCommandOutput;
    try {
      page = await client.send(
        new ListFindingsCommand({
          filterCriteria,
          maxResults: PAGE_SIZE,
          ...(nextToken ? { nextToken } : {}),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw awsFailure(error, { "access-denied": () => accessDenied(error, ref, "inspector2:ListFindings") });
    }
    pages++;
    for (const finding of page.findings ?? []) {
      const id = finding.packageVulnerabilityDetails?.vulnerabilityId?.trim().toLowerCase();
      const score = scoreOf(finding.epss?.score);
      if (id && score !== undefined) scores.set(id, Math.max(score, scores.get(id) ?? 0));
    }
    nextToken = typeof page.nextToken === "string" && page.nextToken !== "" ? page.nextToken : undefined;
    if (nextToken && seenTokens.has(nextToken)) {
      throw jobFailed(
        `Amazon Inspector returned the same page token twice while listing findings for ${shortName(ref)}; the EPSS scores cannot be read completely.`,
      );
    }
    if (nextToken) seenTokens.add(nextToken);
  } while (nextToken);
  return { scores, pages };
};

/** The findings with their EPSS score where Inspector has one. */
export const withEpss = (findings: readonly Finding[], scores: EpssScores): Finding[] =>
  findings.map((f) => {
    const epss = scores.get(f.id.toLowerCase());
    return epss === undefined ? f : { ...f, epss };
  });
