import { S3Client } from "@aws-sdk/client-s3";
import { clientConfig, endpointOverridden } from "../aws.js";
import {
  awsFailure,
  configurationError,
  describeError,
  jobFailed,
  permissionError,
  sdkErrorName,
} from "../errors.js";
import type { CodePipelineJob, InputArtifact } from "../job.js";
import { type FetchStats, S3RangeReader } from "./s3-range-reader.js";
import { type ArchiveReader, DEFAULT_MAX_ENTRY_BYTES, ZipArchive } from "./zip.js";

export { DEFAULT_MAX_ENTRY_BYTES } from "./zip.js";

/**
 * An input artifact the command line reads from a local zip file or folder instead of S3
 * (`bucket` and `key` are empty). Everything after opening is the same code path.
 */
export interface LocalInputArtifact extends InputArtifact {
  localPath: string;
}

const localPathOf = (input: InputArtifact): string | undefined =>
  (input as Partial<LocalInputArtifact>).localPath;

/** Picks the input artifact by name, or the first one. */
export const selectInputArtifact = (job: CodePipelineJob, name?: string): InputArtifact => {
  const names = job.inputArtifacts.map((a) => `"${a.name}"`).join(", ");
  if (name !== undefined) {
    const found = job.inputArtifacts.find((a) => a.name === name);
    if (found) return found;
    throw configurationError(
      job.inputArtifacts.length
        ? `No input artifact named "${name}"; the rule's input artifacts are ${names}.`
        : `No input artifact named "${name}": the rule has no input artifacts. Add it to the rule's InputArtifacts.`,
    );
  }
  const first = job.inputArtifacts[0];
  if (!first) {
    throw configurationError(
      "The rule has no input artifacts to read. Add the build's output artifact to the rule's InputArtifacts.",
    );
  }
  return first;
};

/** The artifact S3 client is built per job: it signs with the job's temporary credentials. */
const artifactS3Client = (job: CodePipelineJob): S3Client =>
  new S3Client({
    ...clientConfig(),
    ...(job.artifactCredentials ? { credentials: job.artifactCredentials.forSdk() } : {}),
    forcePathStyle: endpointOverridden("S3"),
  });

export interface OpenArtifactOptions {
  /** Input artifact name; default the first. */
  name?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Cap on the bytes inflated from one file. */
  maxEntryBytes?: number | undefined;
  /** For tests: a client to use instead of one built from the job's credentials. */
  s3?: S3Client | undefined;
}

export interface Artifact {
  /** The input artifact's name, e.g. BuildArtifact. */
  name: string;
  /** s3://bucket/key, or the local path on the command line. */
  location: string;
  /** File paths in the archive. */
  files: readonly string[];
  /** Entry names that climb out of the archive ("../x", "/etc/x"); never read. */
  unsafeNames: readonly string[];
  has(path: string): boolean;
  read(path: string): Promise<Buffer>;
  readText(path: string): Promise<string>;
  /** A "not found" message naming the closest files present. */
  describeMissing(path: string): string;
  stats: FetchStats;
  close(): void;
}

/**
 * Opens an input artifact (a zip in S3) for reading individual files with ranged GETs: only
 * the central directory and the files read cross the network, whatever the archive's size.
 */
export const openInputArtifact = async (
  job: CodePipelineJob,
  options: OpenArtifactOptions = {},
): Promise<Artifact> => {
  const input = selectInputArtifact(job, options.name);
  const localPath = localPathOf(input);
  const location = localPath ?? `s3://${input.bucket}/${input.key}`;
  const label = `input artifact "${input.name}" (${location})`;
  let reader: ArchiveReader;
  let zip: ZipArchive;
  try {
    reader =
      localPath !== undefined
        ? // Only the command line reads local artifacts: the zip writer stays out of the Lambda bundles.
          await (await import("./local-reader.js")).openLocalReader(localPath)
        : await S3RangeReader.open({
            s3: options.s3 ?? artifactS3Client(job),
            bucket: input.bucket,
            key: input.key,
            signal: options.signal,
          });
    zip = await ZipArchive.open(reader, label, options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES);
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (localPath !== undefined && (code === "ENOENT" || code === "EACCES")) {
      throw jobFailed(`The ${label} cannot be read: ${describeError(error)}`, error);
    }
    if (sdkErrorName(error) === "InvalidRange")
      throw jobFailed(`The ${label} is empty (0 bytes), not a zip archive.`);
    throw awsFailure(error, {
      "not-found": (_, name) => jobFailed(`The ${label} does not exist (${name}).`),
      "access-denied": (detail) =>
        permissionError(`Access denied reading the ${label} with the job's artifact credentials: ${detail}`),
    });
  }
  return {
    name: input.name,
    location,
    files: zip.files,
    unsafeNames: zip.unsafeNames,
    has: (path) => zip.has(path),
    read: (path) => zip.read(path, options.signal),
    readText: async (path) => (await zip.read(path, options.signal)).toString("utf8"),
    describeMissing: (path) => zip.describeMissing(path),
    stats: reader.stats,
    close: () => zip.close(),
  };
};
