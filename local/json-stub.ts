import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The one small HTTP server our local AWS stand-ins are built on (the CodePipeline/SSM endpoint,
 * the ECR/Inspector pages endpoint, the fault stub in front of moto): it reads the request, parses
 * what the AWS JSON protocols send, and writes the answer.
 */

/** Reads a request's whole body. */
export const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** A request as a JSON-protocol stand-in sees it. */
export interface JsonRequest {
  method: string;
  /** Path and query, e.g. /findings/list (REST-JSON) or / (JSON 1.1). */
  url: string;
  /** X-Amz-Target of the JSON 1.1 protocol, e.g. CodePipeline_20150709.PutJobSuccessResult ("" otherwise). */
  target: string;
  /** The operation named by `target` (after its dot). */
  operation: string;
  /** The body parsed as a JSON object; undefined when it is not one (an empty body is {}). */
  body: Record<string, unknown> | undefined;
  /** The SDK signed the call (an Authorization header was present). */
  signed: boolean;
}

export interface JsonReply {
  status: number;
  payload: unknown;
  /** Default application/x-amz-json-1.1. */
  contentType?: string;
}

/** An AWS JSON-protocol error reply (`{"__type", "message"}`). */
export const jsonErrorReply = (status: number, type: string, message: string): JsonReply => ({
  status,
  payload: { __type: type, message },
});

const parseObject = (text: string): Record<string, unknown> | undefined => {
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

export interface JsonStub {
  endpoint: string;
  stop(): Promise<void>;
}

/** Serves `answer` on a loopback port (a free one unless given) until stopped. */
export const startJsonStub = async (
  answer: (request: JsonRequest) => JsonReply | Promise<JsonReply>,
  options: { port?: number } = {},
): Promise<JsonStub> => {
  const server: Server = createServer(async (request, response) => {
    const target = String(request.headers["x-amz-target"] ?? "");
    const reply = await answer({
      method: request.method ?? "GET",
      url: request.url ?? "/",
      target,
      operation: target.split(".")[1] ?? "",
      body: parseObject((await readBody(request)).toString("utf8")),
      signed: typeof request.headers.authorization === "string",
    });
    response.writeHead(reply.status, { "content-type": reply.contentType ?? "application/x-amz-json-1.1" });
    response.end(JSON.stringify(reply.payload));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
