import type { Logger } from "@aws-lambda-powertools/logger";
import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { clientConfig, lazy } from "./aws.js";
import { describeError, type FailureType, sdkErrorName } from "./errors.js";
import { escapeControls, truncateMessage, wellFormed } from "./text.js";

export const MAX_SUMMARY_CHARS = 2048;
export const MAX_FAILURE_MESSAGE_CHARS = 5000;
const MAX_EXTERNAL_ID_CHARS = 1500;

export type Outcome =
  | { status: "succeeded"; summary: string }
  | { status: "failed"; type: FailureType; message: string };

export type ReportResult = "reported" | "already-reported" | "not-reported";

/**
 * Text as CodePipeline gets it: control characters shown escaped, cut to the limit, and
 * well-formed Unicode (a cut never leaves half an emoji).
 */
export const reportable = (text: string, fallback: string, limit: number): string =>
  wellFormed(truncateMessage(escapeControls(text || fallback), limit));

const codePipeline = lazy(() => new CodePipelineClient(clientConfig()));

export interface ReportOptions {
  /** Shown in CodePipeline as the execution id: the Lambda request id. */
  externalExecutionId: string | undefined;
  /** The reporting attempt (with its retries) is abandoned when this fires. */
  signal: AbortSignal;
  logger: Logger;
  client?: CodePipelineClient;
}

/**
 * Sends the job's one outcome to CodePipeline. Throttling and 5xx are retried by the client's
 * retry policy; InvalidJobStateException means the job already has its result. Never throws:
 * a throw would make Lambda retry the async invocation and evaluate the job again.
 */
export const reportOutcome = async (
  jobId: string,
  outcome: Outcome,
  options: ReportOptions,
): Promise<ReportResult> => {
  const client = options.client ?? codePipeline();
  const externalExecutionId = options.externalExecutionId?.slice(0, MAX_EXTERNAL_ID_CHARS);
  const command =
    outcome.status === "succeeded"
      ? new PutJobSuccessResultCommand({
          jobId,
          executionDetails: {
            summary: reportable(outcome.summary, "Passed.", MAX_SUMMARY_CHARS),
            ...(externalExecutionId ? { externalExecutionId } : {}),
            percentComplete: 100,
          },
        })
      : new PutJobFailureResultCommand({
          jobId,
          failureDetails: {
            type: outcome.type,
            message: reportable(outcome.message, "Failed.", MAX_FAILURE_MESSAGE_CHARS),
            ...(externalExecutionId ? { externalExecutionId } : {}),
          },
        });
  try {
    // The union of the two commands does not narrow send's overloads; both return {}.
    await client.send(command as PutJobSuccessResultCommand, { abortSignal: options.signal });
    return "reported";
  } catch (error) {
    if (sdkErrorName(error) === "InvalidJobStateException") {
      options.logger.warn("Job already has a result; nothing more to report", {
        reportError: describeError(error),
      });
      return "already-reported";
    }
    options.logger.error("Could not report the outcome to CodePipeline", {
      reportError: describeError(error),
      reportErrorName: sdkErrorName(error),
      outcomeStatus: outcome.status,
    });
    return "not-reported";
  }
};
