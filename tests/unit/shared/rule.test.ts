import {
  CodePipelineClient,
  CodePipelineServiceException,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { jobEvent } from "../../../local/job-event.js";
import { lambdaContext } from "../../../local/lambda-context.js";
import { configurationError, NotACodePipelineJobError } from "../../../shared/errors.js";
import { MAX_FAILURE_MESSAGE_CHARS, MAX_SUMMARY_CHARS } from "../../../shared/report.js";
import { defineRule, type RuleContext, type Verdict } from "../../../shared/rule.js";
import { captureLogs, expectCleanLogs } from "../../support/logs.js";

const codePipeline = mockClient(CodePipelineClient);

const serviceError = (name: string, fault: "client" | "server" = "client", status = 400) =>
  new CodePipelineServiceException({
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });

type Params = { threshold: number };
const params = z.strictObject({ threshold: z.number().default(1) });

/** A rule whose load and evaluate each test replaces. */
const testRule = (
  load: (ctx: RuleContext<Params>) => Promise<number>,
  evaluate: (value: number, p: Params) => Verdict = (value, p) =>
    value >= p.threshold
      ? { pass: true, summary: `value ${value}` }
      : { pass: false, message: `value ${value} is low` },
) => defineRule({ name: "test-rule", params, load, evaluate });

const failureOf = () => {
  const calls = codePipeline.commandCalls(PutJobFailureResultCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input.failureDetails;
};

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  codePipeline.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
  logs = captureLogs();
});
// Every log line is structured JSON and none carries the job's credentials.
afterEach(() => expectCleanLogs(logs));

