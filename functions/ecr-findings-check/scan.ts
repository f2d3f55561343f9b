import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@aws-lambda-powertools/logger";
import {
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsCommandOutput,
  DescribeImagesCommand,
  type ECRClient,
} from "@aws-sdk/client-ecr";
import { awsFailure, awsRegion, jobFailed, sdkErrorName } from "../../shared/index.js";
import { accessDenied, whereIs } from "./access.js";
import { ecrClient } from "./clients.js";
import { type Coverage, readCoverage } from "./coverage.js";
import { readEpssScores, withEpss } from "./epss.js";
import { type Finding, fromBasicFinding, fromEnhancedFinding } from "./findings.js";
import type { ImageCheck, ScanOutcome } from "./image-check.js";
import { type ImageRef, type ImageTarget, shortName } from "./image-ref.js";

export interface ScanReadOptions {
  logger?: Pick<Logger, "info"> | undefined;
  signal: AbortSignal;
  /** Milliseconds before the deadline guard fires. */
  remainingMs: () => number;
  waitForScanSeconds: number;
  step: (description: string) => void;
  /** Poll delays: the first, doubling up to the max. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

const FIRST_POLL_DELAY_MS = 2_000;
const MAX_POLL_DELAY_MS = 15_000;
/** Time kept after the wait for reading the findings' pages and reporting. */
export const WAIT_RESERVE_MS = 5_000;
const PAGE_SIZE = 1000;

const WAITING_STATUSES = new Set(["PENDING", "IN_PROGRESS"]);
/** Our name for ScanNotFoundException while a scan is expected: not an ECR status. */
const NOT_STARTED = "not started";
const FINDINGS_STATUSES = new Set(["COMPLETE", "ACTIVE"]);

const toDate = (value: unknown): Date | undefined => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "number") return new Date(value < 1e12 ? value * 1000 : value);
  if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return new Date(value);
  return undefined;
};

/** Maps the ECR errors that mean "not there" or "not allowed" for one image; rethrows the rest. */
const notThere = (error: unknown, ref: ImageRef, action: string): ScanOutcome => {
  const name = sdkErrorName(error);
  const where = whereIs(ref);
  if (name === "RepositoryNotFoundException") {
    return { kind: "not-found", what: "repository", detail: `no repository "${ref.repository}" in ${where}` };
  }
  if (name === "ImageNotFoundException") {
    const id = ref.digest ? `digest ${ref.digest}` : `tag "${ref.tag}"`;
    return {
      kind: "not-found",
      what: "image",
      detail: `repository "${ref.repository}" (${where}) has no image with ${id}`,
    };
  }
  if (name === "ScanNotFoundException") return { kind: "no-scan" };
  throw awsFailure(error, { "access-denied": () => accessDenied(error, ref, `ecr:${action}`) });
};

/** Tags move, digests don't: a tag is resolved to its digest once, and the digest is what gets checked. */
export const resolveDigest = async (
  client: ECRClient,
  ref: ImageRef,
  signal: AbortSignal,
): Promise<{ ref: ImageRef } | { outcome: ScanOutcome }> => {
  if (ref.digest) return { ref };
  try {
    const response = await client.send(
      new DescribeImagesCommand({
        repositoryName: ref.repository,
        imageIds: [{ imageTag: ref.tag ?? "latest" }],
        ...(ref.registryId ? { registryId: ref.registryId } : {}),
      }),
      { abortSignal: signal },
    );
    const detail = response.imageDetails?.[0];
    const digest = typeof detail?.imageDigest === "string" ? detail.imageDigest : undefined;
    if (!digest) {
      throw jobFailed(
        `ECR described ${shortName(ref)} without an image digest; cannot pin the image to check.`,
      );
    }
    return { ref: { ...ref, digest, registryId: ref.registryId ?? detail?.registryId } };
  } catch (error) {
    return { outcome: notThere(error, ref, "DescribeImages") };
  }
};

