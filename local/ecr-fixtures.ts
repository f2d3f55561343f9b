/**
 * Seeds ECR in moto_server: a repository, an image (by manifest), a scan, and injected scan
 * results. Independent of the functions' code, so the local runner and demo can use it too.
 *
 * moto 5.2.1 behaviour this relies on (measured):
 * - DescribeImageScanFindings raises ScanNotFoundException until StartImageScan ran for the image,
 *   whatever was injected. StartImageScan works once per image (again → LimitExceededException).
 * - Injected results are queued per image (matched on repositoryName and imageId tag/digest) on the
 *   next DescribeImageScanFindings for that image; each distinct request imageId (the exact JSON
 *   of {imageDigest} or {imageTag}) takes the next queued result and keeps it for good. nextToken
 *   is ignored. Without injected results moto returns one fake HIGH finding (CVE-9999-9999).
 * - An injected result without "repositoryName" and "imageId" breaks every later call in moto
 *   (KeyError → HTTP 500): always give both, as these helpers do.
 */
import { createHash } from "node:crypto";
import {
  CreateRepositoryCommand,
  ECRClient,
  PutImageCommand,
  StartImageScanCommand,
} from "@aws-sdk/client-ecr";
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";

export interface SeededImage {
  repository: string;
  registryId: string;
  region: string;
  digest: string;
  tag: string;
  /** ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo:tag */
  tagUri: string;
  /** ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo@sha256:… */
  digestUri: string;
}

export const ecrClientFor = (endpoint: string, region = "us-east-1") =>
  new ECRClient({ region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });

let counter = 0;
/** A repository name no other test (file or run) uses: injected results stick per repository and image. */
export const uniqueRepositoryName = (prefix = "gate"): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`.toLowerCase();

/** A layer digest derived from a name, for manifests and findings' sourceLayerHash. */
export const layerDigest = (seed: string): string =>
  `sha256:${createHash("sha256").update(seed).digest("hex")}`;

/**
 * A docker manifest v2 whose digest differs per `seed` (moto derives the image digest from it),
 * with one layer from the seed, or the given layers (an image built on a base shares its layers).
 */
export const imageManifest = (seed: string, layers: readonly string[] = [layerDigest(seed)]): string =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config: {
      mediaType: "application/vnd.docker.container.image.v1+json",
      size: 1469,
      digest: layerDigest(seed),
    },
    layers: layers.map((digest) => ({
      mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
      size: 2_814_446,
      digest,
    })),
  });

/** Creates the repository (if new) and pushes an image with `tag`; optionally starts its scan. */
export const seedImage = async (
  ecr: ECRClient,
  options: { repository: string; tag?: string; seed?: string; scan?: boolean; layers?: readonly string[] },
): Promise<SeededImage> => {
  const tag = options.tag ?? "v1";
  const region = await ecr.config.region();
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: options.repository }));
  } catch (error) {
    if ((error as { name?: string }).name !== "RepositoryAlreadyExistsException") throw error;
  }
  const put = await ecr.send(
    new PutImageCommand({
      repositoryName: options.repository,
      imageTag: tag,
      imageManifest: imageManifest(options.seed ?? `${options.repository}:${tag}`, options.layers),
    }),
  );
  const digest = put.image?.imageId?.imageDigest;
  const registryId = put.image?.registryId;
  if (!digest || !registryId) throw new Error("moto PutImage returned no digest");
  if (options.scan ?? true) {
    await ecr.send(
      new StartImageScanCommand({ repositoryName: options.repository, imageId: { imageDigest: digest } }),
    );
  }
  const host = `${registryId}.dkr.ecr.${region}.amazonaws.com`;
  return {
    repository: options.repository,
    registryId,
    region,
    digest,
    tag,
    tagUri: `${host}/${options.repository}:${tag}`,
    digestUri: `${host}/${options.repository}@${digest}`,
  };
};

/** A finding as a basic scan reports it. */
export const basicFinding = (
  id: string,
  severity: string,
  pkg?: { name: string; version?: string; score?: number },
) => ({
  name: id,
  uri: `https://nvd.nist.gov/vuln/detail/${id}`,
  severity,
  attributes: [
    ...(pkg ? [{ key: "package_name", value: pkg.name }] : []),
    ...(pkg?.version ? [{ key: "package_version", value: pkg.version }] : []),
    ...(pkg?.score !== undefined ? [{ key: "CVSS3_SCORE", value: String(pkg.score) }] : []),
  ],
});

