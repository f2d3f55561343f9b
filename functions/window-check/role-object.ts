import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  awsFailure,
  clientConfig,
  endpointOverridden,
  jobFailed,
  lazy,
  permissionError,
} from "../../shared/index.js";

/**
 * Reads a small S3 object with the function's own role, unlike the artifact reader, which signs
 * with the job's artifact credentials.
 */
const roleS3 = lazy(() => new S3Client({ ...clientConfig(), forcePathStyle: endpointOverridden("S3") }));

export interface ReadObjectOptions {
  signal?: AbortSignal | undefined;
  /** Larger objects are refused before their body is read. */
  maxBytes: number;
  /** What the object is, for messages: "iCalendar file". */
  what: string;
  /** How to grant access, appended to an access-denied message. */
  grantHint?: string;
}

/** The object's text (UTF-8); AccessDenied → PermissionError, a missing object or bucket → JobFailed. */
export const readRoleObjectText = async (
  bucket: string,
  key: string,
  options: ReadObjectOptions,
): Promise<string> => {
  const url = `s3://${bucket}/${key}`;
  try {
    const response = await roleS3().send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: options.signal,
    });
    if ((response.ContentLength ?? 0) > options.maxBytes) {
      response.Body?.transformToWebStream().cancel();
      throw jobFailed(
        `The ${options.what} ${url} is ${response.ContentLength} bytes; at most ${options.maxBytes} are read.`,
      );
    }
    return (await response.Body?.transformToString("utf8")) ?? "";
  } catch (error) {
    throw awsFailure(error, {
      "not-found": (_, name) => jobFailed(`The ${options.what} ${url} does not exist (${name}).`),
      "access-denied": (detail) =>
        permissionError(
          `Access denied reading the ${options.what} ${url} with the function's role: ${detail}. ` +
            `The role needs s3:GetObject on arn:aws:s3:::${bucket}/${key}${options.grantHint ? ` (${options.grantHint})` : ""}.`,
        ),
    });
  }
};
