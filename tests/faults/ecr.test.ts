import type { ECRClient } from "@aws-sdk/client-ecr";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  basicFinding,
  ecrClientFor,
  enhancedFinding,
  injectScanResults,
  type SeededImage,
  scanResult,
  seedImage,
  uniqueRepositoryName,
} from "../../local/ecr-fixtures.js";
import { jobEvent } from "../../local/job-event.js";
import { useLocalAws } from "../support/aws.js";
import { type AwsStub, jsonError, jsonOperation, startAwsStub } from "../support/aws-stub.js";
import { type Expected, expectOutcome } from "../support/fault-matrix.js";

/**
 * Fault matrix, ECR: every scan status, images and repositories that are not there, and an ECR
 * that throttles, fails, denies or hangs (a stub in front of moto, tests/support/aws-stub.ts).
 */
const aws = useLocalAws();
let ecr: ECRClient;
let stub: AwsStub;

beforeAll(async () => {
  ecr = ecrClientFor(aws.moto);
  stub = await startAwsStub(aws.moto);
  // The bundle builds its ECR client on first use, after this.
  process.env.AWS_ENDPOINT_URL_ECR = stub.endpoint;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_ECR;
  await stub?.stop();
});
beforeEach(() => {
  aws.codePipeline.reset();
  stub.clear();
});

/** A fresh repository with one image; its scan reads return `scan` (moto keeps it for the image). */
const imageWith = async (scan?: Parameters<typeof scanResult>[1], options: { scanned?: boolean } = {}) => {
  const image = await seedImage(ecr, {
    repository: uniqueRepositoryName("faults-ecr"),
    scan: options.scanned,
  });
  if (scan) await injectScanResults(aws.moto, [scanResult(image, scan)]);
  return image;
};

const short = (image: SeededImage) => `${image.repository}@${image.digest.slice(0, 19)}…`;

/** A job checking `image` (a URI or the object form) with these settings. */
const check = (image: unknown, params: Record<string, unknown> = {}) => ({
  event: jobEvent({ userParameters: { image, ...params } }),
});

interface Row {
  name: string;
  setup: () => Promise<{ event: unknown; timeoutMs?: number | undefined; image?: SeededImage }>;
  type: Expected;
  says: (image: SeededImage | undefined) => Array<string | RegExp>;
}

const UNUSABLE: Array<[string, string]> = [
  [
    "FAILED",
    "ECR could not scan the image. Start a new scan (aws ecr start-image-scan) and re-run the stage.",
  ],
  ["UNSUPPORTED_IMAGE", "ECR cannot scan this image's operating system or format, so it cannot be cleared."],
  ["SCAN_ELIGIBILITY_EXPIRED", "Enhanced scanning stopped re-scanning this image"],
  ["FINDINGS_UNAVAILABLE", "Findings are not available for this image"],
  ["LIMIT_EXCEEDED", "The scan quota for this image was exceeded. Wait and re-run the stage."],
  ["IMAGE_ARCHIVED", "The image is archived. Restore it to have it scanned."],
  ["SOMETHING_NEW", "ECR reported scan status SOMETHING_NEW, which gives no findings to check."],
];

const withImage =
  (scan: Parameters<typeof scanResult>[1] | undefined, params: Record<string, unknown> = {}, options = {}) =>
  async () => {
    const image = await imageWith(scan, options);
    return { ...check(image.tagUri, params), image };
  };

const ROWS: Row[] = [
  {
    name: "COMPLETE with a critical finding",
    setup: withImage({
      findings: [basicFinding("CVE-2024-0001", "CRITICAL", { name: "glibc", version: "2.36" })],
    }),
    type: "JobFailed",
    says: (i) => [
      `Critical findings detected: ${short(i as SeededImage)} has 1 CRITICAL (policy: fail on CRITICAL or above)`,
      "- CRITICAL CVE-2024-0001 in glibc 2.36",
    ],
  },
  {
    name: "COMPLETE without findings",
    setup: withImage({ findings: [] }),
    type: "success",
    says: (i) => [`Passed: ${short(i as SeededImage)} has no findings over policy`, "Scan: basic (COMPLETE)"],
  },
  {
    name: "ACTIVE (enhanced) with a fixable HIGH finding",
    setup: withImage(
      {
        enhancedFindings: [
          enhancedFinding("CVE-2024-2511", "HIGH", {
            name: "openssl",
            version: "3.0.11",
            fixedInVersion: "3.0.14",
          }),
        ],
      },
      { failOnSeverity: "HIGH" },
    ),
    type: "JobFailed",
    says: (i) => [`High findings detected: ${short(i as SeededImage)} has 1 HIGH`, "Scan: enhanced (ACTIVE)"],
  },
  ...["PENDING", "IN_PROGRESS"].map(
    (status): Row => ({
      name: `${status}, no wait`,
      setup: withImage(
        { status, description: `The scan is ${status.toLowerCase()}.` },
        { waitForScanSeconds: 0 },
      ),
      type: "JobFailed",
      says: (i) => [
        `Scan still ${status} after 0s for ${short(i as SeededImage)}: The scan is ${status.toLowerCase()}.`,
        "Raise waitForScanSeconds (now 0) or re-run the stage when the scan has finished.",
      ],
    }),
  ),
  ...UNUSABLE.map(
    ([status, hint]): Row => ({
      name: status,
      setup: withImage({ status, description: `ECR says ${status}` }),
      type: "JobFailed",
      says: (i) => [
        `Scan ${status} for ${short(i as SeededImage)}: ECR says ${status}`,
        hint,
        "Without findings the check fails closed.",
      ],
    }),
  ),
  {
    name: "COMPLETE without findings data",
    setup: async () => {
      const image = await imageWith();
      const { imageScanFindings: _, ...withoutFindings } = scanResult(image, { findings: [] });
      await injectScanResults(aws.moto, [withoutFindings as ReturnType<typeof scanResult>]);
      return { ...check(image.tagUri), image };
    },
    type: "JobFailed",
    says: (i) => [
      `Scan COMPLETE for ${short(i as SeededImage)}: ECR reports the scan COMPLETE but returned no findings data`,
    ],
  },
  {
    name: "ScanNotFound (never scanned, and moto's registry does not scan on push)",
    setup: withImage(undefined, {}, { scanned: false }),
    type: "JobFailed",
    says: (i) => [
      `No scan will come for ${short(i as SeededImage)}: the registry uses basic scanning, repository "${i?.repository}" does not scan on push, and no scan was started`,
      `aws ecr start-image-scan --repository-name ${i?.repository}`,
    ],
  },
  {
    name: "ImageNotFound (tag)",
    setup: async () => {
      const image = await imageWith({ findings: [] });
      return { ...check(image.tagUri.replace(/:v1$/, ":v404")), image };
    },
    type: "JobFailed",
    says: (i) => [
      `Image not found: ${i?.repository}:v404: repository "${i?.repository}" (registry ${i?.registryId}, region us-east-1) has no image with tag "v404"`,
    ],
  },
  {
    name: "ImageNotFound (digest)",
    setup: async () => {
      const image = await imageWith({ findings: [] });
      return { ...check(image.digestUri.replace(/@sha256:.*/, `@sha256:${"0".repeat(64)}`)), image };
    },
    type: "JobFailed",
    says: (i) => [
      `Image not found: ${i?.repository}@sha256:000000000000…`,
      `has no image with digest sha256:${"0".repeat(64)}`,
    ],
  },
  {
    name: "RepositoryNotFound",
    setup: async () => check({ repository: "faults-no-such-repository", tag: "v1" }),
    type: "JobFailed",
    says: () => [
      'Repository not found: faults-no-such-repository:v1: no repository "faults-no-such-repository" in region us-east-1',
    ],
  },
];

