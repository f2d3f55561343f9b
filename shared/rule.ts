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
const foundError = (thrown: unknown, step: string, logger: Logger): Found => ({
  result: errorToResult(thrown, step, logger),
  details: NO_DETAILS,
});

/** Time decision records may take after the report, at most: they never hold up the job's result. */
export const RECORD_BUDGET_MS = 3_000;

/**
 * The one owner of the invocation's time (middy's own time-out is off): the decision must be
 * made by `decideBy`, leaving the reserve for the report; everything ends by `endsAt`.
 */
interface Deadline {
  startedAt: number;
  decideBy: number;
  endsAt: number;
}

const deadlineOf = (context: Context | undefined): Deadline => {
  const startedAt = Date.now();
  const remaining = remainingOf(context);
  const endsAt = startedAt + remaining;
  return { startedAt, decideBy: endsAt - reportReserveMs(remaining), endsAt };
};

/** Step 1, the job: its id (without one nothing can be reported, so it throws) is logged with every line. */
const identifyJob = (event: unknown, logger: Logger): string => {
  try {
    const jobId = jobIdOf(event);
    logger.appendKeys({ jobId });
    return jobId;
  } catch (thrown) {
    if (thrown instanceof NotACodePipelineJobError) logger.error(thrown.message, { outcome: "rejected" });
    throw thrown;
  }
};

/** Step 2, the UserParameters: prepared (lazy parsers loaded), then parsed against the rule's schema. */
const readParameters = async <S extends z.ZodType, I>(
  definition: RuleDefinition<S, I>,
  schema: z.ZodType<z.output<S>>,
  job: CodePipelineJob,
  logger: Logger,
): Promise<{ params: z.output<S> } | Found> => {
  // A failing prepare is reported by the schema's own error, which names the bad value.
  await definition.prepare?.(job.userParameters).catch(() => undefined);
  try {
    return { params: parseUserParameters(job.userParameters, schema) };
  } catch (thrown) {
    return foundError(thrown, "reading UserParameters", logger);
  }
};

/** Steps 3 and 4, load then evaluate, raced against the deadline; the loser is aborted. */
const loadAndEvaluate = async <S extends z.ZodType, I>(
  definition: RuleDefinition<S, I>,
  job: CodePipelineJob,
  params: z.output<S>,
  deadline: Deadline,
  context: Context | undefined,
  logger: Logger,
): Promise<Found> => {
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
    remainingMs: () => Math.max(0, deadline.decideBy - Date.now()),
  };

  const work = (async (): Promise<Found> => {
    const input = await definition.load(ctx);
    step = "evaluating";
    const verdict = definition.evaluate(input, params, ctx.now);
    return {
      result: verdictToResult(verdict),
      details: { figures: verdict.figures, images: verdict.images },
    };
  })().catch((thrown: unknown) => foundError(thrown, step, logger));

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

/** The decision, in the rule's mode: figures that are not finite numbers would reach CloudWatch as null. */
const decisionOf = (mode: Mode, { result, details }: Found): Decision => ({
  mode,
  result,
  figures: Object.fromEntries(Object.entries(details.figures ?? {}).filter(([, v]) => Number.isFinite(v))),
  images: details.images ?? [],
});

/**
 * Turns a rule definition into a Lambda handler. Each invocation runs the named steps in order:
 * identify the job, parse it, read the UserParameters, load and evaluate under the deadline,
 * report exactly one outcome; then (never before the report) publish the decision record, if
 * configured, and the decision's metrics.
 */
export const defineRule = <S extends z.ZodType, I>(definition: RuleDefinition<S, I>) => {
  const logger = createLogger(definition.name);
  const metrics = createMetrics(definition.name);
  const paramsSchema = acceptingMode(definition.params);

  const decide = async (
    event: unknown,
    deadline: Deadline,
    context: Context | undefined,
  ): Promise<{ job: CodePipelineJob | undefined; decision: Decision }> => {
    const parsed = parseJobEvent(event);
    if (!parsed.ok) {
      return {
        job: undefined,
        decision: decisionOf("enforce", { result: error("JobFailed", parsed.message), details: NO_DETAILS }),
      };
    }
    const { job } = parsed;
    const mode = modeOf(job.userParameters);
    const read = await readParameters(definition, paramsSchema, job, logger);
    const found =
      "params" in read
        ? await loadAndEvaluate(definition, job, read.params, deadline, context, logger)
        : read;
    return { job, decision: decisionOf(mode, found) };
  };

  const report = async (
    jobId: string,
    decision: Decision,
    deadline: Deadline,
    context: Context | undefined,
  ) => {
    const outcome = reportedOutcome(decision);
    if (outcomeOf(decision) === "would-have-failed") {
      // The summary may be cut to CodePipeline's 2048 characters: the log keeps the whole text.
      logger.warn("Warn mode: reported a failure as a success", { failure: textOf(decision.result) });
    }
    // Reporting may use whatever time is left, less a margin for the log line that follows.
    const reportBudget = Math.max(250, deadline.endsAt - Date.now() - 250);
    const reported = await reportOutcome(jobId, outcome, {
      externalExecutionId: context?.awsRequestId,
      signal: AbortSignal.timeout(reportBudget),
      logger,
    });
    return { outcome, reported };
  };

  /** After the report, so that a slow bus or bucket can never make the job miss its result. */
  const publishRecord = async (
    record: Parameters<typeof decisionRecord>[0],
    deadline: Deadline,
  ): Promise<void> => {
    const sinks = recordSinksFromEnv();
    if (!sinks.eventBus && !sinks.bucket) return;
    const budget = Math.min(RECORD_BUDGET_MS, deadline.endsAt - Date.now() - 250);
    try {
      // Loaded only where records are configured: their SDK clients stay out of every cold start.
      const { publishDecisionRecord } = await import("./decision-sinks.js");
      await publishDecisionRecord(decisionRecord(record), textOf(record.decision.result), sinks, {
        budgetMs: budget,
        logger,
        metrics,
      });
    } catch (thrown) {
      // After the report a throw would make Lambda retry the invocation and decide again.
      logger.error("Could not publish the decision record", { recordError: describeError(thrown) });
    }
  };

  const emitMetrics = (decision: Decision, durationMs: number): void => {
    try {
      metrics.decision(decision, durationMs);
      metrics.flush();
    } catch (thrown) {
      // After the report a throw would make Lambda retry the invocation and decide again.
      logger.error("Could not emit the decision's metrics", { metricsError: describeError(thrown) });
    }
  };

  const run = async (event: unknown, context: Context): Promise<InvocationResult> => {
    const deadline = deadlineOf(context);
    const jobId = identifyJob(event, logger);
    const { job, decision } = await decide(event, deadline, context);
    const decidedAt = new Date();
    const { outcome, reported } = await report(jobId, decision, deadline, context);
    const durationMs = Date.now() - deadline.startedAt;
    await publishRecord(
      {
        rule: definition.name,
        jobId,
        job,
        decision,
        reported,
        decidedAt,
        durationMs,
        requestId: context?.awsRequestId,
      },
      deadline,
    );
    emitMetrics(decision, durationMs);
    logger.info("Rule finished", {
      outcome: outcome.status,
      ...(outcome.status === "failed" ? { failureType: outcome.type } : {}),
      decision: outcomeOf(decision),
      mode: decision.mode,
      reported,
      durationMs,
    });
    return { jobId, outcome, reported, decision };
  };

  return middy(run, { timeoutEarlyInMillis: 0 }).use(
    injectLambdaContext(logger, { logEvent: false, resetKeys: true }),
  );
};