/** The findings of a COMPLETE/ACTIVE scan, every page of them. */
const readAllPages = async (
  client: ECRClient,
  request: { repositoryName: string; imageId: { imageDigest: string }; registryId?: string },
  first: DescribeImageScanFindingsCommandOutput,
  signal: AbortSignal,
): Promise<{ findings: Finding[]; pages: number; enhanced: boolean }> => {
  const findings: Finding[] = [];
  const seenTokens = new Set<string>();
  let enhanced = false;
  let page = first;
  let pages = 1;
  for (;;) {
    const scan = page.imageScanFindings;
    // Enhanced pages hold at most 100 findings whatever maxResults says: only nextToken tells the end.
    for (const raw of Array.isArray(scan?.findings) ? scan.findings : [])
      findings.push(fromBasicFinding(raw));
    const enhancedPage = Array.isArray(scan?.enhancedFindings) ? scan.enhancedFindings : [];
    if (enhancedPage.length) enhanced = true;
    for (const raw of enhancedPage) findings.push(fromEnhancedFinding(raw));
    const token = typeof page.nextToken === "string" && page.nextToken !== "" ? page.nextToken : undefined;
    if (!token) return { findings, pages, enhanced };
    if (seenTokens.has(token)) {
      throw jobFailed(
        `ECR returned the same page token twice while listing findings for ${request.repositoryName}@${request.imageId.imageDigest}; the findings cannot be read completely.`,
      );
    }
    seenTokens.add(token);
    page = await client.send(
      new DescribeImageScanFindingsCommand({ ...request, maxResults: PAGE_SIZE, nextToken: token }),
      { abortSignal: signal },
    );
    pages++;
  }
};

/**
 * Reads the image's scan: waits with backoff while it is PENDING / IN_PROGRESS (bounded by
 * waitForScanSeconds and by the Lambda's remaining time), then reads every page of findings.
 * Not the SDK's ImageScanComplete waiter: it never succeeds for enhanced scans (status ACTIVE).
 */
export const readScan = async (
  client: ECRClient,
  ref: ImageRef & { digest: string },
  options: ScanReadOptions,
): Promise<{ outcome: ScanOutcome; pages: number; waitedMs: number; registryId?: string | undefined }> => {
  const request = {
    repositoryName: ref.repository,
    imageId: { imageDigest: ref.digest },
    ...(ref.registryId ? { registryId: ref.registryId } : {}),
  };
  const startedAt = Date.now();
  const waitUntil =
    startedAt + Math.min(options.waitForScanSeconds * 1000, options.remainingMs() - WAIT_RESERVE_MS);
  const waitLimitedByDeadline = options.waitForScanSeconds * 1000 > options.remainingMs() - WAIT_RESERVE_MS;
  let delay = options.firstDelayMs ?? FIRST_POLL_DELAY_MS;
  let coverage: Coverage | undefined;
  for (;;) {
    options.step(`reading the scan findings of ${shortName(ref)}`);
    let response: DescribeImageScanFindingsCommandOutput | undefined;
    try {
      response = await client.send(
        new DescribeImageScanFindingsCommand({ ...request, maxResults: PAGE_SIZE }),
        {
          abortSignal: options.signal,
        },
      );
    } catch (error) {
      const outcome = notThere(error, ref, "DescribeImageScanFindings");
      if (outcome.kind !== "no-scan") return { outcome, pages: 0, waitedMs: Date.now() - startedAt };
    }
    // No scan yet: wait only when the registry's configuration says one will come.
    const status = response
      ? typeof response.imageScanStatus?.status === "string"
        ? response.imageScanStatus.status
        : "UNKNOWN"
      : NOT_STARTED;
    const description =
      typeof response?.imageScanStatus?.description === "string" &&
      response.imageScanStatus.description.trim()
        ? response.imageScanStatus.description.trim()
        : undefined;

    if (status === NOT_STARTED || WAITING_STATUSES.has(status)) {
      if (!coverage) {
        options.step(`reading the scanning configuration for ${shortName(ref)}`);
        coverage = await readCoverage(client, ref, options.signal);
        options.logger?.info("Scanning configuration read", { repository: ref.repository, status, coverage });
      }
      const waitedMs = Date.now() - startedAt;
      // Basic scanning without scan on push still finishes a scan someone started (PENDING).
      if (coverage.kind === "not-covered" && (coverage.scanType === "ENHANCED" || status === NOT_STARTED)) {
        return {
          outcome: { kind: "not-covered", scanType: coverage.scanType, ...(response ? { status } : {}) },
          pages: response ? 1 : 0,
          waitedMs,
        };
      }
      // Without a configuration that promises a scan, a missing scan fails at once, as it always did.
      if (status === NOT_STARTED && coverage.kind !== "scanned") {
        return { outcome: { kind: "no-scan" }, pages: 0, waitedMs };
      }
      const now = Date.now();
      if (now >= waitUntil) {
        return {
          outcome: {
            kind: "still-scanning",
            status,
            waitedSeconds: Math.round((now - startedAt) / 1000),
            stoppedForDeadline: waitLimitedByDeadline,
            description,
          },
          pages: response ? 1 : 0,
          waitedMs: now - startedAt,
        };
      }
      options.step(`waiting for the scan of ${shortName(ref)} (${status})`);
      await sleep(Math.min(delay, waitUntil - now), undefined, { signal: options.signal });
      delay = Math.min(delay * 2, options.maxDelayMs ?? MAX_POLL_DELAY_MS);
      continue;
    }
    if (!response) throw new Error("unreachable: a scan status without a response");

    if (!FINDINGS_STATUSES.has(status)) {
      return {
        outcome: { kind: "unusable", status, description },
        pages: 1,
        waitedMs: Date.now() - startedAt,
      };
    }
    if (!response.imageScanFindings) {
      // Seen in the wild: a finished status before the findings exist. Fail closed.
      return {
        outcome: {
          kind: "unusable",
          status,
          description: `ECR reports the scan ${status} but returned no findings data${description ? ` (${description})` : ""}`,
        },
        pages: 1,
        waitedMs: Date.now() - startedAt,
      };
    }
    const { findings, pages, enhanced } = await readAllPages(client, request, response, options.signal);
    return {
      registryId: typeof response.registryId === "string" ? response.registryId : undefined,
      outcome: {
        kind: "scanned",
        scanType: enhanced || status === "ACTIVE" ? "enhanced" : "basic",
        status,
        completedAt: toDate(response.imageScanFindings.imageScanCompletedAt),
        findings,
      },
      pages,
      waitedMs: Date.now() - startedAt,
    };
  }
};

