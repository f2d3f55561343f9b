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
export const systemUnavailable = (message: string, cause?: unknown): RuleError =>
  new RuleError("SystemUnavailable", message, { cause });

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

export const isAccessDenied = (error: unknown): boolean => {
  const name = sdkErrorName(error);
  return (name !== undefined && ACCESS_DENIED.has(name)) || httpStatusOf(error) === 403;
};

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
]);

/** Errors that mean the AWS service (or the network to it) is unavailable rather than our input wrong. */
export const isServiceUnavailable = (error: unknown): boolean => {
  if (typeof error !== "object" || error === null) return false;
  const e = error as SdkErrorShape & { code?: string };
  const name = sdkErrorName(error);
  if (name !== undefined && THROTTLING.has(name)) return true;
  if (e.$fault === "server") return true;
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 500) return true;
  // Node network errors (connection refused, reset, DNS) and SDK socket time-outs.
  return (
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"].includes(e.code ?? "") ||
    name === "TimeoutError"
  );
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
  if (!isAccessDenied(error) || !(error instanceof Error)) return undefined;
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(error.message)?.[1];
};
