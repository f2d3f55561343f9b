import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "../../local/json-stub.js";

/**
 * A tiny HTTP stand-in in front of moto for what moto cannot do: throttle, fail with 5xx, deny
 * access or hang. Point a service's endpoint variable at it (AWS_ENDPOINT_URL_ECR,
 * AWS_ENDPOINT_URL_S3); every request that no fault matches is passed through to moto unchanged.
 */

/** What a fault sees of a request. */
export interface StubRequest {
  method: string;
  /** Path and query, e.g. /bucket/key?x-id=GetObject */
  url: string;
  /** X-Amz-Target of the JSON protocols, e.g. AmazonEC2ContainerRegistry_V20150921.DescribeImages */
  target: string;
  /** The JSON protocols' request body, parsed (empty for other requests). */
  body: Record<string, unknown>;
  /** The Range header of an S3 GET. */
  range: string | undefined;
}

export type StubAnswer =
  | { status: number; headers?: Record<string, string>; body: string }
  /** Holds the request this long, then passes it on. */
  | { delayMs: number };

export interface StubFault {
  when: (request: StubRequest) => boolean;
  answer: StubAnswer;
  /** Answer this many matching requests, then pass them through again; default every one. */
  times?: number;
}

export interface AwsStub {
  endpoint: string;
  /** Adds a fault; later requests that match get its answer. */
  fault(fault: StubFault): void;
  /** Requests a fault answered or held, in order. */
  answered: StubRequest[];
  clear(): void;
  stop(): Promise<void>;
}

/** An AWS JSON 1.1 protocol error (ECR, SSM, CodePipeline). */
export const jsonError = (type: string, message: string, status = 400): StubAnswer => ({
  status,
  headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type },
  body: JSON.stringify({ __type: type, message }),
});

/** An S3 REST-XML error. */
export const s3Error = (code: string, message: string, status: number): StubAnswer => ({
  status,
  headers: { "content-type": "application/xml" },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>stub</RequestId></Error>`,
});

/** Matches an ECR (or other JSON protocol) operation by name, optionally on a request field. */
export const jsonOperation =
  (operation: string, where: (body: Record<string, unknown>) => boolean = () => true) =>
  (request: StubRequest) =>
    request.target.endsWith(`.${operation}`) && where(request.body);

/** Matches S3 GETs of one bucket; `entriesOnly` leaves the first read (the zip's tail) alone. */
export const s3Get =
  (bucket: string, options: { entriesOnly?: boolean } = {}) =>
  (request: StubRequest) =>
    request.method === "GET" &&
    request.url.startsWith(`/${bucket}/`) &&
    !(options.entriesOnly && request.range?.startsWith("bytes=-"));

export const startAwsStub = async (forwardTo: string): Promise<AwsStub> => {
  const target = new URL(forwardTo);
  const faults: Array<StubFault & { left: number }> = [];
  const answered: StubRequest[] = [];

  const server: Server = createServer(async (request, response) => {
    const raw = await readBody(request);
    const amzTarget = String(request.headers["x-amz-target"] ?? "");
    let body: Record<string, unknown> = {};
    if (amzTarget) {
      try {
        body = JSON.parse(raw.toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        body = {};
      }
    }
    const seen: StubRequest = {
      method: request.method ?? "GET",
      url: request.url ?? "/",
      target: amzTarget,
      body,
      range: request.headers.range,
    };
    const fault = faults.find((f) => f.left > 0 && f.when(seen));
    if (fault) {
      fault.left -= 1;
      answered.push(seen);
      const { answer } = fault;
      if ("delayMs" in answer) {
        await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (response.destroyed) return;
      } else {
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body);
        return;
      }
    }
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host },
      },
      (upstream) => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      },
    );
    forwarded.on("error", (error) => {
      if (!response.headersSent) response.writeHead(502);
      response.end(String(error));
    });
    forwarded.end(raw);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    answered,
    fault: (fault) => {
      faults.push({ ...fault, left: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clear: () => {
      faults.length = 0;
      answered.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