export interface CheckOptions extends ScanReadOptions {
  /** minEpss is set: read EPSS scores from Amazon Inspector for enhanced findings. */
  needEpss?: boolean;
}

/** Adds EPSS scores to an enhanced scan's findings; says why there are none for a basic scan. */
const addEpss = async (
  ref: ImageRef & { digest: string; region: string },
  scan: Extract<ScanOutcome, { kind: "scanned" }>,
  options: CheckOptions,
): Promise<ScanOutcome> => {
  if (scan.scanType === "basic") {
    return {
      ...scan,
      epss: {
        read: false,
        reason: "basic scanning has no EPSS; Amazon Inspector scores enhanced findings only",
      },
    };
  }
  options.step(`reading EPSS scores of ${shortName(ref)} from Amazon Inspector`);
  const { scores, pages } = await readEpssScores(ref, options.signal);
  return { ...scan, findings: withEpss(scan.findings, scores), epss: { read: true, pages } };
};

/** Resolves one image to its digest and reads its scan. */
export const checkImage = async (target: ImageTarget, options: CheckOptions): Promise<ImageCheck> => {
  const region = target.ref.region ?? awsRegion();
  const client = ecrClient(region);
  const ref = { ...target.ref, region };
  options.step(`resolving ${shortName(ref)} to its digest`);
  const resolved = await resolveDigest(client, ref, options.signal);
  if ("outcome" in resolved) return { ref, origin: target.origin, scan: resolved.outcome };
  const pinned = resolved.ref as ImageRef & { digest: string };
  const read = await readScan(client, pinned, options);
  const { pages, waitedMs, registryId } = read;
  pinned.registryId ??= registryId;
  const outcome =
    options.needEpss && read.outcome.kind === "scanned"
      ? await addEpss({ ...pinned, region }, read.outcome, options)
      : read.outcome;
  options.logger?.info("Scan read", {
    repository: pinned.repository,
    digest: pinned.digest,
    result: outcome.kind,
    ...(outcome.kind === "scanned"
      ? { status: outcome.status, findings: outcome.findings.length, pages }
      : {}),
    ...("status" in outcome ? { status: outcome.status } : {}),
    waitedMs,
  });
  return { ref: pinned, origin: target.origin, scan: outcome };
};
