import * as z from "zod";
import { NotACodePipelineJobError } from "./errors.js";
import { formatIssues } from "./params.js";
import type { Parsed } from "./parsed.js";

/**
 * The job's temporary artifact credentials. Kept out of JSON and inspection so that a job logged
 * by mistake never carries them.
 */
export class ArtifactCredentials {
  readonly #secret: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  readonly expiration: Date | undefined;
  constructor(raw: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expirationTime?: number | undefined;
  }) {
    this.#secret = {
      accessKeyId: raw.accessKeyId,
      secretAccessKey: raw.secretAccessKey,
      sessionToken: raw.sessionToken,
    };
    this.expiration = raw.expirationTime === undefined ? undefined : new Date(raw.expirationTime);
  }
  /** The values an SDK client needs; call only where a client is built. */
  forSdk() {
    return { ...this.#secret, ...(this.expiration ? { expiration: this.expiration } : {}) };
  }
  toJSON() {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")]() {
    return "ArtifactCredentials [redacted]";
  }
}

const s3Location = z.object({ bucketName: z.string().min(1), objectKey: z.string().min(1) });

const artifactSchema = z.object({
  name: z.string().min(1),
  revision: z.string().nullish(),
  location: z.object({ type: z.string(), s3Location: s3Location.optional() }),
});

const jobSchema = z.object({
  id: z.string().min(1),
  accountId: z.string().optional(),
  data: z.object({
    actionConfiguration: z.object({ configuration: z.record(z.string(), z.string()).optional() }).optional(),
    inputArtifacts: z.array(artifactSchema).optional(),
    outputArtifacts: z.array(artifactSchema).optional(),
    artifactCredentials: z
      .object({
        accessKeyId: z.string(),
        secretAccessKey: z.string(),
        sessionToken: z.string(),
        expirationTime: z.number().optional(),
      })
      .optional(),
    encryptionKey: z.object({ id: z.string(), type: z.string() }).optional(),
    continuationToken: z.string().optional(),
  }),
});

export interface InputArtifact {
  name: string;
  revision: string | undefined;
  bucket: string;
  key: string;
}

export interface CodePipelineJob {
  id: string;
  accountId: string | undefined;
  /** The rule's configuration (FunctionName, UserParameters, …). */
  configuration: Record<string, string>;
  userParameters: string | undefined;
  inputArtifacts: InputArtifact[];
  artifactCredentials: ArtifactCredentials | undefined;
  encryptionKey: { id: string; type: string } | undefined;
  continuationToken: string | undefined;
}

/** The job id, or a NotACodePipelineJobError: without an id nothing can be reported. */
export const jobIdOf = (event: unknown): string => {
  const job = (event as Record<string, unknown> | null)?.["CodePipeline.job"] as
    | Record<string, unknown>
    | undefined;
  const id = job?.id;
  if (typeof id !== "string" || id.length === 0) {
    throw new NotACodePipelineJobError(
      'Not a CodePipeline job event: expected {"CodePipeline.job": {"id": "…", "data": {…}}}. ' +
        "This function must be invoked by a CodePipeline LambdaInvoke rule or action; nothing was reported.",
    );
  }
  return id;
};

export type JobParseResult = Parsed<{ job: CodePipelineJob }, { id: string }>;

/**
 * Parses `event["CodePipeline.job"]`. Throws NotACodePipelineJobError when there is no job id;
 * any other problem is returned so that it can be reported against the job.
 */
export const parseJobEvent = (event: unknown): JobParseResult => {
  const id = jobIdOf(event);
  const parsed = jobSchema.safeParse((event as Record<string, unknown>)["CodePipeline.job"]);
  if (!parsed.success) {
    return {
      ok: false,
      id,
      message: `Malformed CodePipeline job event: ${formatIssues(
        parsed.error.issues,
        "CodePipeline.job",
        (event as Record<string, unknown>)["CodePipeline.job"],
      )}`,
    };
  }
  const { data } = parsed.data;
  const configuration = data.actionConfiguration?.configuration ?? {};
  const inputArtifacts: InputArtifact[] = [];
  for (const artifact of data.inputArtifacts ?? []) {
    const s3 = artifact.location.s3Location;
    if (artifact.location.type !== "S3" || !s3) {
      return {
        ok: false,
        id,
        message: `Input artifact "${artifact.name}" has location type ${artifact.location.type}; only S3 artifacts can be read.`,
      };
    }
    inputArtifacts.push({
      name: artifact.name,
      revision: artifact.revision ?? undefined,
      bucket: s3.bucketName,
      key: s3.objectKey,
    });
  }
  return {
    ok: true,
    job: {
      id: parsed.data.id,
      accountId: parsed.data.accountId,
      configuration,
      userParameters: configuration.UserParameters,
      inputArtifacts,
      artifactCredentials: data.artifactCredentials
        ? new ArtifactCredentials(data.artifactCredentials)
        : undefined,
      encryptionKey: data.encryptionKey,
      continuationToken: data.continuationToken,
    },
  };
};
