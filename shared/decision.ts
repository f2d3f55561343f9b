import type { FailureType } from "./errors.js";
import type { Mode } from "./mode.js";
import type { Outcome } from "./report.js";

/** What a rule found, before warn mode applies. */
export type RuleResult =
  | { status: "passed"; summary: string }
  /** The rule decided against the stage: a failing verdict, or a RuleError of type JobFailed. */
  | { status: "failed"; type: FailureType; message: string }
  /**
   * The rule could not decide: bad configuration, missing permissions, AWS unavailable, a
   * time-out, a malformed job or a bug. Fails in every mode: a broken rule must not pass.
   */
  | { status: "error"; type: FailureType; message: string };

/** One decision: what the rule found, in which mode, and what it measured on the way. */
export interface Decision {
  mode: Mode;
  result: RuleResult;
  /** Rule-specific figures (metrics and decision records), e.g. { FindingsCounted: 3 }. */
  figures: Readonly<Record<string, number>>;
  /** Image references (with digest) the rule judged. */
  images: readonly string[];
}

/** How a decision came out: exactly one per job. It names the metric and the record's outcome. */
export type DecisionOutcome = "passed" | "failed" | "would-have-failed" | "error";

export const outcomeOf = (decision: Decision): DecisionOutcome => {
  const { status } = decision.result;
  if (status === "failed" && decision.mode === "warn") return "would-have-failed";
  return status;
};

/** Starts the summary of a failure that warn mode reported as a success. */
export const WARN_PREFIX = "WARN: would have failed: ";

/** What CodePipeline is told: in warn mode a rule's failure becomes a success that carries its text. */
export const reportedOutcome = (decision: Decision): Outcome => {
  const { result } = decision;
  if (result.status === "passed") return { status: "succeeded", summary: result.summary };
  if (outcomeOf(decision) === "would-have-failed") {
    return { status: "succeeded", summary: `${WARN_PREFIX}${result.message}` };
  }
  return { status: "failed", type: result.type, message: result.message };
};

/** The whole text of what the rule found: the summary, or the failure or error message. */
export const textOf = (result: RuleResult): string =>
  result.status === "passed" ? result.summary : result.message;

/** The failure type, for anything but a pass. */
export const failureTypeOf = (result: RuleResult): FailureType | undefined =>
  result.status === "passed" ? undefined : result.type;
