import {
  BatchGetRepositoryScanningConfigurationCommand,
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsCommandOutput,
  DescribeImagesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
  ScanNotFoundException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { checkImage, readScan, type ScanReadOptions } from "../../../functions/ecr-findings-check/scan.js";
import { RuleError } from "../../../shared/errors.js";

const ecr = mockClient(ECRClient);
const DIGEST = `sha256:${"2".repeat(64)}`;
const ref = { repository: "web", digest: DIGEST, region: "us-east-1" };
const options = (overrides: Partial<ScanReadOptions> = {}): ScanReadOptions => ({
  signal: new AbortController().signal,
  remainingMs: () => 60_000,
  waitForScanSeconds: 60,
  step: () => {},
  firstDelayMs: 5,
  maxDelayMs: 20,
  ...overrides,
});
/** SDK output shapes, loosely typed on purpose: the code under test reads them defensively. */
const page = (value: object) => value as DescribeImageScanFindingsCommandOutput;
const complete = (findings: unknown[], extra: Record<string, unknown> = {}) =>
  page({
    imageScanStatus: { status: "COMPLETE", description: "The scan was completed successfully." },
    imageScanFindings: { imageScanCompletedAt: new Date("2025-06-15T10:00:00Z"), findings },
    ...extra,
  });
const enhancedPage = (ids: string[], nextToken?: string) =>
  page({
    imageScanStatus: { status: "ACTIVE", description: "Continuous scan is selected for image." },
    imageScanFindings: {
      imageScanCompletedAt: new Date("2025-06-15T10:00:00Z"),
      enhancedFindings: ids.map((id) => ({
        severity: "HIGH",
        packageVulnerabilityDetails: { vulnerabilityId: id },
      })),
    },
    ...(nextToken ? { nextToken } : {}),
  });
const inProgress = page({ imageScanStatus: { status: "IN_PROGRESS", description: "scanning" } });
const sdkError = <T extends Error>(
  Type: new (args: { message: string; $metadata: object }) => T,
  message = "nope",
) => new Type({ message, $metadata: { httpStatusCode: 400 } });

beforeEach(() => ecr.reset());

describe("readScan", () => {
  it("reads a basic scan", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete([{ name: "CVE-1", severity: "CRITICAL" }]));
    const { outcome } = await readScan(new ECRClient({ region: "us-east-1" }), ref, options());
    expect(outcome).toEqual({
      kind: "scanned",
      scanType: "basic",
      status: "COMPLETE",
      completedAt: new Date("2025-06-15T10:00:00Z"),
      findings: [{ id: "CVE-1", severity: "CRITICAL", packages: [], score: undefined, source: "basic" }],
    });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input).toEqual({
      repositoryName: "web",
      imageId: { imageDigest: DIGEST },
      maxResults: 1000,
    });
  });

  it("follows nextToken to the end (enhanced pages hold 100 whatever is asked)", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(enhancedPage(["A", "B"], "t1"))
      .resolvesOnce(enhancedPage(["C"], "t2"))
      .resolvesOnce(enhancedPage(["D"]));
    const { outcome, pages } = await readScan(new ECRClient({ region: "us-east-1" }), ref, options());
    expect(pages).toBe(3);
    expect(outcome.kind === "scanned" && outcome.findings.map((f) => f.id)).toEqual(["A", "B", "C", "D"]);
    expect(outcome.kind === "scanned" && outcome.scanType).toBe("enhanced");
    const tokens = ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.nextToken);
    expect(tokens).toEqual([undefined, "t1", "t2"]);
  });

  it("fails rather than loop when ECR repeats a page token", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(enhancedPage(["A"], "same"));
    await expect(readScan(new ECRClient({ region: "us-east-1" }), ref, options())).rejects.toThrow(
      /returned the same page token twice/,
    );
  });

  it("polls while PENDING / IN_PROGRESS, then reads the findings", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce({ imageScanStatus: { status: "PENDING" } })
      .resolvesOnce(inProgress)
      .resolves(complete([]));
    const steps: string[] = [];
    const { outcome } = await readScan(
      new ECRClient({ region: "us-east-1" }),
      ref,
      options({ step: (s) => steps.push(s) }),
    );
    expect(outcome.kind).toBe("scanned");
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(3);
    expect(steps).toContain("waiting for the scan of web@sha256:222222222222… (IN_PROGRESS)");
  });

  it("stops waiting after waitForScanSeconds and says the scan is still running", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(inProgress);
    const { outcome } = await readScan(
      new ECRClient({ region: "us-east-1" }),
      ref,
      options({ waitForScanSeconds: 0 }),
    );
    expect(outcome).toEqual({
      kind: "still-scanning",
      status: "IN_PROGRESS",
      waitedSeconds: 0,
      stoppedForDeadline: false,
      description: "scanning",
    });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1);
  });

  it("stops waiting before the Lambda's deadline when that comes first", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(inProgress);
    const { outcome } = await readScan(
      new ECRClient({ region: "us-east-1" }),
      ref,
      options({ remainingMs: () => 5_050, waitForScanSeconds: 600 }),
    );
    expect(outcome).toMatchObject({ kind: "still-scanning", stoppedForDeadline: true });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand).length).toBeGreaterThan(1);
  });

  it("stops sleeping when the signal aborts", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(inProgress);
    const controller = new AbortController();
    const reading = readScan(
      new ECRClient({ region: "us-east-1" }),
      ref,
      options({ signal: controller.signal, firstDelayMs: 60_000, maxDelayMs: 60_000 }),
    );
    setTimeout(() => controller.abort(new Error("deadline")), 20);
    await expect(reading).rejects.toThrow();
  });

  it.each([
    "FAILED",
    "UNSUPPORTED_IMAGE",
    "SCAN_ELIGIBILITY_EXPIRED",
    "FINDINGS_UNAVAILABLE",
    "LIMIT_EXCEEDED",
    "IMAGE_ARCHIVED",
  ])("returns %s as unusable with its description", async (status) => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolves({ imageScanStatus: { status: status as never, description: `why ${status}` } });
    const { outcome } = await readScan(new ECRClient({ region: "us-east-1" }), ref, options());
    expect(outcome).toEqual({ kind: "unusable", status, description: `why ${status}` });
  });

  it("fails closed when a finished scan has no findings data, or there is no status", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce({ imageScanStatus: { status: "COMPLETE" } })
      .resolvesOnce({});
    const client = new ECRClient({ region: "us-east-1" });
    expect((await readScan(client, ref, options())).outcome).toMatchObject({
      kind: "unusable",
      status: "COMPLETE",
      description: "ECR reports the scan COMPLETE but returned no findings data",
    });
    expect((await readScan(client, ref, options())).outcome).toMatchObject({
      kind: "unusable",
      status: "UNKNOWN",
    });
  });

  it("maps ScanNotFound, RepositoryNotFound and ImageNotFound to outcomes", async () => {
    const client = new ECRClient({ region: "us-east-1" });
    ecr.on(DescribeImageScanFindingsCommand).rejects(sdkError(ScanNotFoundException));
    expect((await readScan(client, ref, options())).outcome).toEqual({ kind: "no-scan" });
    ecr.reset().on(DescribeImageScanFindingsCommand).rejects(sdkError(RepositoryNotFoundException));
    expect((await readScan(client, ref, options())).outcome).toEqual({
      kind: "not-found",
      what: "repository",
      detail: 'no repository "web" in region us-east-1',
    });
    ecr.reset().on(DescribeImageScanFindingsCommand).rejects(sdkError(ImageNotFoundException));
    expect((await readScan(client, ref, options())).outcome).toEqual({
      kind: "not-found",
      what: "image",
      detail: `repository "web" (region us-east-1) has no image with digest ${DIGEST}`,
    });
  });

  it("turns access denied into a PermissionError naming the action and the permissions needed", async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(
      Object.assign(new Error("User is not authorized"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const error = await readScan(
      new ECRClient({ region: "us-east-1" }),
      { ...ref, registryId: "210987654321" },
      options(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).type).toBe("PermissionError");
    expect((error as RuleError).message).toContain(
      "Access denied calling ecr:DescribeImageScanFindings for web@sha256:222222222222…",
    );
    expect((error as RuleError).message).toContain("repository policy");
  });

  it("names inspector2:ListFindings when ECR is denied it while reading enhanced findings", async () => {
    // What AWS answers when the role lacks the implied action (ecr-scan-image issue #19).
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejects(
        Object.assign(
          new Error(
            "User: arn:aws:sts::123456789012:assumed-role/gate/fn is not authorized to perform: inspector2:ListFindings on resource: arn:aws:inspector2:us-east-1:123456789012:/findings/list",
          ),
          { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } },
        ),
      );
    const error = (await readScan(new ECRClient({ region: "us-east-1" }), ref, options()).catch(
      (e: unknown) => e,
    )) as RuleError;
    expect(error.type).toBe("PermissionError");
    expect(error.message).toContain(
      "Access denied for inspector2:ListFindings, which ecr:DescribeImageScanFindings needs, for web@sha256:222222222222… (region us-east-1)",
    );
    expect(error.message).toContain('needs inspector2:ListFindings (Resource "*")');
  });

  it("lets unexpected errors through for the runtime to map", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejects(Object.assign(new Error("boom"), { name: "InternalFailure" }));
    await expect(readScan(new ECRClient({ region: "us-east-1" }), ref, options())).rejects.toThrow("boom");
  });
});

