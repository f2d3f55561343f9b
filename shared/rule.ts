import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { type Decision, outcomeOf, type RuleResult, reportedOutcome, textOf } from "./decision.js";
import { decisionRecord, recordSinksFromEnv } from "./decision-record.js";
import {
  awsErrorKind,
  describeError,
  type FailureType,
  NotACodePipelineJobError,
  RuleError,
} from "./errors.js";
import { type CodePipelineJob, jobIdOf, parseJobEvent } from "./job.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { acceptingMode, type Mode, modeOf } from "./mode.js";
import { parseUserParameters } from "./params.js";
import { type Outcome, type ReportResult, reportOutcome } from "./report.js";

/** What the runtime reads from a verdict besides pass or fail: for metrics and decision records. */
export interface VerdictDetails {
  /** Rule-specific figures, each emitted as a metric (unit Count) and recorded, e.g. { FindingsCounted: 3 }. */
  figures?: Record<string, number>;
  /** Image references (with digest) the rule judged, for decision records. */
  images?: string[];
}

/**
 * What a rule's pure `evaluate` decides. A failure is a JobFailed unless it says otherwise; in
 * warn mode it is reported as a success (a ConfigurationError still fails).
 */
export type Verdict = (
  | { pass: true; summary: string }
  | { pass: false; message: string; type?: FailureType }
) &
  VerdictDetails;

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
  /**
   * The UserParameters schema (use z.strictObject so unknown keys are errors). Every rule also
   * accepts "mode": the runtime adds it.
   */
  params: S;
  /**
   * Optional: loads what parsing these UserParameters will need (e.g. a regex engine only a
   * `match` uses), so a configuration that does not need a library never loads it. Runs before
   * the schema; if it fails, the schema's own error reports why.
   */
  prepare?(userParameters: string | undefined): Promise<void>;
  /** All I/O: gathers what `evaluate` needs. Throw RuleError for expected failures. */
  load(ctx: RuleContext<z.output<S>>): Promise<I>;
  /** Pure: turns the inputs into a verdict. */
  evaluate(input: I, params: z.output<S>, now: Date): Verdict;
}

export interface InvocationResult {
  jobId: string;
  outcome: Outcome;
  reported: ReportResult;
  decision: Decision;
}

/** Used when there is no Lambda context (tests, scripts). */
const DEFAULT_REMAINING_MS = 60_000;

/**
 * Time kept back from the Lambda's deadline for reporting: 10 % of what is left, between 1 and
 * 5 seconds. The report call (with its retries) must fit in it; decision records get what the
 * report leaves of it, at most RECORD_BUDGET_MS.
 */
export const reportReserveMs = (remainingMs: number): number =>
  Math.min(5_000, Math.max(1_000, Math.floor(remainingMs * 0.1)));

const passed = (summary: string): RuleResult => ({ status: "passed", summary });
const failed = (type: FailureType, message: string): RuleResult => ({ status: "failed", type, message });
const error = (type: FailureType, message: string): RuleResult => ({ status: "error", type, message });

/** A failing verdict is the rule's decision, but a configuration problem is an error in any mode. */
export const verdictToResult = (verdict: Verdict): RuleResult => {
  if (verdict.pass) return passed(verdict.summary);
  const type = verdict.type ?? "JobFailed";
  return type === "ConfigurationError" ? error(type, verdict.message) : failed(type, verdict.message);
};

/**
 * Maps anything thrown while deciding to a result a pipeline user can act on. A RuleError of
 * type JobFailed is the rule deciding against the stage; everything else kept it from deciding.
 */
export const errorToResult = (thrown: unknown, step: string, logger: Logger): RuleResult => {
  if (thrown instanceof RuleError) {
    return thrown.type === "JobFailed"
      ? failed(thrown.type, thrown.message)
      : error(thrown.type, thrown.message);
  }
  const detail = describeError(thrown);
  const afterRetries = `after retries: ${detail.replace(/\.+$/, "")}. Retry the stage.`;
  switch (awsErrorKind(thrown)) {
    case "access-denied":
      return error("PermissionError", `Access denied while ${step}: ${detail}`);
    case "not-found":
      return error("JobFailed", `Not found while ${step}: ${detail}`);
    case "throttled":
      return error("SystemUnavailable", `AWS kept throttling the calls while ${step}, ${afterRetries}`);
    case "unavailable":
      return error("SystemUnavailable", `AWS did not answer while ${step}, ${afterRetries}`);
  }
  logger.error("Unexpected error", { step, error: thrown as Error });
  return error("JobFailed", `Unexpected error while ${step}: ${detail}`);
};

const remainingOf = (context: Context | undefined): number =>
  typeof context?.getRemainingTimeInMillis === "function"
    ? context.getRemainingTimeInMillis()
    : DEFAULT_REMAINING_MS;

/** What deciding found, and what the verdict carried for metrics and records. */
type Found = { result: RuleResult; details: VerdictDetails };
const NO_DETAILS: VerdictDetails = {};

/** Time decision records may take after the report, at most: they never hold up the job's result. */
export const RECORD_BUDGET_MS = 3_000;

/**
 * Turns a rule definition into a Lambda handler that parses the job, validates UserParameters,
 * runs `load` then `evaluate` under a deadline guard, and reports exactly one outcome; then
 * puts the decision record (if configured) and emits the decision's metrics.
 */