/** A finding as enhanced (Inspector) scanning reports it. */
export const enhancedFinding = (
  id: string,
  severity: string,
  pkg: {
    name: string;
    version: string;
    fixedInVersion?: string;
    score?: number;
    exploit?: boolean;
    /** The digest of the layer the package comes from. */
    layer?: string;
  },
) => ({
  findingArn: `arn:aws:inspector2:us-east-1:123456789012:finding/${id.toLowerCase()}`,
  title: `${id} - ${pkg.name}`,
  severity,
  status: "ACTIVE",
  type: "PACKAGE_VULNERABILITY",
  score: pkg.score ?? 5,
  fixAvailable: pkg.fixedInVersion ? "YES" : "NO",
  exploitAvailable: pkg.exploit ? "YES" : "NO",
  packageVulnerabilityDetails: {
    vulnerabilityId: id,
    source: "NVD",
    vulnerablePackages: [
      {
        name: pkg.name,
        version: pkg.version,
        fixedInVersion: pkg.fixedInVersion ?? "NotAvailable",
        packageManager: "OS",
        ...(pkg.layer ? { sourceLayerHash: pkg.layer } : {}),
      },
    ],
  },
});

export interface ScanResultOptions {
  status?: string;
  description?: string;
  findings?: unknown[];
  enhancedFindings?: unknown[];
  /** Seconds since the epoch; default now. */
  completedAt?: number;
}

/** A full DescribeImageScanFindings response for an image. */
export const scanResult = (image: SeededImage, options: ScanResultOptions = {}) => {
  const status = options.status ?? (options.enhancedFindings ? "ACTIVE" : "COMPLETE");
  const finished = status === "COMPLETE" || status === "ACTIVE";
  const all = [...(options.findings ?? []), ...(options.enhancedFindings ?? [])] as Array<{
    severity: string;
  }>;
  const counts: Record<string, number> = {};
  for (const f of all) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return {
    registryId: image.registryId,
    repositoryName: image.repository,
    imageId: { imageDigest: image.digest },
    imageScanStatus: {
      status,
      description: options.description ?? (finished ? "The scan was completed successfully." : status),
    },
    ...(finished
      ? {
          imageScanFindings: {
            imageScanCompletedAt: options.completedAt ?? Math.floor(Date.now() / 1000),
            vulnerabilitySourceUpdatedAt: options.completedAt ?? Math.floor(Date.now() / 1000),
            findingSeverityCounts: counts,
            ...(options.enhancedFindings
              ? { enhancedFindings: options.enhancedFindings }
              : { findings: options.findings ?? [] }),
          },
        }
      : {}),
  };
};

/** Queues scan results in moto (see the notes at the top: each result needs repositoryName and imageId). */
export const injectScanResults = async (
  endpoint: string,
  results: ReadonlyArray<ReturnType<typeof scanResult>>,
  region = "us-east-1",
): Promise<void> => {
  const response = await fetch(`${endpoint}/moto-api/static/ecr/scan-finding-results`, {
    method: "POST",
    body: JSON.stringify({ region, results }),
  });
  if (!response.ok) throw new Error(`moto refused the scan results: HTTP ${response.status}`);
};

/** Queues Inspector ListFindings results in moto: each distinct request takes the next one and keeps it. */
const injectInspectorFindings = async (
  endpoint: string,
  results: ReadonlyArray<readonly unknown[]>,
  region = "us-east-1",
): Promise<void> => {
  const response = await fetch(`${endpoint}/moto-api/static/inspector2/findings-results`, {
    method: "POST",
    body: JSON.stringify({ region, results }),
  });
  if (!response.ok) throw new Error(`moto refused the Inspector findings: HTTP ${response.status}`);
};