describe("defineRule", () => {
  it("reports one success with the summary and the request id", async () => {
    const handler = testRule(async () => 5);
    const event = jobEvent({ id: "job-ok", userParameters: { threshold: 3 } });
    const result = await handler(event, lambdaContext("fn", { requestId: "req-123" }));
    expect(result).toMatchObject({ jobId: "job-ok", reported: "reported", outcome: { status: "succeeded" } });
    const calls = codePipeline.commandCalls(PutJobSuccessResultCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      jobId: "job-ok",
      executionDetails: { summary: "value 5", externalExecutionId: "req-123", percentComplete: 100 },
    });
    expect(codePipeline.commandCalls(PutJobFailureResultCommand)).toHaveLength(0);
    const finished = logs.json().find((l) => l.message === "Rule finished");
    expect(finished).toMatchObject({
      rule: "test-rule",
      jobId: "job-ok",
      outcome: "succeeded",
      reported: "reported",
    });
    expect(typeof finished?.durationMs).toBe("number");
  });

  it("reports a failing verdict as JobFailed", async () => {
    await testRule(async () => 1)(jobEvent({ userParameters: { threshold: 3 } }), lambdaContext("fn"));
    expect(failureOf()).toMatchObject({ type: "JobFailed", message: "value 1 is low" });
    expect(codePipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
  });

  it("reports bad UserParameters as ConfigurationError without loading anything", async () => {
    let loaded = false;
    const handler = testRule(async () => {
      loaded = true;
      return 1;
    });
    await handler(jobEvent({ userParameters: { threshold: "high" } }), lambdaContext("fn"));
    expect(loaded).toBe(false);
    expect(failureOf()).toEqual({
      type: "ConfigurationError",
      message: 'Invalid UserParameters:\nthreshold: expected number; got "high"',
      externalExecutionId: expect.any(String),
    });
  });

  it("reports a RuleError from load with its own type", async () => {
    await testRule(async () => {
      throw configurationError("No input artifact named X");
    })(jobEvent(), lambdaContext("fn"));
    expect(failureOf()).toMatchObject({ type: "ConfigurationError", message: "No input artifact named X" });
  });

  it.each([
    [
      "access denied",
      serviceError("AccessDeniedException"),
      "PermissionError",
      /^Access denied while reading the thing: AccessDeniedException/,
    ],
    [
      "throttling that outlasted retries",
      serviceError("ThrottlingException"),
      "SystemUnavailable",
      /^AWS kept throttling the calls while reading the thing, after retries: ThrottlingException.*\. Retry the stage\.$/,
    ],
    ["a 5xx", serviceError("InternalFailure", "server", 500), "SystemUnavailable", /^AWS did not answer/],
    [
      "a not-found nobody expected",
      serviceError("ResourceNotFoundException", "client", 404),
      "JobFailed",
      /^Not found while reading the thing: ResourceNotFoundException/,
    ],
    [
      "a plain error",
      new TypeError("x is not a function"),
      "JobFailed",
      /^Unexpected error while reading the thing: TypeError: x is not a function$/,
    ],
  ])("maps %s to %s naming the step", async (_, error, type, message) => {
    await testRule(async (ctx) => {
      ctx.step("reading the thing");
      throw error;
    })(jobEvent(), lambdaContext("fn"));
    const failure = failureOf();
    expect(failure?.type).toBe(type);
    expect(failure?.message).toMatch(message);
  });

  it("reports a time-out before the Lambda deadline and aborts the work", async () => {
    let signal: AbortSignal | undefined;
    const handler = testRule(async (ctx) => {
      signal = ctx.signal;
      ctx.step("waiting for the scan");
      return new Promise<number>(() => undefined);
    });
    const context = lambdaContext("fn", { timeoutMs: 1_500 });
    await handler(jobEvent(), context);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(failureOf()?.message).toMatch(/^Ran out of time while waiting for the scan/);
    expect(signal?.aborted).toBe(true);
  });

  it("rejects an event that is not a CodePipeline job and reports nothing", async () => {
    const handler = testRule(async () => 1);
    await expect(handler({ Records: [] }, lambdaContext("fn"))).rejects.toThrow(NotACodePipelineJobError);
    expect(codePipeline.calls()).toHaveLength(0);
    expect(
      logs.json().some((l) => l.level === "ERROR" && String(l.message).startsWith("Not a CodePipeline job")),
    ).toBe(true);
  });

  it("reports a malformed job as JobFailed", async () => {
    const handler = testRule(async () => 1);
    await handler(
      { "CodePipeline.job": { id: "job-bad", data: { inputArtifacts: 3 } } },
      lambdaContext("fn"),
    );
    expect(failureOf()?.message).toMatch(
      /^Malformed CodePipeline job event: data.inputArtifacts: expected array/,
    );
  });

  it("treats InvalidJobStateException as already reported and returns normally", async () => {
    codePipeline.on(PutJobSuccessResultCommand).rejects(serviceError("InvalidJobStateException"));
    const result = await testRule(async () => 5)(jobEvent(), lambdaContext("fn"));
    expect(result).toMatchObject({ reported: "already-reported" });
  });

  it("logs and returns without throwing when reporting fails for good", async () => {
    codePipeline.on(PutJobFailureResultCommand).rejects(serviceError("InternalFailure", "server", 500));
    const result = await testRule(async () => 0)(jobEvent(), lambdaContext("fn"));
    expect(result).toMatchObject({ reported: "not-reported" });
    const error = logs.json().find((l) => l.message === "Could not report the outcome to CodePipeline");
    expect(error).toMatchObject({ level: "ERROR", reportErrorName: "InternalFailure" });
  });

  it("cuts long summaries and messages to CodePipeline's limits", async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `finding ${i}`).join("\n");
    await testRule(
      async () => 5,
      () => ({ pass: true, summary: lines }),
    )(jobEvent(), lambdaContext("fn"));
    await testRule(
      async () => 5,
      () => ({ pass: false, message: lines }),
    )(jobEvent(), lambdaContext("fn"));
    const summary =
      codePipeline.commandCalls(PutJobSuccessResultCommand)[0]?.args[0].input.executionDetails?.summary ?? "";
    const message = failureOf()?.message ?? "";
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(message.length).toBeLessThanOrEqual(MAX_FAILURE_MESSAGE_CHARS);
    expect(message.length).toBeGreaterThan(MAX_FAILURE_MESSAGE_CHARS - 100);
    expect(message).toMatch(/…and \d+ more lines \(\d+ characters\) left out$/);
  });
});
