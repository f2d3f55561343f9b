import "../node-require.js";
import { crc32 } from "node:zlib";
import yauzl from "yauzl";
import { jobFailed } from "../errors.js";
import { closestNames } from "./closest.js";
import type { FetchStats } from "./s3-range-reader.js";

/** What ZipArchive reads through: S3 ranged GETs in a Lambda, a local file on the command line. */
export type ArchiveReader = yauzl.RandomAccessReader & { readonly size: number; readonly stats: FetchStats };

/** Default cap on the bytes inflated from one entry. */
export const DEFAULT_MAX_ENTRY_BYTES = 50 * 1024 * 1024;

const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
/**
 * S3 and network errors (the SDK gives them $metadata) say nothing about the archive: they pass
 * through for the runtime to classify (access denied, service unavailable).
 */
const fromS3 = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { $metadata?: unknown }).$metadata !== undefined;
/** An error's message without its trailing full stop, to sit inside our own sentence. */
const detail = (error: unknown): string => String((error as Error)?.message ?? error).replace(/\.+$/, "");

/** A zip archive read through a random-access reader, one entry at a time. */
export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    /** Entry names that climb out of the archive or are absolute; never read, never matched. */
    readonly unsafeNames: readonly string[],
    private readonly label: string,
    private readonly maxEntryBytes: number,
  ) {}

  /**
   * Reads the central directory. `label` names the archive in messages, e.g.
   * `input artifact "BuildArtifact" (s3://bucket/key)`.
   */
  static async open(
    reader: ArchiveReader,
    label: string,
    maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES,
  ): Promise<ZipArchive> {
    if (reader.size === 0) throw jobFailed(`The ${label} is empty (0 bytes), not a zip archive.`);
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.fromRandomAccessReaderPromise(reader, reader.size, {
        lazyEntries: true,
        autoClose: false,
        decodeStrings: false,
        validateEntrySizes: true,
      });
    } catch (error) {
      if (fromS3(error)) throw error;
      throw jobFailed(
        `The ${label} is not a readable zip archive (${reader.size} bytes): ${detail(error)}. ` +
          "Check that the stage's input artifact is the one the build produced.",
        error,
      );
    }
    const entries = new Map<string, yauzl.Entry>();
    const unsafe: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on("entry", (entry: yauzl.Entry) => {
          const raw = entry as yauzl.Entry & { fileNameRaw: Buffer; extraFields: yauzl.ExtraField[] };
          const name = yauzl.getFileNameLowLevel(
            entry.generalPurposeBitFlag,
            raw.fileNameRaw ?? (entry.fileName as unknown as Buffer),
            raw.extraFields,
            false,
          );
          if (yauzl.validateFileName(name) !== null) unsafe.push(name);
          // Indexed in NFC: macOS tools write names decomposed (NFD), people type them composed.
          else if (!name.endsWith("/")) entries.set(name.normalize("NFC"), entry);
          zip.readEntry();
        });
        zip.once("end", resolve);
        zip.once("error", reject);
        zip.readEntry();
      });
    } catch (error) {
      zip.close();
      if (fromS3(error)) throw error;
      throw jobFailed(`The ${label} is truncated or corrupt: ${detail(error)}.`, error);
    }
    return new ZipArchive(zip, entries, unsafe, label, maxEntryBytes);
  }

  /** The archive's file paths in NFC (directories and unsafe names left out), in archive order. */
  get files(): string[] {
    return [...this.entries.keys()];
  }

  has(path: string): boolean {
    return this.entries.has(path.normalize("NFC"));
  }

  /** Describes what the archive holds near `path`, for "not found" messages. */
  describeMissing(path: string): string {
    const names = this.files;
    if (names.length === 0) return `File "${path}" not found: the ${this.label} holds no files.`;
    const closest = closestNames(path, names);
    return (
      `File "${path}" not found in the ${this.label}, which holds ${names.length} file${names.length === 1 ? "" : "s"}. ` +
      `Closest: ${closest.map((n) => `"${n}"`).join(", ")}.`
    );
  }

  /** Reads one file, inflating at most the cap; checks its CRC-32. */
  async read(path: string, signal?: AbortSignal): Promise<Buffer> {
    const entry = this.entries.get(path.normalize("NFC"));
    if (!entry) throw jobFailed(this.describeMissing(path));
    if (entry.uncompressedSize > this.maxEntryBytes) {
      throw jobFailed(
        `File "${path}" in the ${this.label} is ${mb(entry.uncompressedSize)} uncompressed, over the ${mb(this.maxEntryBytes)} cap on one file.`,
      );
    }
    const corrupt = (what: string, cause?: unknown) =>
      jobFailed(`File "${path}" in the ${this.label} is corrupt: ${what}.`, cause);
    let stream: NodeJS.ReadableStream & { destroy(error?: Error): void };
    try {
      stream = await new Promise((resolve, reject) =>
        this.zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
      );
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      if (fromS3(error)) throw error;
      throw corrupt(detail(error), error);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => stream.destroy(new Error("aborted"));
        signal?.addEventListener("abort", onAbort, { once: true });
        stream.on("data", (chunk: Buffer) => {
          total += chunk.length;
          // Checked while inflating, so a zip bomb stops at the cap whatever its header claims.
          if (total > this.maxEntryBytes) {
            stream.destroy(new Error("over the cap"));
            return;
          }
          chunks.push(chunk);
        });
        stream.on("end", resolve);
        stream.on("error", reject);
        stream.on("close", () => signal?.removeEventListener("abort", onAbort));
      });
    } catch (error) {
      if (total > this.maxEntryBytes) {
        throw jobFailed(
          `File "${path}" in the ${this.label} inflates past the ${mb(this.maxEntryBytes)} cap on one file; reading stopped there.`,
        );
      }
      if (signal?.aborted) throw signal.reason ?? error;
      if (fromS3(error)) throw error;
      // yauzl stops an entry that inflates past the size the archive declares for it.
      const declared = detail(error).match(/^too many bytes in the stream\. expected (\d+)/)?.[1];
      if (declared !== undefined) {
        throw corrupt(
          `it inflates past its declared size of ${declared} bytes (a damaged or hostile archive); reading stopped there`,
          error,
        );
      }
      throw corrupt(detail(error), error);
    }
    const data = Buffer.concat(chunks, total);
    if (crc32(data) !== entry.crc32) throw corrupt("its CRC-32 does not match the archive's");
    return data;
  }

  close(): void {
    this.zip.close();
  }
}
