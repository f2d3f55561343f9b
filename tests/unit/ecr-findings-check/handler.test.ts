import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  type ImageScanFinding,
  ScanNotFoundException,
} from "@aws-sdk/client-ecr";
import { Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handler } from "../../../functions/ecr-findings-check/index.js";
import { jobEvent } from "../../../local/job-event.js";
import { lambdaContext } from "../../../local/lambda-context.js";
import { captureLogs, expectCleanLogs } from "../../support/logs.js";
import { reportedTo } from "../../support/outcomes.js";

const ecr = mockClient(ECRClient);
const codePipeline = mockClient(CodePipelineClient);
const inspector = mockClient(Inspector2Client);
const DIGEST = `sha256:${"3".repeat(64)}`;
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1`;
let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  ecr.reset();
  codePipeline.reset();
  inspector.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
  ecr
    .on(DescribeImagesCommand)
    .resolves({ imageDetails: [{ imageDigest: DIGEST, registryId: "123456789012" }] });
  logs = captureLogs();
});
afterEach(() => expectCleanLogs(logs));

const run = (userParameters: Record<string, unknown> | string | undefined, timeoutMs = 30_000) =>
  handler(jobEvent({ id: "job-1", userParameters }), lambdaContext("ecr-findings-check", { timeoutMs }));

/** The one result reported for the job. */
const reported = () => {
  const { jobId, type, message, summary } = reportedTo(codePipeline);
  expect(jobId).toBe("job-1");
  return { type, message: message ?? "", summary: summary ?? "" };
};

const scanWith = (findings: ImageScanFinding[]) =>
  ecr.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: "COMPLETE" },
    imageScanFindings: { imageScanCompletedAt: new Date(), findings },
  });

describe("handler", () => {
  it("fails the job when the image has a critical finding (default policy)", async () => {
    scanWith([
      {
        name: "CVE-2024-0001",
        severity: "CRITICAL",
        attributes: [
          { key: "package_name", value: "openssl" },
          { key: "package_version", value: "3.0.1" },
        ],
      },
    ]);
    await run({ image: IMAGE });
    const result = reported();
    expect(result.type).toBe("JobFailed");
    expect(result.message.split("\n")[0]).toBe(
      "Critical findings detected: web@sha256:333333333333… has 1 CRITICAL (policy: fail on CRITICAL or above)",
    );
    expect(result.message).toContain("- CRITICAL CVE-2024-0001 in openssl 3.0.1");
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input.imageId).toEqual({
      imageDigest: DIGEST,
    });
  });

  it("passes a clean image with a summary naming the digest", async () => {
    scanWith([{ name: "CVE-2024-0002", severity: "LOW" }]);
    await run({ image: { repository: "web", tag: "v1" } });
    const result = reported();
    expect(result.type).toBeUndefined();
    expect(result.summary.split("\n")[0]).toBe(
      "Passed: web@sha256:333333333333… has no findings over policy (fail on CRITICAL or above)",
    );
    expect(result.summary).toContain(`web@${DIGEST} (tag v1)`);
    expect(result.summary).toContain("Findings: 1 LOW");
  });

  it("reports bad UserParameters as a ConfigurationError without calling ECR", async () => {
    await run({ image: IMAGE, failOnSeverity: "SEVERE" });
    const result = reported();
    expect(result.type).toBe("ConfigurationError");
    expect(result.message).toContain("failOnSeverity: expected one of CRITICAL");
    expect(ecr.calls()).toHaveLength(0);
  });

  it("says where it looked when there is no image and no input artifact", async () => {
    await run({});
    const result = reported();
    expect(result.type).toBe("ConfigurationError");
    expect(result.message).toContain('No image to check: UserParameters has no "image"');
    expect(result.message).toContain("imageDetail.json or imagedefinitions.json");
  });

  it("tells how to enable scanning when the image was never scanned", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejects(new ScanNotFoundException({ message: "no scan", $metadata: {} }));
    await run({ image: IMAGE });
    const result = reported();
    expect(result.type).toBe("JobFailed");
    expect(result.message).toContain("No scan found for web@sha256:333333333333…");
    expect(result.message).toContain("aws ecr start-image-scan --repository-name web");
  });

  it("reads EPSS from Inspector for an enhanced scan only when minEpss asks for it", async () => {
    const critical = (id: string) => ({
      severity: "CRITICAL",
      exploitAvailable: "NO",
      packageVulnerabilityDetails: {
        vulnerabilityId: id,
        vulnerablePackages: [{ name: "xz", version: "5.6.0" }],
      },
    });
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: "ACTIVE" },
      imageScanFindings: {
        imageScanCompletedAt: new Date(),
        enhancedFindings: [critical("CVE-2024-3094"), critical("CVE-2024-0001")],
      },
    });
    inspector.on(ListFindingsCommand).resolves({
      findings: [
        { packageVulnerabilityDetails: { vulnerabilityId: "CVE-2024-3094" }, epss: { score: 0.86 } },
        { packageVulnerabilityDetails: { vulnerabilityId: "CVE-2024-0001" }, epss: { score: 0.0004 } },
      ] as never,
    });
    await run({ image: IMAGE });
    expect(inspector.calls()).toHaveLength(0);
    expect(reported().message).toContain("has 2 CRITICAL");

    codePipeline.resetHistory();
    await run({ image: IMAGE, minEpss: 0.1 });
    expect(inspector.commandCalls(ListFindingsCommand)).toHaveLength(1);
    const { message } = reported();
    expect(message.split("\n")[0]).toBe(
      "Critical findings detected: web@sha256:333333333333… has 1 CRITICAL (policy: fail on CRITICAL or above)",
    );
    expect(message).toContain("Not counted: 1 below EPSS 0.1");
    expect(message).toContain("- CRITICAL CVE-2024-3094 in xz 5.6.0, EPSS 0.86, no known exploit");
  });

  it("reports access denied as a PermissionError", async () => {
    ecr.on(DescribeImagesCommand).rejects(
      Object.assign(new Error("not authorized to perform ecr:DescribeImages"), {
        name: "AccessDeniedException",
        $metadata: {},
      }),
    );
    await run({ image: IMAGE });
    const result = reported();
    expect(result.type).toBe("PermissionError");
    expect(result.message).toContain("Access denied calling ecr:DescribeImages for web:v1");
  });

  it("reports throttling that outlasted the SDK's retries as SystemUnavailable", async () => {
    ecr.on(DescribeImagesCommand).rejects(
      Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await run({ image: IMAGE });
    const result = reported();
    expect(result.type).toBe("SystemUnavailable");
    expect(result.message).toContain("resolving web:v1 to its digest");
  });

  it("reports a scan still running when waitForScanSeconds is used up", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "IN_PROGRESS" } });
    await run({ image: IMAGE, waitForScanSeconds: 0 });
    const result = reported();
    expect(result.type).toBe("JobFailed");
    expect(result.message.split("\n")[0]).toBe(
      "Scan still IN_PROGRESS after 0s for web@sha256:333333333333…",
    );
  });

  it("stops waiting before the Lambda's deadline and says so, instead of timing out", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({ imageScanStatus: { status: "PENDING" } });
    await run({ image: IMAGE, waitForScanSeconds: 600 }, 7_000);
    const result = reported();
    expect(result.type).toBe("JobFailed");
    expect(result.message).toMatch(/^Scan still PENDING after \d+s for web@sha256:333333333333…/);
    expect(result.message).toContain("Stopped waiting before the function's timeout");
  });

  it("logs one line per scan read, without the event", async () => {
    scanWith([]);
    await run({ image: IMAGE });
    reported();
    const messages = logs.json().map((l) => l.message);
    expect(messages).toEqual(["Scan read", "Rule finished"]);
  });
});
