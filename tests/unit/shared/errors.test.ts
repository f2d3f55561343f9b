import {
  ImageNotFoundException,
  RepositoryNotFoundException,
  ScanNotFoundException,
  ServerException,
} from "@aws-sdk/client-ecr";
import { ClusterNotFoundException, ServiceNotFoundException } from "@aws-sdk/client-ecs";
import {
  AccessDeniedException,
  ResourceNotFoundException,
  ThrottlingException,
} from "@aws-sdk/client-inspector2";
import { NoSuchBucket, NoSuchKey, NotFound, S3ServiceException } from "@aws-sdk/client-s3";
import { InternalServerError, InvalidDocument } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import {
  type AwsErrorKind,
  awsErrorKind,
  awsFailure,
  configurationError,
  jobFailed,
  permissionError,
  RuleError,
} from "../../../shared/errors.js";

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
/** What an SDK exception class's constructor takes: the response status and the service's message. */
const sdk = (status: number) => ({ ...meta(status), message: "m" });

/** The SDK's own exception classes, as each service's client throws them. */
const cases: [string, unknown, AwsErrorKind | undefined][] = [
  ["S3 NoSuchKey", new NoSuchKey(sdk(404)), "not-found"],
  ["S3 NoSuchBucket", new NoSuchBucket(sdk(404)), "not-found"],
  ["S3 HeadObject NotFound", new NotFound(sdk(404)), "not-found"],
  [
    "S3 AccessDenied (a plain service exception)",
    new S3ServiceException({ name: "AccessDenied", $fault: "client", ...sdk(403) }),
    "access-denied",
  ],
  ["S3 SlowDown", new S3ServiceException({ name: "SlowDown", $fault: "server", ...sdk(503) }), "throttled"],
  ["ECR RepositoryNotFoundException", new RepositoryNotFoundException(sdk(400)), "not-found"],
  ["ECR ImageNotFoundException", new ImageNotFoundException(sdk(400)), "not-found"],
  ["ECR ScanNotFoundException", new ScanNotFoundException(sdk(400)), "not-found"],
  ["ECR ServerException", new ServerException(sdk(500)), "unavailable"],
  ["ECS ClusterNotFoundException", new ClusterNotFoundException(sdk(400)), "not-found"],
  ["ECS ServiceNotFoundException", new ServiceNotFoundException(sdk(400)), "not-found"],
  ["Inspector AccessDeniedException", new AccessDeniedException(sdk(403)), "access-denied"],
  ["Inspector ThrottlingException", new ThrottlingException(sdk(429)), "throttled"],
  ["Inspector ResourceNotFoundException", new ResourceNotFoundException(sdk(404)), "not-found"],
  ["SSM InvalidDocument (no such calendar)", new InvalidDocument(sdk(400)), "not-found"],
  ["SSM InternalServerError", new InternalServerError(sdk(500)), "unavailable"],
  ["an unnamed 403", Object.assign(new Error("Forbidden"), meta(403)), "access-denied"],
  ["an unnamed 429", Object.assign(new Error("slow down"), meta(429)), "throttled"],
  ["an unnamed 502", Object.assign(new Error("Bad Gateway"), meta(502)), "unavailable"],
  [
    "a refused connection",
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    "unavailable",
  ],
  ["a socket time-out", Object.assign(new Error("timed out"), { name: "TimeoutError" }), "unavailable"],
  [
    "no credentials",
    Object.assign(new Error("no creds"), { name: "CredentialsProviderError" }),
    "access-denied",
  ],
  [
    "a validation error",
    Object.assign(new Error("bad"), { name: "ValidationException", ...meta(400) }),
    undefined,
  ],
  ["a bug", new TypeError("x is not a function"), undefined],
  ["a RuleError, even one named like AWS's", new RuleError("JobFailed", "AccessDenied"), undefined],
  ["not an object", "AccessDenied", undefined],
];

describe("awsErrorKind: one reading of AWS errors for every service", () => {
  it.each(cases)("%s", (_, error, kind) => {
    expect(awsErrorKind(error)).toBe(kind);
  });
});

describe("awsFailure", () => {
  const words = {
    "not-found": (detail: string, name: string) => jobFailed(`gone (${name}): ${detail}`),
    "access-denied": (detail: string) => permissionError(`denied: ${detail}`),
  };

  it("uses the caller's words for the kind, with the SDK's name and message, and keeps the cause", () => {
    const error = new NoSuchKey({ ...sdk(404), message: "The specified key does not exist." });
    const failure = awsFailure(error, words) as RuleError;
    expect(failure).toBeInstanceOf(RuleError);
    expect(failure).toMatchObject({
      type: "JobFailed",
      message: "gone (NoSuchKey): NoSuchKey: The specified key does not exist.",
      cause: error,
    });
    expect(awsFailure(new AccessDeniedException(sdk(403)), words)).toMatchObject({
      type: "PermissionError",
      message: "denied: AccessDeniedException: m",
    });
  });

  it("hands back what the caller has no words for, for the runtime to map", () => {
    const throttled = new ThrottlingException(sdk(429));
    const bug = new TypeError("x");
    const decided = configurationError("already decided");
    expect(awsFailure(throttled, words)).toBe(throttled);
    expect(awsFailure(bug, words)).toBe(bug);
    expect(awsFailure(decided, words)).toBe(decided);
  });
});
