import { type ECRClient, PutRegistryScanningConfigurationCommand } from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  basicFinding,
  ecrClientFor,
  enhancedFinding,
  injectScanResults,
  layerDigest,
  type ScanResultOptions,
  type SeededImage,
  scanResult,
  seedImage,
  uniqueRepositoryName,
} from "../../local/ecr-fixtures.js";
import { jobEvent } from "../../local/job-event.js";
import { type ZipFiles, zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { invokeBundle } from "../support/lambda.js";
import { captureLogs, expectCleanLogs } from "../support/logs.js";
import { onlyResult, outcomeOf } from "../support/outcomes.js";

const aws = useLocalAws();
let ecr: ECRClient;
let bucket: string;
let logs: ReturnType<typeof captureLogs> | undefined;
let keyCounter = 0;

beforeAll(async () => {
  ecr = ecrClientFor(aws.moto);
  bucket = await createBucket(aws.s3, "ecr-findings-check");
});
beforeEach(() => aws.codePipeline.reset());
afterEach(() => {
  if (!logs) return;
  expectCleanLogs(logs);
  logs = undefined;
});

/** A fresh repository with one scanned image whose next scan read returns `scan`. */
const imageWith = async (
  scan?: ScanResultOptions,
  options: { scanned?: boolean; repository?: string; tag?: string; layers?: string[] } = {},
) => {
  const image = await seedImage(ecr, {
    repository: options.repository ?? uniqueRepositoryName("ecr-gate"),
    tag: options.tag ?? "v1",
    scan: options.scanned ?? true,
    ...(options.layers ? { layers: options.layers } : {}),
  });
  if (scan) await injectScanResults(aws.moto, [scanResult(image, scan)]);
  return image;
};

/** Runs the built bundle on a job and returns its one recorded result. */
const gate = async (userParameters: Record<string, unknown>, artifact?: ZipFiles) => {
  let artifacts: Array<{ name: string; bucket: string; key: string }> = [];
  if (artifact) {
    const key = `demo-pipeline/BuildArtif/ecr${keyCounter++}`;
    await putObject(aws.s3, bucket, key, await zipBuffer(artifact));
    artifacts = [{ name: "BuildArtifact", bucket, key }];
  }
  const event = jobEvent({ userParameters, artifacts });
  logs = captureLogs();
  await invokeBundle("ecr-findings-check", event);
  logs.restore();
  const result = onlyResult(aws.codePipeline, event["CodePipeline.job"].id);
  expect(result.signed).toBe(true);
  const outcome = outcomeOf(result);
  return { ...outcome, summary: outcome.summary ?? "" };
};

const short = (image: SeededImage) => `${image.repository}@${image.digest.slice(0, 19)}…`;

describe("ecr-findings-check bundle against moto ECR and the local CodePipeline endpoint", () => {
  it("fails the blog's scenario: the pushed image has critical findings", async () => {
    const image = await imageWith({
      findings: [
        basicFinding("CVE-2024-6387", "CRITICAL", {
          name: "openssh-server",
          version: "1:9.2p1-2",
          score: 8.1,
        }),
        basicFinding("CVE-2023-4863", "CRITICAL", { name: "libwebp7", version: "1.2.4-0.1", score: 8.8 }),
        basicFinding("CVE-2023-44487", "HIGH", { name: "nghttp2", version: "1.52.0-1", score: 7.5 }),
      ],
    });
    const result = await gate({ image: image.tagUri });
    expect(result.operation).toBe("PutJobFailureResult");
    expect(result.type).toBe("JobFailed");
    const lines = (result.message ?? "").split("\n");
    expect(lines[0]).toBe(
      `Critical findings detected: ${short(image)} has 2 CRITICAL (policy: fail on CRITICAL or above)`,
    );
    expect(lines).toContain(`Image: ${image.digestUri} (tag v1), from UserParameters.image`);
    expect(lines.slice(-3)).toEqual([
      "Offending findings, worst first:",
      "- CRITICAL CVE-2023-4863 in libwebp7 1.2.4-0.1, score 8.8",
      "- CRITICAL CVE-2024-6387 in openssh-server 1:9.2p1-2, score 8.1",
    ]);
  });

  it("passes the fixed image, naming its digest and counts", async () => {
    const image = await imageWith({
      findings: [
        basicFinding("CVE-2023-44487", "HIGH", { name: "nghttp2", version: "1.52.0-1", score: 7.5 }),
      ],
    });
    const result = await gate({ image: { repository: image.repository, tag: "v1" } });
    expect(result.operation).toBe("PutJobSuccessResult");
    expect(result.summary.split("\n")[0]).toBe(
      `Passed: ${short(image)} has no findings over policy (fail on CRITICAL or above)`,
    );
    expect(result.summary).toContain(`Image: ${image.digestUri} (tag v1), from UserParameters.image`);
    expect(result.summary).toContain("Findings: 1 HIGH");
  });

  it("checks the image named by the ECR source action's imageDetail.json (enhanced scan, budget)", async () => {
    const image = await imageWith({
      enhancedFindings: [
        enhancedFinding("CVE-2024-2511", "HIGH", {
          name: "openssl",
          version: "3.0.11",
          fixedInVersion: "3.0.14",
          score: 7.5,
        }),
        enhancedFinding("CVE-2024-5535", "HIGH", { name: "openssl", version: "3.0.11", score: 7.1 }),
        enhancedFinding("CVE-2023-5678", "MEDIUM", {
          name: "openssl",
          version: "3.0.11",
          fixedInVersion: "3.0.13",
        }),
      ],
    });
    const imageDetail = JSON.stringify({
      ImageSizeInBytes: "2814446",
      ImageDigest: image.digest,
      Version: "1.0",
      ImagePushedAt: "Mon Jun 16 10:00:00 UTC 2025",
      RegistryId: image.registryId,
      RepositoryName: image.repository,
      ImageURI: image.digestUri,
      ImageTags: ["v1"],
    });
    const result = await gate(
      { failOnSeverity: "NONE", maxFindings: { HIGH: 1 } },
      { "imageDetail.json": imageDetail },
    );
    expect(result.type).toBe("JobFailed");
    expect(result.message?.split("\n")[0]).toBe(
      `Finding budget exceeded: ${short(image)} has 2 HIGH (max 1)`,
    );
    expect(result.message).toContain('from imageDetail.json in input artifact "BuildArtifact"');
    expect(result.message).toContain("Scan: enhanced (ACTIVE)");
    expect(result.message).toContain("- HIGH CVE-2024-2511 in openssl 3.0.11 (fixed in 3.0.14), score 7.5");
    expect(result.message).toContain("- HIGH CVE-2024-5535 in openssl 3.0.11, score 7.1, no fix yet");
  });

  it("checks every container in imagedefinitions.json and names each failing image", async () => {
    const web = await imageWith({
      findings: [basicFinding("CVE-2024-0001", "CRITICAL", { name: "glibc", version: "2.36" })],
    });
    const worker = await imageWith({
      status: "FAILED",
      description: "UnsupportedImageError: The operating system is not supported",
    });
    const api = await imageWith({ findings: [] });
    const definitions = JSON.stringify([
      { name: "web", imageUri: web.tagUri },
      { name: "worker", imageUri: worker.tagUri },
      { name: "api", imageUri: api.digestUri },
    ]);
    const result = await gate({}, { "imagedefinitions.json": definitions });
    expect(result.type).toBe("JobFailed");
    const message = result.message ?? "";
    expect(message.split("\n")[0]).toBe(
      `2 of 3 images failed the ECR findings check: ${short(web)} (Critical findings detected), ${short(worker)} (scan FAILED)`,
    );
    expect(message).toContain(
      `Scan FAILED for ${short(worker)}: UnsupportedImageError: The operating system is not supported`,
    );
    expect(message).toContain(`Passed: ${short(api)} from container "api" in imagedefinitions.json`);

    const narrowed = await gate({ containers: ["api"] }, { "imagedefinitions.json": definitions });
    expect(narrowed.operation).toBe("PutJobSuccessResult");
  });

  it("applies an exception until it expires, and says when one has expired", async () => {
    const findings = [basicFinding("CVE-2024-0001", "CRITICAL", { name: "glibc", version: "2.36" })];
    const active = await imageWith({ findings });
    const passing = await gate({
      image: active.digestUri,
      ignore: [
        {
          id: "CVE-2024-0001",
          package: "glibc",
          reason: "not reachable: no setuid binaries",
          expires: "2999-12-31",
        },
      ],
    });
    expect(passing.operation).toBe("PutJobSuccessResult");
    expect(passing.summary).toContain(
      "- CVE-2024-0001 (glibc): not reachable: no setuid binaries (until 2999-12-31)",
    );

    const expired = await imageWith({ findings });
    const failing = await gate({
      image: expired.digestUri,
      ignore: [{ id: "CVE-2024-0001", reason: "vendor fix pending", expires: "2020-01-31" }],
    });
    expect(failing.type).toBe("JobFailed");
    expect(failing.message).toContain(
      "Expired exception: CVE-2024-0001 ended 2020-01-31 and no longer applies (1 finding counted again; it said: vendor fix pending)",
    );
  });

  it("reports a scan still IN_PROGRESS after waitForScanSeconds", async () => {
    const image = await imageWith({ status: "IN_PROGRESS", description: "The scan is in progress." });
    const result = await gate({ image: image.tagUri, waitForScanSeconds: 2 });
    expect(result.type).toBe("JobFailed");
    expect(result.message).toMatch(
      new RegExp(
        `^Scan still IN_PROGRESS after \\d+s for ${short(image).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
      ),
    );
    expect(result.message).toContain("Raise waitForScanSeconds (now 2)");
  });

  it("fails at once, naming the fix, when basic scanning will never scan the image", async () => {
    const image = await imageWith(undefined, { scanned: false });
    const result = await gate({ image: image.tagUri, waitForScanSeconds: 600 });
    expect(result.type).toBe("JobFailed");
    expect(result.message?.split("\n")[0]).toBe(
      `No scan will come for ${short(image)}: the registry uses basic scanning, repository "${image.repository}" does not scan on push, and no scan was started`,
    );
    expect(result.message).toContain(
      `aws ecr start-image-scan --repository-name ${image.repository} --image-id imageDigest=${image.digest}`,
    );
  });

  describe("scan coverage read from moto's registry scanning configuration (us-west-2, this file's own)", () => {
    const region = "us-west-2";
    const registry = (scanType: "BASIC" | "ENHANCED", scanFrequency: string, filter: string) =>
      ecrWest.send(
        new PutRegistryScanningConfigurationCommand({
          scanType,
          rules: [
            {
              scanFrequency: scanFrequency as "SCAN_ON_PUSH",
              repositoryFilters: [{ filter, filterType: "WILDCARD" }],
            },
          ],
        }),
      );
    let ecrWest: ECRClient;
    beforeAll(() => {
      ecrWest = ecrClientFor(aws.moto, region);
    });

    it("fails at once when enhanced scanning's filters do not match the repository", async () => {
      await registry("ENHANCED", "CONTINUOUS_SCAN", "some-other-team-*");
      const image = await seedImage(ecrWest, { repository: uniqueRepositoryName("unfiltered"), scan: false });
      const result = await gate({ image: image.tagUri, waitForScanSeconds: 600 });
      expect(result.message?.split("\n")[0]).toBe(
        `No scan will come for ${short(image)}: the registry uses enhanced scanning (Amazon Inspector) and no scanning rule's filter matches repository "${image.repository}"`,
      );
      expect(result.message).toContain(
        `aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules '[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"${image.repository}","filterType":"WILDCARD"}]}]' --region us-west-2`,
      );
    });

    it("waits for the scan when the repository scans on push", async () => {
      const repository = uniqueRepositoryName("on-push");
      await registry("BASIC", "SCAN_ON_PUSH", repository);
      const image = await seedImage(ecrWest, { repository, scan: false });
      const result = await gate({ image: image.tagUri, waitForScanSeconds: 2 });
      expect(result.message?.split("\n")[0]).toMatch(/^Scan still not started after \d+s for /);
      expect(result.message).toContain("Raise waitForScanSeconds (now 2)");
    });
  });

  describe("baseline: an ECS service in moto runs the production image", () => {
    const old = [
      basicFinding("CVE-2023-0001", "CRITICAL", { name: "openssl", version: "3.0.1", score: 9.8 }),
      basicFinding("CVE-2023-0002", "CRITICAL", { name: "glibc", version: "2.36", score: 9.1 }),
    ];
    const fresh = basicFinding("CVE-2025-0001", "CRITICAL", { name: "zlib", version: "1.3", score: 9.8 });
    let cluster: string;
    let repository: string;
    let prodUri: string;
    beforeAll(async () => {
      repository = uniqueRepositoryName("baseline");
      const prod = await imageWith({ findings: old }, { repository, tag: "prod" });
      prodUri = prod.digestUri;
      const ecs = new ECSClient({ region: "us-east-1", endpoint: aws.moto });
      cluster = uniqueRepositoryName("prod");
      await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
      const definition = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: repository,
          containerDefinitions: [{ name: "web", image: prod.digestUri, memory: 512 }],
        }),
      );
      await ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: "web",
          taskDefinition: definition.taskDefinition?.taskDefinitionArn,
          desiredCount: 1,
        }),
      );
    });

    it("fails only on the new critical, listing the inherited ones apart", async () => {
      const next = await imageWith({ findings: [...old, fresh] }, { repository, tag: "v2" });
      const result = await gate({
        image: next.tagUri,
        baseline: { ecsService: { cluster, service: "web" } },
      });
      expect(result.type).toBe("JobFailed");
      expect(result.message?.split("\n")[0]).toBe(
        `Critical findings detected: ${short(next)} has 1 new CRITICAL (not in the baseline), 2 inherited (policy: fail on CRITICAL or above)`,
      );
      expect(result.message).toContain(
        `Baseline: ${prodUri}, from ECS service "web" in cluster "${cluster}", container "web" of ${repository}:1`,
      );
      expect(result.message).toContain("- CRITICAL CVE-2025-0001 in zlib 1.3, score 9.8");
    });

    it("passes an image whose criticals are all inherited", async () => {
      const same = await imageWith({ findings: old }, { repository, tag: "v3" });
      const result = await gate({
        image: same.tagUri,
        baseline: { ecsService: { cluster, service: "web" } },
      });
      expect(result.operation).toBe("PutJobSuccessResult");
      expect(result.summary.split("\n")[0]).toContain("has no new findings over policy");
      expect(result.summary.split("\n")[0]).toContain("2 inherited from the baseline");
    });

    it("fails, saying why, when the baseline service does not exist", async () => {
      const image = await imageWith({ findings: [] }, { repository, tag: "v4" });
      const result = await gate({
        image: image.tagUri,
        baseline: { ecsService: { cluster, service: "gone" } },
      });
      expect(result.type).toBe("JobFailed");
      expect(result.message).toMatch(
        /^Baseline unreadable: ECS service "gone" in cluster ".*": ECS says MISSING/,
      );
    });
  });

  it("attributes findings to the base image from its manifest's layers (BatchGetImage)", async () => {
    const baseLayer = layerDigest(`base-${Date.now()}`);
    const appLayer = layerDigest(`app-${Date.now()}`);
    const base = await seedImage(ecr, {
      repository: uniqueRepositoryName("base"),
      tag: "22",
      layers: [baseLayer],
      scan: false,
    });
    const app = await imageWith(
      {
        enhancedFindings: [
          enhancedFinding("CVE-2024-1111", "CRITICAL", {
            name: "openssl",
            version: "3.0.1",
            layer: baseLayer,
          }),
          enhancedFinding("CVE-2024-2222", "CRITICAL", {
            name: "express",
            version: "4.17.1",
            layer: appLayer,
          }),
        ],
      },
      { layers: [baseLayer, appLayer] },
    );
    const counted = await gate({ image: app.tagUri, baseImage: base.tagUri });
    expect(counted.message?.split("\n")[0]).toBe(
      `Critical findings detected: ${short(app)} has 2 CRITICAL (policy: fail on CRITICAL or above)`,
    );
    expect(counted.message).toContain(
      `Base image: ${base.digestUri} (tag 22), 1 layer: 1 of 2 findings from it`,
    );
    expect(counted.message).toContain(
      "- CRITICAL CVE-2024-1111 in openssl 3.0.1, score 5, no fix yet, no known exploit, from the base image",
    );

    const left = await gate({ image: app.tagUri, baseImage: base.tagUri, countBaseImageFindings: false });
    expect(left.message?.split("\n")[0]).toBe(
      `Critical findings detected: ${short(app)} has 1 CRITICAL (policy: fail on CRITICAL or above)`,
    );
    expect(left.message).toContain("Not counted: 1 from the base image");
  });

  it("fails clearly on a missing repository or tag", async () => {
    const missingRepo = uniqueRepositoryName("missing");
    const repo = await gate({ image: { repository: missingRepo, tag: "v1" } });
    expect(repo.type).toBe("JobFailed");
    expect(repo.message?.split("\n")[0]).toBe(
      `Repository not found: ${missingRepo}:v1: no repository "${missingRepo}" in region us-east-1`,
    );
    const image = await imageWith({ findings: [] });
    const tag = await gate({ image: { repository: image.repository, tag: "v2" } });
    expect(tag.message?.split("\n")[0]).toBe(
      `Image not found: ${image.repository}:v2: repository "${image.repository}" (region us-east-1) has no image with tag "v2"`,
    );
  });

  it("evaluates moto's own default finding (one HIGH) when nothing was injected", async () => {
    const image = await imageWith();
    const result = await gate({ image: image.tagUri, failOnSeverity: "high" });
    expect(result.type).toBe("JobFailed");
    expect(result.message?.split("\n")[0]).toBe(
      `High findings detected: ${short(image)} has 1 HIGH (policy: fail on HIGH or above)`,
    );
    expect(result.message).toContain("- HIGH CVE-9999-9999 in moto_fake 9.9.9, score 7.5");
  });

  it("says where it looked when the artifact names no image", async () => {
    const result = await gate({}, { "README.md": "hello" });
    expect(result.type).toBe("ConfigurationError");
    expect(result.message).toContain(
      "has neither imageDetail.json nor imagedefinitions.json at its root. It holds README.md.",
    );
  });
});
