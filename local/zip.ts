import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";

/** Files for a fixture zip: a path and its content (string, Buffer, or a stream of bytes). */
export type ZipFiles = Record<string, string | Buffer | { stream: Readable; size?: number }>;

export interface ZipOptions {
  compress?: boolean;
  /** One timestamp for every entry, for reproducible archives (default: now). */
  mtime?: Date;
}

const fill = (files: ZipFiles, options: ZipOptions = {}) => {
  const zip = new yazl.ZipFile();
  for (const [path, content] of Object.entries(files)) {
    const opts = { compress: options.compress ?? true, ...(options.mtime ? { mtime: options.mtime } : {}) };
    if (path.endsWith("/")) zip.addEmptyDirectory(path);
    else if (typeof content === "string") zip.addBuffer(Buffer.from(content), path, opts);
    else if (Buffer.isBuffer(content)) zip.addBuffer(content, path, opts);
    else
      zip.addReadStream(content.stream, path, { ...opts, ...(content.size ? { size: content.size } : {}) });
  }
  zip.end();
  return zip;
};

/** Builds a zip in memory: for small fixtures. */
export const zipBuffer = async (files: ZipFiles, options: ZipOptions = {}): Promise<Buffer> => {
  const zip = fill(files, options);
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** Streams a zip to a file: for large fixtures. */
export const zipToFile = async (path: string, files: ZipFiles, options: ZipOptions = {}) => {
  const zip = fill(files, options);
  await pipeline(zip.outputStream, createWriteStream(path));
};
