import { BatchGetImageCommand, ECRClient } from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { markBaseImageFindings, readBaseImage } from "../../../functions/ecr-findings-check/base-image.js";
import type { Finding } from "../../../functions/ecr-findings-check/findings.js";
import { RuleError } from "../../../shared/errors.js";

const ecr = mockClient(ECRClient);
const signal = new AbortController().signal;
const layer = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const manifest = (...layers: string[]) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { digest: layer(9) },
    layers: layers.map((digest) => ({ digest })),
  });
const ref = { repository: "base/node", tag: "22", registryId: "123456789012", region: "us-east-1" };

beforeEach(() => ecr.reset());

describe("readBaseImage", () => {
  it("reads the layers of a single-platform manifest, asking for every manifest type", async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [{ imageId: { imageDigest: layer(8) }, imageManifest: manifest(layer(1), layer(2)) }],
    });
    const base = await readBaseImage(ref, signal);
    expect([...base.layers]).toEqual(["1".repeat(64), "2".repeat(64)]);
    expect(base.ref.digest).toBe(layer(8));
    const input = ecr.commandCalls(BatchGetImageCommand)[0]?.args[0].input;
    expect(input?.imageIds).toEqual([{ imageTag: "22" }]);
    expect(input?.registryId).toBe("123456789012");
    expect(input?.acceptedMediaTypes).toContain("application/vnd.oci.image.index.v1+json");
  });

  it("takes every platform's layers from a multi-platform index", async () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{ digest: layer(5) }, { digest: layer(6) }],
    });
    ecr
      .on(BatchGetImageCommand)
      .resolvesOnce({ images: [{ imageManifest: index }] })
      .resolvesOnce({
        images: [{ imageManifest: manifest(layer(1)) }, { imageManifest: manifest(layer(3)) }],
      });
    const base = await readBaseImage(ref, signal);
    expect([...base.layers]).toEqual(["1".repeat(64), "3".repeat(64)]);
    expect(ecr.commandCalls(BatchGetImageCommand)[1]?.args[0].input.imageIds).toEqual([
      { imageDigest: layer(5) },
      { imageDigest: layer(6) },
    ]);
  });

  it("fails, saying why, when ECR cannot return the image", async () => {
    ecr.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [{ failureCode: "ImageNotFound", failureReason: "Requested image not found" }],
    });
    const error = (await readBaseImage(ref, signal).catch((e: unknown) => e)) as RuleError;
    expect(error).toBeInstanceOf(RuleError);
    expect(error.message).toBe(
      'Base image unreadable: base/node:22: ImageNotFound: Requested image not found. Check "baseImage"; without its layers the check cannot tell which findings come from it.',
    );
  });

  it("names ecr:BatchGetImage when access is denied", async () => {
    ecr
      .on(BatchGetImageCommand)
      .rejects(Object.assign(new Error("nope"), { name: "AccessDeniedException", $metadata: {} }));
    const error = (await readBaseImage(ref, signal).catch((e: unknown) => e)) as RuleError;
    expect(error.type).toBe("PermissionError");
    expect(error.message).toContain("Access denied calling ecr:BatchGetImage for base/node:22");
  });
});

describe("markBaseImageFindings", () => {
  const finding = (id: string, ...hashes: Array<string | undefined>): Finding => ({
    id,
    severity: "HIGH",
    packages: hashes.map((sourceLayerHash, i) => ({ name: `p${i}`, sourceLayerHash })),
    source: hashes.length ? "enhanced" : "basic",
  });

  it("marks findings whose every package comes from a base layer; leaves those without layer data unmarked", () => {
    const layers = new Set(["1".repeat(64)]);
    const marked = markBaseImageFindings(
      [
        finding("base", layer(1)),
        finding("app", layer(2)),
        finding("both", layer(1), layer(2)),
        finding("unknown", undefined),
        finding("basic"),
      ],
      layers,
    );
    expect(marked.map((f) => [f.id, f.fromBaseImage])).toEqual([
      ["base", true],
      ["app", false],
      ["both", false],
      ["unknown", undefined],
      ["basic", undefined],
    ]);
  });
});
