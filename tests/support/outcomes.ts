import {
  type CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { expect } from "vitest";
import type { CodePipelineEndpoint, RecordedResult } from "../../local/codepipeline-endpoint.js";

/** A reported outcome, flattened: a success has a summary, a failure a type and a message. */
export interface ReportedOutcome {
  jobId: string | undefined;
  summary: string | undefined;
  type: string | undefined;
  message: string | undefined;
}

/** The one result reported to a mocked CodePipeline client: exactly one PutJob*Result call in all. */
export const reportedTo = (codePipeline: AwsClientStub<CodePipelineClient>): ReportedOutcome => {
  const successes = codePipeline.commandCalls(PutJobSuccessResultCommand);
  const failures = codePipeline.commandCalls(PutJobFailureResultCommand);
  expect(successes.length + failures.length).toBe(1);
  const success = successes[0]?.args[0].input;
  const failure = failures[0]?.args[0].input;
  return {
    jobId: success?.jobId ?? failure?.jobId,
    summary: success?.executionDetails?.summary,
    type: failure?.failureDetails?.type,
    message: failure?.failureDetails?.message,
  };
};

/** The one result the local CodePipeline endpoint recorded for a job: exactly one, or the test fails. */
export const onlyResult = (endpoint: CodePipelineEndpoint, jobId: string): RecordedResult => {
  const results = endpoint.resultsFor(jobId);
  expect(results).toHaveLength(1);
  const [result] = results;
  if (!result) throw new Error(`no result for job ${jobId}`);
  return result;
};

/** A recorded result's operation, summary (success) or type and message (failure). */
export const outcomeOf = (result: RecordedResult) => ({
  operation: result.operation,
  summary: (result.body.executionDetails as { summary?: string } | undefined)?.summary,
  ...(result.body.failureDetails as { type?: string; message?: string } | undefined),
});
