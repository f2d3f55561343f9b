import type { Logger } from "@aws-lambda-powertools/logger";
import {
  CodePipelineClient,
  CodePipelineServiceException,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { reportOutcome } from "../../../shared/report.js";

/**
 * reportOutcome on its own: what CodePipeline is sent for each outcome, and how each answer is
 * taken. The runtime's tests (rule.test.ts) cover it inside a whole invocation.
 */
const codePipeline = mockClient(CodePipelineClient);
const client = new CodePipelineClient({ region: "us-east-1" });

const logger = () => ({ warn: vi.fn(), error: vi.fn() });
const options = (overrides: Partial<Parameters<typeof reportOutcome>[2]> = {}) => ({
  externalExecutionId: "req-1",
  signal: new AbortController().signal,
  logger: logger() as unknown as Logger,
  client,
  ...overrides,
});

beforeEach(() => {
  codePipeline.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
});

describe("reportOutcome", () => {
  it("sends a success with its summary, the execution id and 100 %", async () => {
    const reported = await reportOutcome("job-1", { status: "succeeded", summary: "all good" }, options());
    expect(reported).toBe("reported");
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args[0].input).toEqual({
      jobId: "job-1",
      executionDetails: { summary: "all good", externalExecutionId: "req-1", percentComplete: 100 },
    });
  });

  it("sends a failure with its type and message", async () => {
    await reportOutcome("job-2", { status: "failed", type: "PermissionError", message: "denied" }, options());
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)[0]?.args[0].input).toEqual({
      jobId: "job-2",
      failureDetails: { type: "PermissionError", message: "denied", externalExecutionId: "req-1" },
    });
  });

  it("never sends an empty text: CodePipeline shows 'Passed.' or 'Failed.' instead", async () => {
    await reportOutcome("j", { status: "succeeded", summary: "" }, options());
    await reportOutcome("j", { status: "failed", type: "JobFailed", message: "" }, options());
    expect(
      codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args[0].input.executionDetails?.summary,
    ).toBe("Passed.");
    expect(
      codePipeline.commandCalls(PutJobFailureResultCommand)[0]?.args[0].input.failureDetails?.message,
    ).toBe("Failed.");
  });

  it("leaves the execution id out when there is none, and cuts a long one to 1500 characters", async () => {
    await reportOutcome(
      "j",
      { status: "succeeded", summary: "ok" },
      options({ externalExecutionId: undefined }),
    );
    await reportOutcome(
      "j",
      { status: "failed", type: "JobFailed", message: "no" },
      options({ externalExecutionId: "r".repeat(2000) }),
    );
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args[0].input.executionDetails).toEqual({
      summary: "ok",
      percentComplete: 100,
    });
    expect(
      codePipeline.commandCalls(PutJobFailureResultCommand)[0]?.args[0].input.failureDetails
        ?.externalExecutionId,
    ).toBe("r".repeat(1500));
  });

  it("hands the caller's signal to the call, so the report stops when its budget does", async () => {
    const signal = new AbortController().signal;
    await reportOutcome("j", { status: "succeeded", summary: "ok" }, options({ signal }));
    // The stub records send's own arguments: the command, then the options.
    const args: unknown[] = codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args ?? [];
    expect(args[1]).toEqual({ abortSignal: signal });
  });

  it("takes InvalidJobStateException as already reported and says so in a warning", async () => {
    codePipeline.on(PutJobSuccessResultCommand).rejects(
      new CodePipelineServiceException({
        name: "InvalidJobStateException",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
        message: "job is Succeeded",
      }),
    );
    const log = logger();
    const reported = await reportOutcome(
      "j",
      { status: "succeeded", summary: "ok" },
      options({ logger: log as unknown as Logger }),
    );
    expect(reported).toBe("already-reported");
    expect(log.warn).toHaveBeenCalledWith("Job already has a result; nothing more to report", {
      reportError: "InvalidJobStateException: job is Succeeded",
    });
    expect(log.error).not.toHaveBeenCalled();
  });

  it("logs any other failure with its name and the outcome, and does not throw", async () => {
    codePipeline
      .on(PutJobFailureResultCommand)
      .rejects(Object.assign(new Error("socket hang up"), { name: "TimeoutError" }));
    const log = logger();
    const reported = await reportOutcome(
      "j",
      { status: "failed", type: "JobFailed", message: "no" },
      options({ logger: log as unknown as Logger }),
    );
    expect(reported).toBe("not-reported");
    expect(log.error).toHaveBeenCalledWith("Could not report the outcome to CodePipeline", {
      reportError: "TimeoutError: socket hang up",
      reportErrorName: "TimeoutError",
      outcomeStatus: "failed",
    });
  });
});
