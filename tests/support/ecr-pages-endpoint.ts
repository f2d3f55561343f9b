import { jsonErrorReply, startJsonStub } from "../../local/json-stub.js";

/**
 * A stand-in for ECR and Amazon Inspector that serves one image's findings in pages of
 * `pageSize`, with nextToken, over HTTP: moto serves findings in one page, so paging is proven
 * here, on the wire. It speaks ECR's JSON 1.1 protocol (DescribeImages,
 * DescribeImageScanFindings) and Inspector's REST-JSON ListFindings (POST /findings/list), and
 * records every request body.
 */
export interface PagedImage {
  repository: string;
  digest: string;
  registryId: string;
  /** ECR's findings (basic) or enhancedFindings (enhanced), served in pages. */
  findings: unknown[];
  enhanced: boolean;
  /** Inspector findings for ListFindings, served in pages. */
  inspectorFindings?: unknown[];
}

export interface RecordedCall {
  operation: string;
  body: Record<string, unknown>;
}

/** "page-2" → 2; no token → 0. */
const pageIndex = (token: unknown): number =>
  typeof token === "string" && token.startsWith("page-") ? Number(token.slice(5)) : 0;

const slice = (items: unknown[], token: unknown, pageSize: number) => {
  const index = pageIndex(token);
  const page = items.slice(index * pageSize, (index + 1) * pageSize);
  const more = (index + 1) * pageSize < items.length;
  return { page, ...(more ? { nextToken: `page-${index + 1}` } : {}) };
};

/** Serves the images (by repository name) until stopped. */
export const startEcrPagesEndpoint = async (images: readonly PagedImage[], pageSize: number) => {
  const calls: RecordedCall[] = [];
  const stub = await startJsonStub((request) => {
    const body = request.body ?? {};
    const named = (repository: unknown) => images.find((i) => i.repository === repository);
    if (request.url === "/findings/list") {
      calls.push({ operation: "inspector2:ListFindings", body });
      const filter = body.filterCriteria as { ecrImageRepositoryName?: Array<{ value: string }> } | undefined;
      const image = named(filter?.ecrImageRepositoryName?.[0]?.value);
      const { page, nextToken } = slice(image?.inspectorFindings ?? [], body.nextToken, pageSize);
      return {
        status: 200,
        payload: { findings: page, ...(nextToken ? { nextToken } : {}) },
        contentType: "application/json",
      };
    }
    const { operation } = request;
    calls.push({ operation: `ecr:${operation}`, body });
    const image = named(body.repositoryName);
    if (!image) {
      return jsonErrorReply(
        400,
        "RepositoryNotFoundException",
        `no repository ${String(body.repositoryName)}`,
      );
    }
    if (operation === "DescribeImages") {
      return {
        status: 200,
        payload: {
          imageDetails: [
            { registryId: image.registryId, repositoryName: image.repository, imageDigest: image.digest },
          ],
        },
      };
    }
    if (operation === "DescribeImageScanFindings") {
      const { page, nextToken } = slice(image.findings, body.nextToken, pageSize);
      return {
        status: 200,
        payload: {
          registryId: image.registryId,
          repositoryName: image.repository,
          imageId: { imageDigest: image.digest },
          imageScanStatus: image.enhanced
            ? { status: "ACTIVE", description: "Continuous scan is selected for image." }
            : { status: "COMPLETE", description: "The scan was completed successfully." },
          imageScanFindings: {
            imageScanCompletedAt: Math.floor(Date.now() / 1000) - 60,
            ...(image.enhanced ? { enhancedFindings: page } : { findings: page }),
          },
          ...(nextToken ? { nextToken } : {}),
        },
      };
    }
    return jsonErrorReply(400, "InvalidParameterException", `not served here: ${operation}`);
  });
  return { endpoint: stub.endpoint, calls, stop: stub.stop };
};
