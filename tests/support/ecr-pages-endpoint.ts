import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

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

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};

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
  const server = createServer(async (request, response) => {
    const text = await readBody(request);
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const send = (status: number, payload: unknown, type = "application/x-amz-json-1.1") => {
      response.writeHead(status, { "content-type": type });
      response.end(JSON.stringify(payload));
    };
    const named = (repository: unknown) => images.find((i) => i.repository === repository);
    if (request.url === "/findings/list") {
      calls.push({ operation: "inspector2:ListFindings", body });
      const filter = body.filterCriteria as { ecrImageRepositoryName?: Array<{ value: string }> } | undefined;
      const image = named(filter?.ecrImageRepositoryName?.[0]?.value);
      const { page, nextToken } = slice(image?.inspectorFindings ?? [], body.nextToken, pageSize);
      send(200, { findings: page, ...(nextToken ? { nextToken } : {}) }, "application/json");
      return;
    }
    const operation = String(request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    calls.push({ operation: `ecr:${operation}`, body });
    const image = named(body.repositoryName);
    if (!image) {
      send(400, {
        __type: "RepositoryNotFoundException",
        message: `no repository ${String(body.repositoryName)}`,
      });
    } else if (operation === "DescribeImages") {
      send(200, {
        imageDetails: [
          { registryId: image.registryId, repositoryName: image.repository, imageDigest: image.digest },
        ],
      });
    } else if (operation === "DescribeImageScanFindings") {
      const { page, nextToken } = slice(image.findings, body.nextToken, pageSize);
      send(200, {
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
      });
    } else {
      send(400, { __type: "InvalidParameterException", message: `not served here: ${operation}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
