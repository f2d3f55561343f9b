import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicFinding, enhancedFinding } from "../../local/ecr-fixtures.js";
import { jobEvent } from "../../local/job-event.js";
import { useLocalAws } from "../support/aws.js";
import { type PagedImage, startEcrPagesEndpoint } from "../support/ecr-pages-endpoint.js";
import { invokeBundle } from "../support/lambda.js";
import { onlyResult, outcomeOf } from "../support/outcomes.js";

/**
 * The built bundle reads every page of findings over HTTP. moto serves findings in one page, so
 * ECR and Inspector are a local endpoint here that pages with nextToken (this file has its own
 * bundle instance, so only its clients point there).
 */
const aws = useLocalAws();
const DIGEST = `sha256:${"7".repeat(64)}`;
const REGISTRY = "123456789012";
const uri = (repository: string) => `${REGISTRY}.dkr.ecr.us-east-1.amazonaws.com/${repository}@${DIGEST}`;
const PAGE_SIZE = 100;

/** 250 MEDIUM findings, then one CRITICAL: the CRITICAL is on the third page. */
const basicFindings = [
  ...Array.from({ length: 250 }, (_, i) =>
    basicFinding(`CVE-2024-${10000 + i}`, "MEDIUM", { name: "zlib", version: "1.2.13", score: 5 }),
  ),
  basicFinding("CVE-2024-99999", "CRITICAL", { name: "openssl", version: "3.0.1", score: 9.8 }),
];

const enhancedImage: PagedImage = {
  repository: "paged-enhanced",
  digest: DIGEST,
  registryId: REGISTRY,
  enhanced: true,
  findings: [
    ...Array.from({ length: 150 }, (_, i) =>
      enhancedFinding(`CVE-2023-${20000 + i}`, "CRITICAL", { name: "libxml2", version: "2.9.14", score: 9 }),
    ),
    enhancedFinding("CVE-2024-3094", "CRITICAL", { name: "xz", version: "5.6.0", score: 10, exploit: true }),
  ],
  // Inspector: low EPSS for the 150, high for CVE-2024-3094 on the last page.
  inspectorFindings: [
    ...Array.from({ length: 150 }, (_, i) => ({
      packageVulnerabilityDetails: { vulnerabilityId: `CVE-2023-${20000 + i}` },
      epss: { score: 0.0004 },
    })),
    { packageVulnerabilityDetails: { vulnerabilityId: "CVE-2024-3094" }, epss: { score: 0.8612 } },
  ],
};

const run = async (endpoint: string, userParameters: Record<string, unknown>) => {
  // Read when the bundle's clients are first built, in the first test.
  process.env.AWS_ENDPOINT_URL_ECR = endpoint;
  process.env.AWS_ENDPOINT_URL_INSPECTOR2 = endpoint;
  const event = jobEvent({ userParameters });
  await invokeBundle("ecr-findings-check", event);
  return outcomeOf(onlyResult(aws.codePipeline, event["CodePipeline.job"].id));
};

describe("paging over HTTP", () => {
  let served: Awaited<ReturnType<typeof startEcrPagesEndpoint>>;
  const callsFor = (repository: string, operation: string) =>
    served.calls.filter(
      (c) =>
        c.operation === operation &&
        (c.body.repositoryName === repository ||
          JSON.stringify(c.body.filterCriteria ?? {}).includes(`"${repository}"`)),
    );
  beforeAll(async () => {
    const basicImage: PagedImage = {
      repository: "paged-basic",
      digest: DIGEST,
      registryId: REGISTRY,
      enhanced: false,
      findings: basicFindings,
    };
    served = await startEcrPagesEndpoint([basicImage, enhancedImage], PAGE_SIZE);
  });
  afterAll(async () => {
    await served?.stop();
    delete process.env.AWS_ENDPOINT_URL_ECR;
    delete process.env.AWS_ENDPOINT_URL_INSPECTOR2;
  });

  it("reads all three pages of ECR findings, sending each nextToken it was given", async () => {
    const outcome = await run(served.endpoint, { image: uri("paged-basic") });
    expect(outcome.type).toBe("JobFailed");
    expect(outcome.message?.split("\n")[0]).toBe(
      "Critical findings detected: paged-basic@sha256:777777777777… has 1 CRITICAL (policy: fail on CRITICAL or above)",
    );
    expect(outcome.message).toContain("Findings: 1 CRITICAL, 250 MEDIUM");
    const pages = callsFor("paged-basic", "ecr:DescribeImageScanFindings");
    expect(pages.map((c) => c.body.nextToken)).toEqual([undefined, "page-1", "page-2"]);
    expect(pages.map((c) => c.body.imageId)).toEqual(Array(3).fill({ imageDigest: DIGEST }));
  });

  it("reads every page of enhanced findings and of Inspector's EPSS scores", async () => {
    const outcome = await run(served.endpoint, { image: uri("paged-enhanced"), minEpss: 0.1 });
    expect(outcome.message?.split("\n")[0]).toBe(
      "Critical findings detected: paged-enhanced@sha256:777777777777… has 1 CRITICAL (policy: fail on CRITICAL or above)",
    );
    expect(outcome.message).toContain("Not counted: 150 below EPSS 0.1");
    expect(outcome.message).toContain(
      "- CRITICAL CVE-2024-3094 in xz 5.6.0, score 10, EPSS 0.8612, no fix yet, exploit available",
    );
    const ecrPages = callsFor("paged-enhanced", "ecr:DescribeImageScanFindings");
    expect(ecrPages.map((c) => c.body.nextToken)).toEqual([undefined, "page-1"]);
    const inspectorPages = callsFor("paged-enhanced", "inspector2:ListFindings");
    expect(inspectorPages.map((c) => c.body.nextToken)).toEqual([undefined, "page-1"]);
    expect(inspectorPages[0]?.body.filterCriteria).toEqual({
      ecrImageHash: [{ comparison: "EQUALS", value: DIGEST }],
      ecrImageRepositoryName: [{ comparison: "EQUALS", value: "paged-enhanced" }],
      awsAccountId: [{ comparison: "EQUALS", value: REGISTRY }],
    });
  });
});
