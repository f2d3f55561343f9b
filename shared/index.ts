/**
 * What a rule may use of the shared runtime: the only module a function imports from shared/
 * (Biome's noRestrictedImports enforces it). Everything else in shared/ is the runtime's own.
 */
import type { openInputArtifact as OpenInputArtifact } from "./artifacts/index.js";

export { closestNames } from "./artifacts/closest.js";
export type { Artifact } from "./artifacts/index.js";
export { awsRegion, clientConfig, endpointOverridden, lazy } from "./aws.js";
export {
  awsFailure,
  configurationError,
  deniedAction,
  describeError,
  jobFailed,
  permissionError,
  RuleError,
  sdkErrorName,
} from "./errors.js";
export { unknownKeysMessage } from "./params.js";
export type { Parsed } from "./parsed.js";
export { MAX_FAILURE_MESSAGE_CHARS, MAX_SUMMARY_CHARS } from "./report.js";
export { defineRule, type RuleContext, type Verdict, type VerdictDetails } from "./rule.js";
export { fitLines, plural, truncateMessage } from "./text.js";

/**
 * Opens an input artifact (the job's credentials, ranged reads, safe unzip). The reader loads on
 * first use, not with this module: a static re-export would put its S3 client and unzip code into
 * every cold start (esbuild assigns whole files to chunks), and window-check needs it only for
 * calendar files.
 */
export const openInputArtifact: typeof OpenInputArtifact = async (...args) =>
  (await import("./artifacts/index.js")).openInputArtifact(...args);