/** The ECR state the sample events in events/ecr-findings-check/ expect (see the README). */
export const DEMO_ARTIFACT_BUCKET = "codepipeline-demo-artifacts";

/**
 * Seeds moto for the sample events: demo-app:v1 with two CRITICAL findings (the blog's scenario),
 * demo-app:v2 (the fixed build) with one HIGH and two MEDIUM, demo-worker:v1 with an enhanced
 * scan. Run it on a fresh moto (or after /moto-api/reset): scans start once per image.
 * Returns the images and the artifact files to upload (key → files in the zip).
 */
export const seedEcrDemo = async (endpoint: string, region = "us-east-1") => {
  const ecr = ecrClientFor(endpoint, region);
  const v1 = await seedImage(ecr, { repository: "demo-app", tag: "v1" });
  const v2 = await seedImage(ecr, { repository: "demo-app", tag: "v2" });
  const worker = await seedImage(ecr, { repository: "demo-worker", tag: "v1" });
  const completedAt = Math.floor(Date.now() / 1000) - 3600;
  await injectScanResults(
    endpoint,
    [
      scanResult(v1, { completedAt, findings: V1_FINDINGS }),
      scanResult(v2, {
        completedAt,
        findings: [
          basicFinding("CVE-2023-44487", "HIGH", { name: "nghttp2", version: "1.52.0-1", score: 7.5 }),
          basicFinding("CVE-2023-5678", "MEDIUM", { name: "openssl", version: "3.0.11", score: 5.3 }),
          basicFinding("CVE-2024-0727", "MEDIUM", { name: "openssl", version: "3.0.11", score: 5.5 }),
        ],
      }),
      scanResult(worker, {
        completedAt,
        enhancedFindings: [
          enhancedFinding("CVE-2024-2511", "HIGH", {
            name: "openssl",
            version: "3.0.11",
            fixedInVersion: "3.0.14",
            score: 7.5,
          }),
          enhancedFinding("CVE-2024-5535", "MEDIUM", { name: "openssl", version: "3.0.11", score: 5.9 }),
        ],
      }),
    ],
    region,
  );
  const extra = await seedIssue14Demo(endpoint, region, completedAt);
  const artifacts: Record<string, Record<string, string>> = {
    "demo-pipeline/BuildArtif/ecr-imagedetail": {
      "imageDetail.json": JSON.stringify({
        ImageSizeInBytes: "2814446",
        ImageDigest: v2.digest,
        Version: "1.0",
        ImagePushedAt: "Mon Jun 16 10:00:00 UTC 2025",
        RegistryId: v2.registryId,
        RepositoryName: v2.repository,
        ImageURI: v2.digestUri,
        ImageTags: ["v2"],
      }),
    },
    "demo-pipeline/BuildArtif/ecr-imagedefs": {
      "imagedefinitions.json": JSON.stringify([
        { name: "web", imageUri: v1.tagUri },
        { name: "worker", imageUri: worker.tagUri },
      ]),
    },
  };
  return { images: { v1, v2, worker, ...extra }, artifacts };
};

const V1_FINDINGS = [
  basicFinding("CVE-2024-6387", "CRITICAL", { name: "openssh-server", version: "1:9.2p1-2", score: 8.1 }),
  basicFinding("CVE-2023-4863", "CRITICAL", { name: "libwebp7", version: "1.2.4-0.1", score: 8.8 }),
  basicFinding("CVE-2023-44487", "HIGH", { name: "nghttp2", version: "1.52.0-1", score: 7.5 }),
  basicFinding("CVE-2023-5678", "MEDIUM", { name: "openssl", version: "3.0.11", score: 5.3 }),
];

