import "../node-require.js";
import { Readable } from "node:stream";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import yauzl from "yauzl";

/** Enough of the object's end for the end-of-central-directory records and a full comment. */
export const TAIL_BYTES = 128 * 1024;
const FIRST_WINDOW = 64 * 1024;
const MAX_WINDOW = 8 * 1024 * 1024;

export interface FetchStats {
  requests: number;
  bytesFetched: number;
}

export interface S3Object {
  s3: S3Client;
  bucket: string;
  key: string;
  signal: AbortSignal | undefined;
}

const parseTotalSize = (contentRange: string | undefined, bodyLength: number): number => {
  const total = contentRange?.match(/\/(\d+)\s*$/)?.[1];
  return total === undefined ? bodyLength : Number(total);
};

const readBody = async (body: unknown): Promise<Buffer> => {
  const b = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (!b?.transformToByteArray) return Buffer.alloc(0);
  return Buffer.from(await b.transformToByteArray());
};

/**
 * A yauzl reader over S3 ranged GETs, so that only the central directory and the entries
 * actually read cross the network. Small reads (yauzl's header parsing) are served from a
 * window that grows while reads are sequential; entry data is streamed straight from S3.
 */
export class S3RangeReader extends yauzl.RandomAccessReader {
  readonly stats: FetchStats = { requests: 0, bytesFetched: 0 };
  private window: { start: number; data: Buffer } | undefined;
  private nextWindowSize = FIRST_WINDOW;

  private constructor(
    private readonly object: S3Object,
    readonly size: number,
    private readonly tail: { start: number; data: Buffer },
  ) {
    super();
  }

  /** Fetches the object's tail; its Content-Range gives the object's size in the same request. */
  static async open(object: S3Object): Promise<S3RangeReader> {
    const response = await object.s3.send(
      new GetObjectCommand({ Bucket: object.bucket, Key: object.key, Range: `bytes=-${TAIL_BYTES}` }),
      { abortSignal: object.signal },
    );
    const data = await readBody(response.Body);
    const size = parseTotalSize(response.ContentRange, data.length);
    const reader = new S3RangeReader(object, size, { start: size - data.length, data });
    reader.stats.requests = 1;
    reader.stats.bytesFetched = data.length;
    return reader;
  }

  private cached(start: number, end: number): Buffer | undefined {
    for (const block of [this.tail, this.window]) {
      if (block && start >= block.start && end <= block.start + block.data.length) {
        return block.data.subarray(start - block.start, end - block.start);
      }
    }
    return undefined;
  }

  private async fetch(start: number, end: number): Promise<Buffer> {
    const response = await this.object.s3.send(
      new GetObjectCommand({
        Bucket: this.object.bucket,
        Key: this.object.key,
        Range: `bytes=${start}-${end - 1}`,
      }),
      { abortSignal: this.object.signal },
    );
    const data = await readBody(response.Body);
    this.stats.requests += 1;
    this.stats.bytesFetched += data.length;
    return data;
  }

  private async readRange(start: number, end: number): Promise<Buffer> {
    const hit = this.cached(start, end);
    if (hit) return hit;
    const sequential = this.window !== undefined && start === this.window.start + this.window.data.length;
    this.nextWindowSize = sequential ? Math.min(MAX_WINDOW, this.nextWindowSize * 2) : FIRST_WINDOW;
    const fetchEnd = Math.min(this.size, Math.max(end, start + this.nextWindowSize));
    const data = await this.fetch(start, fetchEnd);
    this.window = { start, data };
    return data.subarray(0, end - start);
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    this.readRange(position, Math.min(this.size, position + length)).then(
      (data) => {
        data.copy(buffer, offset);
        callback(null, data.length);
      },
      (error: Error) => callback(error),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const hit = this.cached(start, end);
    if (hit) return Readable.from([hit]);
    const output = new Readable({ read() {} });
    const request = this.object.s3.send(
      new GetObjectCommand({
        Bucket: this.object.bucket,
        Key: this.object.key,
        Range: `bytes=${start}-${end - 1}`,
      }),
      { abortSignal: this.object.signal },
    );
    this.stats.requests += 1;
    request.then(
      (response) => {
        const body = response.Body as Readable | undefined;
        if (!body) return output.destroy(new Error("S3 returned no body"));
        // The reader may have given up (an error, the cap) before S3 answered: free the socket.
        if (output.destroyed) return body.destroy();
        body.on("data", (chunk: Buffer) => {
          this.stats.bytesFetched += chunk.length;
          if (!output.push(chunk)) body.pause();
        });
        output._read = () => body.resume();
        body.on("end", () => output.push(null));
        body.on("error", (error) => output.destroy(error));
        output.on("close", () => body.destroy());
      },
      (error: Error) => output.destroy(error),
    );
    return output;
  }
}