describe("checkImage", () => {
  it("pins a tag to its digest once and checks the digest", async () => {
    ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: DIGEST, registryId: "123456789012" }] });
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete([]));
    const check = await checkImage(
      { ref: { repository: "web", tag: "v1" }, origin: "UserParameters.image" },
      options(),
    );
    expect(check.ref).toEqual({
      repository: "web",
      tag: "v1",
      digest: DIGEST,
      registryId: "123456789012",
      region: "us-east-1",
    });
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({
      repositoryName: "web",
      imageIds: [{ imageTag: "v1" }],
    });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input.imageId).toEqual({
      imageDigest: DIGEST,
    });
  });

  it("skips DescribeImages when the digest is known, passing the registry id on", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete([]));
    await checkImage(
      { ref: { repository: "web", digest: DIGEST, registryId: "210987654321" }, origin: "x" },
      options(),
    );
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(0);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input.registryId).toBe(
      "210987654321",
    );
  });

  it("reports a tag that does not exist", async () => {
    ecr.on(DescribeImagesCommand).rejects(sdkError(ImageNotFoundException));
    const check = await checkImage({ ref: { repository: "web", tag: "v9" }, origin: "x" }, options());
    expect(check.scan).toEqual({
      kind: "not-found",
      what: "image",
      detail: 'repository "web" (region us-east-1) has no image with tag "v9"',
    });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
  });

  it("asks the image's own region", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(complete([]));
    await checkImage(
      { ref: { repository: "web", digest: DIGEST, region: "eu-west-1" }, origin: "x" },
      options(),
    );
    const client = ecr.send.getCall(0).thisValue as ECRClient;
    expect(await client.config.region()).toBe("eu-west-1");
  });
});