/**
 * The images behind the issue-14 sample events: demo-app:v1 runs in production as ECS service
 * "demo-app" in cluster "demo-prod" (the baseline); demo-app:v3 adds one new CRITICAL and
 * demo-app:v4 only rebuilds v1; demo-api:v1 has enhanced findings with EPSS in Inspector and a
 * base image (demo-base:bookworm); demo-unscanned:v1 was pushed to a repository that is never
 * scanned.
 */
const seedIssue14Demo = async (endpoint: string, region: string, completedAt: number) => {
  const ecr = ecrClientFor(endpoint, region);
  const v3 = await seedImage(ecr, { repository: "demo-app", tag: "v3" });
  const v4 = await seedImage(ecr, { repository: "demo-app", tag: "v4" });
  const baseLayer = layerDigest("demo-base:bookworm");
  const appLayer = layerDigest("demo-api:v1");
  const base = await seedImage(ecr, {
    repository: "demo-base",
    tag: "bookworm",
    layers: [baseLayer],
    scan: false,
  });
  const api = await seedImage(ecr, { repository: "demo-api", tag: "v1", layers: [baseLayer, appLayer] });
  const unscanned = await seedImage(ecr, { repository: "demo-unscanned", tag: "v1", scan: false });
  await injectScanResults(
    endpoint,
    [
      scanResult(v3, {
        completedAt,
        findings: [
          ...V1_FINDINGS,
          basicFinding("CVE-2025-32433", "CRITICAL", { name: "erlang-ssh", version: "25.2.3", score: 10 }),
        ],
      }),
      scanResult(v4, { completedAt, findings: V1_FINDINGS }),
      scanResult(api, {
        completedAt,
        enhancedFindings: [
          enhancedFinding("CVE-2024-3094", "CRITICAL", {
            name: "xz-utils",
            version: "5.6.0",
            fixedInVersion: "5.6.1",
            score: 10,
            exploit: true,
            layer: baseLayer,
          }),
          enhancedFinding("CVE-2024-45490", "CRITICAL", {
            name: "libexpat1",
            version: "2.5.0",
            fixedInVersion: "2.6.3",
            score: 9.8,
            layer: baseLayer,
          }),
          enhancedFinding("CVE-2024-21538", "HIGH", {
            name: "cross-spawn",
            version: "7.0.3",
            fixedInVersion: "7.0.5",
            score: 7.5,
            exploit: true,
            layer: appLayer,
          }),
          enhancedFinding("CVE-2024-4068", "HIGH", {
            name: "braces",
            version: "3.0.2",
            fixedInVersion: "3.0.3",
            score: 7.5,
            layer: appLayer,
          }),
        ],
      }),
    ],
    region,
  );
  // EPSS as Amazon Inspector reports it for demo-api:v1's findings (one ListFindings result).
  await injectInspectorFindings(
    endpoint,
    [
      [
        ["CVE-2024-3094", 0.8612],
        ["CVE-2024-45490", 0.0041],
        ["CVE-2024-21538", 0.0009],
        ["CVE-2024-4068", 0.0006],
      ].map(([id, epss]) => ({
        findingArn: `arn:aws:inspector2:${region}:${api.registryId}:finding/${String(id).toLowerCase()}`,
        awsAccountId: api.registryId,
        type: "PACKAGE_VULNERABILITY",
        status: "ACTIVE",
        packageVulnerabilityDetails: { vulnerabilityId: id, source: "NVD" },
        epss: { score: epss },
      })),
    ],
    region,
  );
  const ecs = new ECSClient({
    region,
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  await ecs.send(new CreateClusterCommand({ clusterName: "demo-prod" }));
  const definition = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: "demo-app",
      containerDefinitions: [
        { name: "web", image: `${v3.registryId}.dkr.ecr.${region}.amazonaws.com/demo-app:v1`, memory: 512 },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: "demo-prod",
      serviceName: "demo-app",
      taskDefinition: definition.taskDefinition?.taskDefinitionArn,
      desiredCount: 2,
    }),
  );
  return { v3, v4, base, api, unscanned };
};