export const defineRule = <S extends z.ZodType, I>(definition: RuleDefinition<S, I>) => {
  const logger = createLogger(definition.name);
  const metrics = createMetrics(definition.name);
  const paramsSchema = acceptingMode(definition.params);

  const decide = async (
    job: CodePipelineJob,
    context: Context | undefined,
    deadlineAt: number,
  ): Promise<Found> => {
    let params: z.output<S>;
    await definition.prepare?.(job.userParameters).catch(() => undefined);
    try {
      params = parseUserParameters(job.userParameters, paramsSchema);
    } catch (thrown) {
      return { result: errorToResult(thrown, "reading UserParameters", logger), details: NO_DETAILS };
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
      const verdict = definition.evaluate(input, params, ctx.now);
      return {
        result: verdictToResult(verdict),
        details: { figures: verdict.figures, images: verdict.images },
      };
    })().catch(
      (thrown: unknown): Found => ({ result: errorToResult(thrown, step, logger), details: NO_DETAILS }),
    );

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Found>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`deadline reached while ${step}`));
        const limit = Math.round(remainingOf(context) / 1000);
        resolve({
          result: error(
            "JobFailed",
            `Ran out of time while ${step}: the function stopped with about ${limit}s of its timeout left ` +
              "so that it could report. Raise the function's timeout or shorten the wait it was doing.",
          ),
          details: NO_DETAILS,
        });
      }, ctx.remainingMs());
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const decideJob = async (
    event: unknown,
    context: Context | undefined,
    deadlineAt: number,
  ): Promise<Found & { job: CodePipelineJob | undefined; mode: Mode }> => {
    const parsed = parseJobEvent(event);
    if (!parsed.ok) {
      return {
        job: undefined,
        mode: "enforce",
        result: error("JobFailed", parsed.message),
        details: NO_DETAILS,
      };
    }
    const mode = modeOf(parsed.job.userParameters);
    return { job: parsed.job, mode, ...(await decide(parsed.job, context, deadlineAt)) };
  };

  const run = async (event: unknown, context: Context): Promise<InvocationResult> => {
    const startedAt = Date.now();
    let jobId: string;
    try {
      jobId = jobIdOf(event);
    } catch (thrown) {
      if (thrown instanceof NotACodePipelineJobError) {
        logger.error(thrown.message, { outcome: "rejected" });
      }
      throw thrown;
    }
    logger.appendKeys({ jobId });

    const remaining = remainingOf(context);
    const deadline = startedAt + remaining;
    const reserve = reportReserveMs(remaining);
    const { job, mode, result, details } = await decideJob(event, context, deadline - reserve);
    const decidedAt = new Date();
    const decision: Decision = {
      mode,
      result,
      // A figure that is not a finite number would reach CloudWatch and the record as null.
      figures: Object.fromEntries(
        Object.entries(details.figures ?? {}).filter(([, v]) => Number.isFinite(v)),
      ),
      images: details.images ?? [],
    };
    const outcome = reportedOutcome(decision);
    if (outcomeOf(decision) === "would-have-failed") {
      // The summary may be cut to CodePipeline's 2048 characters: the log keeps the whole text.
      logger.warn("Warn mode: reported a failure as a success", { failure: textOf(result) });
    }

    // Reporting may use whatever time is left, less a margin for the log line that follows.
    const reportBudget = Math.max(250, deadline - Date.now() - 250);
    const reported = await reportOutcome(jobId, outcome, {
      externalExecutionId: context?.awsRequestId,
      signal: AbortSignal.timeout(reportBudget),
      logger,
    });
    const durationMs = Date.now() - startedAt;

    // After the report, so that a slow bus or bucket can never make the job miss its result.
    const sinks = recordSinksFromEnv();
    if (sinks.eventBus || sinks.bucket) {
      const record = decisionRecord({
        rule: definition.name,
        jobId,
        job,
        decision,
        reported,
        decidedAt,
        durationMs,
        requestId: context?.awsRequestId,
      });
      const budget = Math.min(RECORD_BUDGET_MS, deadline - Date.now() - 250);
      try {
        // Loaded only where records are configured: their SDK clients stay out of every cold start.
        const { publishDecisionRecord } = await import("./decision-sinks.js");
        await publishDecisionRecord(record, textOf(result), sinks, { budgetMs: budget, logger, metrics });
      } catch (thrown) {
        // After the report a throw would make Lambda retry the invocation and decide again.
        logger.error("Could not publish the decision record", { recordError: describeError(thrown) });
      }
    }

    try {
      metrics.decision(decision, durationMs);
      metrics.flush();
    } catch (thrown) {
      // After the report a throw would make Lambda retry the invocation and decide again.
      logger.error("Could not emit the decision's metrics", { metricsError: describeError(thrown) });
    }
    logger.info("Rule finished", {
      outcome: outcome.status,
      ...(outcome.status === "failed" ? { failureType: outcome.type } : {}),
      decision: outcomeOf(decision),
      mode,
      reported,
      durationMs,
    });
    return { jobId, outcome, reported, decision };
  };

  return middy(run, { timeoutEarlyInMillis: 0 }).use(
    injectLambdaContext(logger, { logEvent: false, resetKeys: true }),
  );
};
