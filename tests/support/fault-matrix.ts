import { expect } from "vitest";
import type { CodePipelineEndpoint } from "../../local/codepipeline-endpoint.js";
import { lambdaContext } from "../../local/lambda-context.js";
import { invokeBundle } from "./lambda.js";
import { captureLogs } from "./logs.js";
import { onlyResult, outcomeOf } from "./outcomes.js";

/**
 * The promises every row of the fault matrix (tests/faults) checks, whatever the fault: the built
 * bundle's handler resolves (nothing thrown into Lambda's retry) before its context's deadline,
 * every log line is JSON, and no line carries the job's credentials (the marker strings).
 */

export const FUNCTIONS = ["ecr-findings-check", "artifact-check", "window-check"] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export interface Invocation {
  jobId: string;
  /** What the handler resolved to: { jobId, outcome, reported }. */
  returned: { reported?: string; outcome?: { status: string } } | undefined;
  logs: Array<Record<string, unknown>>;
  /** What the Lambda context had left when the handler resolved. */
  remainingMs: number;
}

const jobIdOf = (event: unknown): string =>
  String((event as { "CodePipeline.job"?: { id?: unknown } })["CodePipeline.job"]?.id ?? "");

/** Runs a bundle on an event in this process and checks the promises above. */
export const invoke = async (
  fn: FunctionName,
  event: unknown,
  options: { timeoutMs?: number } = {},
): Promise<Invocation> => {
  const context = lambdaContext(fn, { timeoutMs: options.timeoutMs ?? 30_000 });
  const logs = captureLogs();
  let returned: unknown;
  try {
    returned = await invokeBundle(fn, event, { context });
  } finally {
    logs.restore();
  }
  const remainingMs = context.getRemainingTimeInMillis();
  expect(remainingMs, "resolved before the Lambda's deadline").toBeGreaterThan(0);
  expect(() => logs.json(), "every log line is JSON").not.toThrow();
  expect(logs.leaksCredentials(), "a log line carries a credential marker").toBe(false);
  return {
    jobId: jobIdOf(event),
    returned: returned as Invocation["returned"],
    logs: logs.json(),
    remainingMs,
  };
};

/** The failure type, or "success". */
export type Expected =
  | "success"
  | "JobFailed"
  | "ConfigurationError"
  | "PermissionError"
  | "SystemUnavailable";

/** The one outcome recorded for the job: its type and text (summary or message). */
export const recordedOutcome = (endpoint: CodePipelineEndpoint, jobId: string) => {
  const result = onlyResult(endpoint, jobId);
  expect(result.signed).toBe(true);
  const outcome = outcomeOf(result);
  return {
    type: (result.operation === "PutJobSuccessResult" ? "success" : outcome.type) as Expected,
    text: outcome.summary ?? outcome.message ?? "",
  };
};

/** Runs a row and checks that exactly one outcome of the expected type was recorded, saying all of `says`. */
export const expectOutcome = async (
  endpoint: CodePipelineEndpoint,
  fn: FunctionName,
  event: unknown,
  expected: { type: Expected; says: ReadonlyArray<string | RegExp>; timeoutMs?: number },
) => {
  const invocation = await invoke(fn, event, { timeoutMs: expected.timeoutMs });
  const outcome = recordedOutcome(endpoint, invocation.jobId);
  // Compared with the text alongside, so that a wrong type shows what was said.
  expect(outcome).toEqual({ type: expected.type, text: expect.any(String) });
  for (const part of expected.says) {
    if (typeof part === "string") expect(outcome.text).toContain(part);
    else expect(outcome.text).toMatch(part);
  }
  return { ...invocation, ...outcome };
};

/** Escapes text for use inside a RegExp. */
export const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
