/**
 * The layers of the base image (`baseImage`), from its manifest: enhanced findings whose package
 * comes from one of these layers (sourceLayerHash) are "from the base image". A multi-platform
 * index contributes the layers of every platform's manifest.
 */
import { BatchGetImageCommand, type ImageIdentifier } from "@aws-sdk/client-ecr";
import { awsFailure, awsRegion, jobFailed } from "../../shared/index.js";
import { accessDenied } from "./access.js";
import { ecrClient } from "./clients.js";
import type { Finding } from "./findings.js";
import { type ImageRef, shortName } from "./image-ref.js";

const SINGLE = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
];
const INDEX = [
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
];

export interface BaseImage {
  ref: ImageRef;
  /** Layer digests, lower case without "sha256:". */
  layers: ReadonlySet<string>;
}

const layerKey = (digest: string): string =>
  digest
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, "");

type Loose = Record<string, unknown>;
const parseManifest = (text: string | undefined, what: string): Loose => {
  try {
    const value: unknown = JSON.parse(text ?? "");
    if (typeof value === "object" && value !== null) return value as Loose;
  } catch {
    // reported below
  }
  throw jobFailed(`Base image unreadable: ECR returned no readable manifest for ${what}.`);
};

const digestsOf = (list: unknown): string[] =>
  Array.isArray(list)
    ? list.flatMap((entry) =>
        typeof entry === "object" && entry !== null && typeof (entry as Loose).digest === "string"
          ? [(entry as Loose).digest as string]
          : [],
      )
    : [];

/** Reads the base image's manifest (and, for an index, its platforms' manifests) with BatchGetImage. */
export const readBaseImage = async (ref: ImageRef, signal: AbortSignal): Promise<BaseImage> => {
  const region = ref.region ?? awsRegion();
  const client = ecrClient(region);
  const what = shortName(ref);
  const get = async (imageIds: ImageIdentifier[]) => {
    try {
      const response = await client.send(
        new BatchGetImageCommand({
          repositoryName: ref.repository,
          imageIds,
          acceptedMediaTypes: [...SINGLE, ...INDEX],
          ...(ref.registryId ? { registryId: ref.registryId } : {}),
        }),
        { abortSignal: signal },
      );
      const failure = response.failures?.[0];
      if (failure || !response.images?.length) {
        throw jobFailed(
          `Base image unreadable: ${what}: ${
            failure
              ? `${failure.failureCode ?? "failure"}: ${failure.failureReason ?? ""}`.trim()
              : "ECR returned no image"
          }. Check "baseImage"; without its layers the check cannot tell which findings come from it.`,
        );
      }
      return response.images;
    } catch (error) {
      throw awsFailure(error, {
        "access-denied": () => accessDenied(error, { ...ref, region }, "ecr:BatchGetImage"),
      });
    }
  };
  const [image] = await get([ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag ?? "latest" }]);
  const manifest = parseManifest(image?.imageManifest, what);
  let manifests = [manifest];
  const children = digestsOf(manifest.manifests);
  if (children.length) {
    const platforms = await get(children.map((imageDigest) => ({ imageDigest })));
    manifests = platforms.map((p) => parseManifest(p.imageManifest, what));
  }
  const layers = new Set(manifests.flatMap((m) => digestsOf(m.layers)).map(layerKey));
  if (layers.size === 0) throw jobFailed(`Base image unreadable: the manifest of ${what} lists no layers.`);
  return {
    ref: { ...ref, region, ...(image?.imageId?.imageDigest ? { digest: image.imageId.imageDigest } : {}) },
    layers,
  };
};

/**
 * Marks findings whose every affected package comes from a base-image layer. A finding without
 * layer data (basic scans) is left unmarked: it cannot be shown to come from the base image.
 */
export const markBaseImageFindings = (findings: readonly Finding[], layers: ReadonlySet<string>): Finding[] =>
  findings.map((f) => {
    const hashes = f.packages.map((p) => p.sourceLayerHash);
    const known = hashes.length > 0 && hashes.every((h) => h !== undefined);
    if (!known) return f;
    return { ...f, fromBaseImage: hashes.every((h) => layers.has(layerKey(h as string))) };
  });