describe("scan coverage: fail fast when no scan will come", () => {
  const client = () => new ECRClient({ region: "us-east-1" });
  const registry = (scanType: "BASIC" | "ENHANCED", registryId = "123456789012") =>
    ecr.on(GetRegistryScanningConfigurationCommand).resolves({
      registryId,
      scanningConfiguration: { scanType, rules: [] },
    });
  const repository = (scanFrequency: "MANUAL" | "SCAN_ON_PUSH" | "CONTINUOUS_SCAN", scanOnPush = false) =>
    ecr.on(BatchGetRepositoryScanningConfigurationCommand).resolves({
      scanningConfigurations: [{ repositoryName: "web", scanFrequency, scanOnPush, appliedScanFilters: [] }],
    });
  const denied = Object.assign(
    new Error("User is not authorized to perform: ecr:GetRegistryScanningConfiguration"),
    {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    },
  );
  const pending = page({ imageScanStatus: { status: "PENDING", description: "pending" } });

  it("basic scanning, no scan on push, no scan started: fails at once", async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(sdkError(ScanNotFoundException));
    registry("BASIC");
    repository("MANUAL");
    const { outcome } = await readScan(client(), ref, options({ firstDelayMs: 60_000 }));
    expect(outcome).toEqual({ kind: "not-covered", scanType: "BASIC" });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1);
    expect(ecr.commandCalls(BatchGetRepositoryScanningConfigurationCommand)[0]?.args[0].input).toEqual({
      repositoryNames: ["web"],
    });
  });

  it("basic scanning without scan on push still waits for a scan someone started (PENDING)", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolvesOnce(pending).resolves(complete([]));
    registry("BASIC");
    repository("MANUAL");
    expect((await readScan(client(), ref, options())).outcome).toMatchObject({ kind: "scanned" });
  });

  it("enhanced scanning whose filters do not match the repository: fails at once, even while PENDING", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves(pending);
    registry("ENHANCED");
    repository("MANUAL");
    const { outcome } = await readScan(client(), ref, options({ firstDelayMs: 60_000 }));
    expect(outcome).toEqual({ kind: "not-covered", scanType: "ENHANCED", status: "PENDING" });
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1);
  });

  it("waits for a scan that has not started yet when the repository scans on push", async () => {
    ecr
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(sdkError(ScanNotFoundException))
      .resolves(complete([{ name: "CVE-1", severity: "HIGH" }]));
    registry("BASIC");
    repository("SCAN_ON_PUSH", true);
    expect((await readScan(client(), ref, options())).outcome).toMatchObject({ kind: "scanned" });
    expect(ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(1);
  });

  it("says how long it waited when the promised scan never started", async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(sdkError(ScanNotFoundException));
    registry("ENHANCED");
    repository("CONTINUOUS_SCAN");
    expect((await readScan(client(), ref, options({ waitForScanSeconds: 0 }))).outcome).toMatchObject({
      kind: "still-scanning",
      status: "not started",
    });
  });

  it("waits as before when the configuration cannot be read (access denied)", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolvesOnce(pending).resolves(complete([]));
    ecr.on(GetRegistryScanningConfigurationCommand).rejects(denied);
    expect((await readScan(client(), ref, options())).outcome).toMatchObject({ kind: "scanned" });
    ecr.reset().on(DescribeImageScanFindingsCommand).rejects(sdkError(ScanNotFoundException));
    ecr.on(GetRegistryScanningConfigurationCommand).rejects(denied);
    expect((await readScan(client(), ref, options())).outcome).toEqual({ kind: "no-scan" });
  });

  it("draws no conclusion for another account's registry (the configuration read is this account's)", async () => {
    ecr.on(DescribeImageScanFindingsCommand).rejects(sdkError(ScanNotFoundException));
    registry("BASIC", "999999999999");
    repository("MANUAL");
    const { outcome } = await readScan(client(), { ...ref, registryId: "210987654321" }, options());
    expect(outcome).toEqual({ kind: "no-scan" });
  });
});
