import "../node-require.js";
import { close, closeSync, createWriteStream, promises as fs, fstat, open, read, rm } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import yauzl from "yauzl";
import yazl from "yazl";
import type { FetchStats } from "./s3-range-reader.js";

/**
 * A yauzl reader over a local zip file, for the command line: the same ZipArchive reads it as
 * reads an artifact in S3, so names, caps and messages are the same.
 */
export class LocalFileReader extends yauzl.RandomAccessReader {
  readonly stats: FetchStats = { requests: 0, bytesFetched: 0 };

  private constructor(
    private readonly fd: number,
    readonly size: number,
    /** The temporary folder of a zip made from a folder, removed on close. */
    private readonly temporary: string | undefined,
  ) {
    super();
  }

  static async open(path: string, temporary?: string): Promise<LocalFileReader> {
    const fd = await promisify(open)(path, "r");
    try {
      return new LocalFileReader(fd, (await promisify(fstat)(fd)).size, temporary);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /**
   * Positional reads on our own descriptor. (A stream from fs.createReadStream would close the
   * descriptor when yauzl destroys it, whatever autoClose says.)
   */
  override _readStreamForRange(start: number, end: number): Readable {
    const { fd, stats } = this;
    stats.requests += 1;
    let position = start;
    return new Readable({
      read(size) {
        const length = Math.min(size || 64 * 1024, end - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        read(fd, buffer, 0, length, position, (error, bytesRead) => {
          if (error) return this.destroy(error);
          // A file that shrank since it was opened: yauzl reports the missing bytes.
          if (bytesRead === 0) return this.push(null);
          position += bytesRead;
          stats.bytesFetched += bytesRead;
          this.push(buffer.subarray(0, bytesRead));
        });
      },
    });
  }

  override close(callback: (error: Error | null) => void): void {
    close(this.fd, (error) => {
      if (error || !this.temporary) return callback(error);
      rm(this.temporary, { recursive: true, force: true }, (removeError) => callback(removeError));
    });
  }
}

/** The files under `dir`, as zip entry names ("reports/junit.xml"), sorted. */
const filesUnder = async (dir: string): Promise<string[]> => {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    const full = join(entry.parentPath, entry.name);
    // A symbolic link counts when it leads to a file, as `zip -r` stores it by default.
    const isFile =
      entry.isFile() || (entry.isSymbolicLink() && (await fs.stat(full).catch(() => undefined))?.isFile());
    if (isFile) names.push(relative(dir, full).split(sep).join("/"));
  }
  return names.sort();
};

/**
 * Opens a local artifact: a zip file as it is, or a folder as the zip CodeBuild would make of it
 * (written, uncompressed, to a temporary file that is removed on close).
 */
export const openLocalReader = async (path: string): Promise<LocalFileReader> => {
  if (!(await fs.stat(path)).isDirectory()) return LocalFileReader.open(path);
  const temporary = await fs.mkdtemp(join(tmpdir(), "codepipeline-gates-"));
  try {
    const zipPath = join(temporary, "artifact.zip");
    const zip = new yazl.ZipFile();
    for (const name of await filesUnder(path)) zip.addFile(join(path, name), name, { compress: false });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(zipPath));
    return await LocalFileReader.open(zipPath, temporary);
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw error;
  }
};
