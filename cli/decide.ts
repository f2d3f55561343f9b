import { Logger } from "@aws-lambda-powertools/logger";
import { type RuleResult, reportedOutcome } from "../shared/decision.js";
import type { CodePipelineJob } from "../shared/job.js";
import { modeOf } from "../shared/mode.js";
import { parseUserParameters } from "../shared/params.js";
import type { Outcome } from "../shared/report.js";
import { errorToResult, type RuleContext, verdictToResult } from "../shared/rule.js";
import type { CliRule } from "./rules.js";

/** What CodePipeline would be told, warn mode applied as the Lambda's runtime applies it. */
const outcomeOf = (result: RuleResult, job: CodePipelineJob): Outcome =>
  reportedOutcome({ mode: modeOf(job.userParameters), result, figures: {}, images: [] });

/** No Lambda deadline on the command line: waits are bounded by the rule's own settings. */
const NO_DEADLINE_MS = 60 * 60_000;

export type Loaded = { ok: true; params: unknown; input: unknown } | { ok: false; outcome: Outcome };

// The rules log as they would in Lambda (JSON on stdout): the command line prints only outcomes.
const silentLogger = (rule: CliRule) => new Logger({ serviceName: rule.name, logLevel: "SILENT" });

/**
 * What the Lambda's runtime does before `evaluate`: UserParameters through the rule's schema, then
 * `load`; anything thrown becomes the outcome the pipeline would get.
 */
export const loadLocally = async (rule: CliRule, job: CodePipelineJob, now: Date): Promise<Loaded> => {
  const logger = silentLogger(rule);
  let params: unknown;
  await rule.prepare?.(job.userParameters).catch(() => undefined);
  try {
    params = parseUserParameters(job.userParameters, rule.params);
  } catch (error) {
    return { ok: false, outcome: outcomeOf(errorToResult(error, "reading UserParameters", logger), job) };
  }
  let step = "starting";
  const ctx: RuleContext<unknown> = {
    job,
    params,
    now,
    signal: new AbortController().signal,
    logger,
    step: (description) => {
      step = description;
    },
    remainingMs: () => NO_DEADLINE_MS,
  };
  try {
    return { ok: true, params, input: await rule.load(ctx) };
  } catch (error) {
    return { ok: false, outcome: outcomeOf(errorToResult(error, step, logger), job) };
  }
};

/** Decides one job as the Lambda's runtime does: load, then the rule's pure evaluate. */
export const decideLocally = async (rule: CliRule, job: CodePipelineJob, now: Date): Promise<Outcome> => {
  const loaded = await loadLocally(rule, job, now);
  if (!loaded.ok) return loaded.outcome;
  try {
    return outcomeOf(verdictToResult(rule.evaluate(loaded.input, loaded.params, now)), job);
  } catch (error) {
    return outcomeOf(errorToResult(error, "evaluating", silentLogger(rule)), job);
  }
};

/** A job with no pipeline behind it: UserParameters and local input artifacts only. */
export const localJob = (userParameters: string, inputArtifacts: CodePipelineJob["inputArtifacts"] = []) => ({
  id: "local",
  accountId: undefined,
  configuration: { UserParameters: userParameters },
  userParameters,
  inputArtifacts,
  artifactCredentials: undefined,
  encryptionKey: undefined,
  continuationToken: undefined,
});
