import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import {
  describeError,
  type FailureType,
  isAccessDenied,
  isServiceUnavailable,
  NotACodePipelineJobError,
  RuleError,
} from "./errors.js";
import { type CodePipelineJob, jobIdOf, parseJobEvent } from "./job.js";
import { createLogger } from "./logger.js";
import { parseUserParameters } from "./params.js";
import { type Outcome, type ReportResult, reportOutcome } from "./report.js";

/** What a rule's pure `evaluate` decides. A failure is a JobFailed unless it says otherwise. */
export type Verdict = { pass: true; summary: string } | { pass: false; message: string; type?: FailureType };

export interface RuleContext<P> {
  job: CodePipelineJob;
  params: P;
  /** The time the rule decides at, read once per invocation. */
  now: Date;
  /** Aborted when the deadline guard fires: pass it to SDK calls and waits. */
  signal: AbortSignal;
  logger: Logger;
  /** Names what the rule is doing now; a time-out or unexpected error says "while <step>". */
  step(description: string): void;
  /** Milliseconds left before the deadline guard reports a time-out. */
  remainingMs(): number;
}

export interface RuleDefinition<S extends z.ZodType, I> {
  /** The rule's name, used in logs. */
  name: string;
  /** The UserParameters schema (use z.strictObject so unknown keys are errors). */
  params: S;
  /** All I/O: gathers what `evaluate` needs. Throw RuleError for expected failures. */
  load(ctx: RuleContext<z.output<S>>): Promise<I>;
  /** Pure: turns the inputs into a verdict. */
  evaluate(input: I, params: z.output<S>, now: Date): Verdict;
}

export interface InvocationResult {
  jobId: string;
  outcome: Outcome;
  reported: ReportResult;
}

/** Used when there is no Lambda context (tests, scripts). */
const DEFAULT_REMAINING_MS = 60_000;

/**
 * Time kept back from the Lambda's deadline for reporting: 10 % of what is left, between 1 and
 * 5 seconds. The report call (with its retries) must fit in it.
 */
export const reportReserveMs = (remainingMs: number): number =>
  Math.min(5_000, Math.max(1_000, Math.floor(remainingMs * 0.1)));

export const toOutcome = (verdict: Verdict): Outcome =>
  verdict.pass
    ? { status: "succeeded", summary: verdict.summary }
    : { status: "failed", type: verdict.type ?? "JobFailed", message: verdict.message };

const failed = (type: FailureType, message: string): Outcome => ({
  status: "failed",
  type,
  message,
});

/** Maps anything thrown while deciding to a failure a pipeline user can act on. */
export const errorToOutcome = (error: unknown, step: string, logger: Logger): Outcome => {
  if (error instanceof RuleError) return failed(error.type, error.message);
  const detail = describeError(error);
  if (isAccessDenied(error)) {
    return failed("PermissionError", `Access denied while ${step}: ${detail}`);
  }
  if (isServiceUnavailable(error)) {
    return failed(
      "SystemUnavailable",
      `AWS did not answer while ${step}, after retries: ${detail.replace(/\.+$/, "")}. Retry the stage.`,
    );
  }
  logger.error("Unexpected error", { step, error: error as Error });
  return failed("JobFailed", `Unexpected error while ${step}: ${detail}`);
};

const remainingOf = (context: Context | undefined): number =>
  typeof context?.getRemainingTimeInMillis === "function"
    ? context.getRemainingTimeInMillis()
    : DEFAULT_REMAINING_MS;

/**
 * Turns a rule definition into a Lambda handler that parses the job, validates UserParameters,
 * runs `load` then `evaluate` under a deadline guard, and reports exactly one outcome.
 */
export const defineRule = <S extends z.ZodType, I>(definition: RuleDefinition<S, I>) => {
  const logger = createLogger(definition.name);

  const decide = async (
    event: unknown,
    context: Context | undefined,
    deadlineAt: number,
  ): Promise<Outcome> => {
    const parsed = parseJobEvent(event);
    if (!parsed.ok) return failed("JobFailed", parsed.message);
    const { job } = parsed;

    let params: z.output<S>;
    try {
      params = parseUserParameters(job.userParameters, definition.params);
    } catch (error) {
      return errorToOutcome(error, "reading UserParameters", logger);
    }

    const controller = new AbortController();
    let step = "starting";
    const ctx: RuleContext<z.output<S>> = {
      job,
      params,
      now: new Date(),
      signal: controller.signal,
      logger,
      step: (description) => {
        step = description;
      },
      remainingMs: () => Math.max(0, deadlineAt - Date.now()),
    };

    const work = (async () => {
      const input = await definition.load(ctx);
      step = "evaluating";
      return toOutcome(definition.evaluate(input, params, ctx.now));
    })().catch((error: unknown) => errorToOutcome(error, step, logger));

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`deadline reached while ${step}`));
        const limit = Math.round(remainingOf(context) / 1000);
        resolve(
          failed(
            "JobFailed",
            `Ran out of time while ${step}: the function stopped with about ${limit}s of its timeout left ` +
              "so that it could report. Raise the function's timeout or shorten the wait it was doing.",
          ),
        );
      }, ctx.remainingMs());
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const run = async (event: unknown, context: Context): Promise<InvocationResult> => {
    const startedAt = Date.now();
    let jobId: string;
    try {
      jobId = jobIdOf(event);
    } catch (error) {
      if (error instanceof NotACodePipelineJobError) {
        logger.error(error.message, { outcome: "rejected" });
      }
      throw error;
    }
    logger.appendKeys({ jobId });

    const remaining = remainingOf(context);
    const reserve = reportReserveMs(remaining);
    const outcome = await decide(event, context, startedAt + remaining - reserve);

    // Reporting may use whatever time is left, less a margin for the log line that follows.
    const reportBudget = Math.max(250, startedAt + remaining - Date.now() - 250);
    const reported = await reportOutcome(jobId, outcome, {
      externalExecutionId: context?.awsRequestId,
      signal: AbortSignal.timeout(reportBudget),
      logger,
    });
    logger.info("Rule finished", {
      outcome: outcome.status,
      ...(outcome.status === "failed" ? { failureType: outcome.type } : {}),
      reported,
      durationMs: Date.now() - startedAt,
    });
    return { jobId, outcome, reported };
  };

  return middy(run, { timeoutEarlyInMillis: 0 }).use(
    injectLambdaContext(logger, { logEvent: false, resetKeys: true }),
  );
};