describe("fault matrix: ECR", () => {
  it.each(ROWS)("$name", async ({ setup, type, says }) => {
    const { event, timeoutMs, image } = await setup();
    await expectOutcome(aws.codePipeline, "ecr-findings-check", event, {
      type,
      says: says(image),
      timeoutMs,
    });
  });

  describe("an ECR that throttles, fails, denies or hangs", () => {
    const THROTTLED = jsonError("ThrottlingException", "Rate exceeded");
    it.each([
      {
        name: "throttling twice, then answering",
        operation: "DescribeImages",
        answer: THROTTLED,
        times: 2,
        type: "success" as const,
        says: (i: SeededImage) => [`Passed: ${short(i)}`],
      },
      {
        name: "throttling DescribeImages for good",
        operation: "DescribeImages",
        answer: THROTTLED,
        type: "SystemUnavailable" as const,
        says: (i: SeededImage) => [
          `AWS kept throttling the calls while resolving ${i.repository}:v1 to its digest, after retries: ThrottlingException: Rate exceeded. Retry the stage.`,
        ],
      },
      {
        name: "500s for good",
        operation: "DescribeImageScanFindings",
        answer: jsonError("ServerException", "Internal error", 500),
        type: "SystemUnavailable" as const,
        says: (i: SeededImage) => [
          `AWS did not answer while reading the scan findings of ${short(i)}, after retries: ServerException: Internal error. Retry the stage.`,
        ],
      },
      {
        name: "access denied",
        operation: "DescribeImages",
        answer: jsonError("AccessDeniedException", "User is not authorized to perform: ecr:DescribeImages"),
        type: "PermissionError" as const,
        says: (i: SeededImage) => [
          `Access denied calling ecr:DescribeImages for ${i.repository}:v1 (registry ${i.registryId}, region us-east-1): AccessDeniedException: User is not authorized to perform: ecr:DescribeImages.`,
          "The function's role needs ecr:DescribeImages on the repository",
        ],
      },
      {
        name: "no answer before the deadline",
        operation: "DescribeImages",
        answer: { delayMs: 30_000 },
        timeoutMs: 2_000,
        type: "JobFailed" as const,
        says: (i: SeededImage) => [
          `Ran out of time while resolving ${i.repository}:v1 to its digest: the function stopped with about 1s of its timeout left so that it could report.`,
        ],
      },
    ])("$name", async ({ operation, answer, times, timeoutMs, type, says }) => {
      const image = await imageWith({ findings: [] });
      stub.fault({
        when: jsonOperation(operation, (body) => body.repositoryName === image.repository),
        answer,
        ...(times ? { times } : {}),
      });
      await expectOutcome(aws.codePipeline, "ecr-findings-check", check(image.tagUri).event, {
        type,
        says: says(image),
        timeoutMs,
      });
      expect(stub.answered.length).toBeGreaterThan(0);
    });
  });

  it("a scan that stays IN_PROGRESS with only a few seconds left fails before the deadline", async () => {
    const image = await imageWith({ status: "IN_PROGRESS", description: "The scan is in progress." });
    const run = await expectOutcome(
      aws.codePipeline,
      "ecr-findings-check",
      check(image.tagUri, { waitForScanSeconds: 60 }).event,
      {
        type: "JobFailed",
        timeoutMs: 7_000,
        says: [
          new RegExp(
            `^Scan still IN_PROGRESS after \\ds for ${short(image).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: The scan is in progress\\.`,
          ),
          "Stopped waiting before the function's timeout. Raise the function's timeout (and waitForScanSeconds), or re-run the stage when the scan has finished.",
        ],
      },
    );
    expect(run.remainingMs).toBeGreaterThan(0);
  });
});
