/** The failure types PutJobFailureResult accepts. */
export const FAILURE_TYPES = [
  "JobFailed",
  "ConfigurationError",
  "PermissionError",
  "RevisionOutOfSync",
  "RevisionUnavailable",
  "SystemUnavailable",
] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

/**
 * An expected failure with a message written for a pipeline user. Throw it from anywhere in a
 * rule (loading or evaluating) and the runtime reports it as is.
 */
export class RuleError extends Error {
  override readonly name = "RuleError";
  constructor(
    readonly type: FailureType,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const configurationError = (message: string): RuleError =>
  new RuleError("ConfigurationError", message);
export const jobFailed = (message: string, cause?: unknown): RuleError =>
  new RuleError("JobFailed", message, { cause });
export const permissionError = (message: string, cause?: unknown): RuleError =>
  new RuleError("PermissionError", message, { cause });

/** Thrown for an event that carries no CodePipeline job id: nothing can be reported for it. */
export class NotACodePipelineJobError extends Error {
  override readonly name = "NotACodePipelineJobError";
}

/** The fields of an AWS SDK v3 service error that we look at. */
interface SdkErrorShape {
  name?: string;
  Code?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export const sdkErrorName = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as SdkErrorShape;
  return e.name ?? e.Code;
};

export const httpStatusOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null
    ? (error as SdkErrorShape).$metadata?.httpStatusCode
    : undefined;

const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "Forbidden",
  "UnauthorizedOperation",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidToken",
  "UnrecognizedClientException",
  // No credentials at all (the command line without a profile): no permission to ask.
  "CredentialsProviderError",
]);

/**
 * "Not there" in each service's words. ECR, ECS and Inspector end theirs in NotFoundException
 * (RepositoryNotFoundException, ScanNotFoundException, …); S3 says NoSuch…; SSM says
 * InvalidDocument for a document (a change calendar) that does not exist.
 */
const NOT_FOUND = new Set(["NoSuchKey", "NoSuchBucket", "NotFound", "InvalidDocument"]);

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
]);

/** Node network errors (connection refused, reset, DNS): the service could not be reached. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

/** What an AWS call's failure means for a pipeline user; anything else is a bug or a bad request. */
export type AwsErrorKind = "access-denied" | "not-found" | "throttled" | "unavailable";

/**
 * The one reading of AWS SDK (and network) errors, for S3, ECR, Inspector, ECS, Lambda, SSM
 * and CodePipeline alike. The SDK has already retried throttling and 5xx when one of those arrives.
 */
export const awsErrorKind = (error: unknown): AwsErrorKind | undefined => {
  if (typeof error !== "object" || error === null || error instanceof RuleError) return undefined;
  const name = sdkErrorName(error) ?? "";
  const status = httpStatusOf(error);
  if (ACCESS_DENIED.has(name) || status === 403) return "access-denied";
  if (NOT_FOUND.has(name) || name.endsWith("NotFoundException") || status === 404) return "not-found";
  if (THROTTLING.has(name) || status === 429) return "throttled";
  const { $fault, code } = error as SdkErrorShape & { code?: unknown };
  if ($fault === "server" || (status !== undefined && status >= 500)) return "unavailable";
  if (name === "TimeoutError" || (typeof code === "string" && NETWORK_CODES.has(code))) return "unavailable";
  return undefined;
};

/**
 * Turns an AWS error into the failure a pipeline user can act on, in the caller's words for each
 * kind it knows about (e.g. a missing object is a JobFailed naming it). A RuleError, and a kind
 * the caller has no words for, come back as they are: the runtime maps those, naming the step
 * (access denied → PermissionError, not found → JobFailed, throttled or unavailable →
 * SystemUnavailable; an error of no kind is unexpected).
 */
export const awsFailure = (
  error: unknown,
  words: Partial<Record<AwsErrorKind, (detail: string, name: string) => RuleError>>,
): unknown => {
  const kind = awsErrorKind(error);
  const word = kind && words[kind];
  if (!word) return error;
  const failure = word(describeError(error), sdkErrorName(error) ?? kind);
  return new RuleError(failure.type, failure.message, { cause: error });
};

/** A one-line description of any thrown value, without stack or request internals. */
export const describeError = (error: unknown): string => {
  if (error instanceof Error) {
    const name = sdkErrorName(error);
    const message = error.message?.trim();
    if (!message) return name ?? "unknown error";
    return name && name !== "Error" && !message.startsWith(name) ? `${name}: ${message}` : message;
  }
  return String(error);
};

/**
 * The action an AccessDenied names ("… is not authorized to perform: inspector2:ListFindings on
 * resource: …"): a call can be denied for an action it implies rather than its own, e.g. ECR's
 * DescribeImageScanFindings for enhanced findings needs inspector2:ListFindings.
 */
export const deniedAction = (error: unknown): string | undefined => {
  if (awsErrorKind(error) !== "access-denied" || !(error instanceof Error)) return undefined;
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(error.message)?.[1];
};
