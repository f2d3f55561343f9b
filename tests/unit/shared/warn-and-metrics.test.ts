import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { jobEvent } from "../../../local/job-event.js";
import { lambdaContext } from "../../../local/lambda-context.js";
import { configurationError, jobFailed, permissionError } from "../../../shared/errors.js";
import { defineRule, type RuleContext, type Verdict } from "../../../shared/rule.js";
import { captureLogs, type EmfLine, expectCleanLogs } from "../../support/logs.js";
import { reportedTo } from "../../support/outcomes.js";

const codePipeline = mockClient(CodePipelineClient);

type Params = { threshold: number };
const params = z.strictObject({ threshold: z.number().default(1) });

const FAILURE = "value 1 is low\n✗ check one: 1 < 3\n✗ check two: still 1";

/** A rule whose load each test replaces; it fails below the threshold with a three-line message. */
const testRule = (
  load: (ctx: RuleContext<Params>) => Promise<number> = async () => 1,
  evaluate: (value: number, p: Params) => Verdict = (value, p) =>
    value >= p.threshold
      ? { pass: true, summary: `value ${value}`, figures: { ValueSeen: value } }
      : { pass: false, message: FAILURE, figures: { ValueSeen: value } },
) => defineRule({ name: "test-rule", params, load, evaluate });

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  codePipeline.reset();
  codePipeline.on(PutJobSuccessResultCommand).resolves({});
  codePipeline.on(PutJobFailureResultCommand).resolves({});
  logs = captureLogs();
});
afterEach(() => expectCleanLogs(logs));

const run = async (userParameters: Record<string, unknown> | string, handler = testRule()) => {
  const result = await handler(jobEvent({ userParameters }), lambdaContext("test-rule"));
  return { result, reported: reportedTo(codePipeline) };
};

describe("warn mode", () => {
  it("reports a failing verdict as a success that carries the whole failure text", async () => {
    const { result, reported } = await run({ mode: "warn", threshold: 3 });
    expect(reported).toMatchObject({ summary: `WARN: would have failed: ${FAILURE}`, type: undefined });
    expect(result).toMatchObject({ outcome: { status: "succeeded" }, decision: { mode: "warn" } });
    const warning = logs.json().find((l) => l.message === "Warn mode: reported a failure as a success");
    expect(warning).toMatchObject({ level: "WARN", failure: FAILURE });
    expect(logs.json().find((l) => l.message === "Rule finished")).toMatchObject({
      outcome: "succeeded",
      decision: "would-have-failed",
      mode: "warn",
    });
  });

  it("fails the same verdict in the default mode, and in mode enforce", async () => {
    expect((await run({ threshold: 3 })).reported).toMatchObject({ type: "JobFailed", message: FAILURE });
    codePipeline.resetHistory();
    expect((await run({ mode: "enforce", threshold: 3 })).reported).toMatchObject({
      type: "JobFailed",
      message: FAILURE,
    });
  });

  it("passes a passing verdict with its own summary", async () => {
    expect((await run({ mode: "warn", threshold: 1 })).reported).toMatchObject({ summary: "value 1" });
  });

  it("warns on a RuleError of type JobFailed from load: the rule decided", async () => {
    const handler = testRule(async () => {
      throw jobFailed('File "report.json" is not in the input artifact.');
    });
    expect((await run({ mode: "warn" }, handler)).reported.summary).toBe(
      'WARN: would have failed: File "report.json" is not in the input artifact.',
    );
  });

  it.each([
    ["bad UserParameters", { mode: "warn", threshold: "high" }, testRule(), "ConfigurationError"],
    [
      "a ConfigurationError from load",
      { mode: "warn" },
      testRule(async () => {
        throw configurationError("No input artifact named X");
      }),
      "ConfigurationError",
    ],
    [
      "a ConfigurationError verdict",
      { mode: "warn" },
      testRule(undefined, () => ({ pass: false, message: "bad window", type: "ConfigurationError" })),
      "ConfigurationError",
    ],
    [
      "a PermissionError",
      { mode: "warn" },
      testRule(async () => {
        throw permissionError("Access denied reading the scan");
      }),
      "PermissionError",
    ],
    [
      "an unexpected error",
      { mode: "warn" },
      testRule(async () => {
        throw new TypeError("x is not a function");
      }),
      "JobFailed",
    ],
  ])("still fails on %s: a broken rule must not pass", async (_, userParameters, handler, type) => {
    const { result, reported } = await run(userParameters, handler);
    expect(reported.type).toBe(type);
    expect(reported.summary).toBeUndefined();
    expect(result).toMatchObject({ decision: { result: { status: "error" } } });
  });

  it("still fails on a time-out", async () => {
    const handler = testRule(() => new Promise<number>(() => undefined));
    await handler(
      jobEvent({ userParameters: { mode: "warn" } }),
      lambdaContext("test-rule", { timeoutMs: 1_500 }),
    );
    expect(reportedTo(codePipeline)).toMatchObject({
      type: "JobFailed",
      message: expect.stringMatching(/^Ran out of time/),
    });
  });

  it("rejects a mode it does not know, naming the values", async () => {
    expect((await run({ mode: "audit" })).reported).toMatchObject({
      type: "ConfigurationError",
      message: 'Invalid UserParameters:\nmode: expected one of enforce, warn; got "audit"',
    });
  });
});

/** The one EMF line with only the Rule dimension, and any lines with more. */
const emitted = () => {
  const lines = logs.metrics();
  const main = lines.filter((l) => l._aws.CloudWatchMetrics[0]?.Dimensions[0]?.length === 1);
  expect(main).toHaveLength(1);
  return { main: main[0] as EmfLine, extra: lines.filter((l) => !main.includes(l)) };
};

const metricNames = (line: EmfLine) => line._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name);

describe("metrics (EMF)", () => {
  it("emits one line per decision: namespace, Rule dimension, outcome counts, duration, figures", async () => {
    await run({ threshold: 1 });
    const { main, extra } = emitted();
    expect(main._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "CodePipelineGates",
        Dimensions: [["Rule"]],
        Metrics: [
          { Name: "Passed", Unit: "Count" },
          { Name: "Failed", Unit: "Count" },
          { Name: "WouldHaveFailed", Unit: "Count" },
          { Name: "Errors", Unit: "Count" },
          { Name: "DurationMs", Unit: "Milliseconds" },
          { Name: "ValueSeen", Unit: "Count" },
        ],
      },
    ]);
    expect(main).toMatchObject({ Rule: "test-rule", Passed: 1, Failed: 0, WouldHaveFailed: 0, Errors: 0 });
    expect(main.DurationMs).toBeTypeOf("number");
    expect(main.ValueSeen).toBe(1);
    expect(main).not.toHaveProperty("service");
    expect(extra).toEqual([]);
  });

  it.each([
    ["a failure", { threshold: 3 }, { Passed: 0, Failed: 1, WouldHaveFailed: 0, Errors: 0 }],
    [
      "a warn-mode failure",
      { threshold: 3, mode: "warn" },
      { Passed: 0, Failed: 0, WouldHaveFailed: 1, Errors: 0 },
    ],
  ])("counts %s", async (_, userParameters, counts) => {
    await run(userParameters);
    const { main, extra } = emitted();
    expect(main).toMatchObject({ ...counts, ValueSeen: 1 });
    expect(extra).toEqual([]);
  });

  it.each([
    ["bad UserParameters", { threshold: "x" }, testRule(), "ConfigurationError"],
    [
      "a PermissionError in warn mode",
      { mode: "warn" },
      testRule(async () => {
        throw permissionError("denied");
      }),
      "PermissionError",
    ],
  ])("counts %s under Errors, also by FailureType", async (_, userParameters, handler, type) => {
    await run(userParameters, handler);
    const { main, extra } = emitted();
    expect(main).toMatchObject({ Passed: 0, Failed: 0, WouldHaveFailed: 0, Errors: 1 });
    expect(metricNames(main)).not.toContain("ValueSeen");
    expect(extra).toHaveLength(1);
    expect(extra[0]?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "CodePipelineGates",
        Dimensions: [["Rule", "FailureType"]],
        Metrics: [{ Name: "Errors", Unit: "Count" }],
      },
    ]);
    expect(extra[0]).toMatchObject({ Rule: "test-rule", FailureType: type, Errors: 1 });
  });

  it("counts a time-out under Errors with its reported type", async () => {
    const handler = testRule(() => new Promise<number>(() => undefined));
    await handler(jobEvent(), lambdaContext("test-rule", { timeoutMs: 1_500 }));
    const { main, extra } = emitted();
    expect(main).toMatchObject({ Errors: 1 });
    expect(extra[0]).toMatchObject({ FailureType: "JobFailed", Errors: 1 });
  });

  it("counts a malformed job under Errors", async () => {
    await testRule()(
      { "CodePipeline.job": { id: "job-bad", data: { inputArtifacts: 3 } } },
      lambdaContext("fn"),
    );
    const { main, extra } = emitted();
    expect(main).toMatchObject({ Errors: 1, Passed: 0 });
    expect(extra[0]).toMatchObject({ FailureType: "JobFailed" });
  });

  it("leaves out a figure that is not a finite number", async () => {
    const handler = testRule(undefined, () => ({
      pass: true,
      summary: "ok",
      figures: { Broken: Number.NaN, Endless: Number.POSITIVE_INFINITY, Fine: 2 },
    }));
    const { result } = await run({}, handler);
    expect(result.decision.figures).toEqual({ Fine: 2 });
    const { main } = emitted();
    expect(metricNames(main)).toContain("Fine");
    expect(metricNames(main)).not.toContain("Broken");
    expect(metricNames(main)).not.toContain("Endless");
  });

  it("logs a figure Powertools refuses and still returns normally with the outcome reported", async () => {
    let figures: Record<string, number> = { "": 1 };
    const handler = testRule(undefined, () => ({ pass: true, summary: "ok", figures }));
    const { result, reported } = await run({}, handler);
    expect(result).toMatchObject({ reported: "reported" });
    expect(reported.summary).toBe("ok");
    expect(logs.json().find((l) => l.message === "Could not emit the decision's metrics")).toMatchObject({
      level: "ERROR",
      metricsError: expect.stringContaining("metric name"),
    });
    expect(logs.metrics()).toEqual([]);
    // Nothing of it is left over for the next decision's line.
    figures = { Fine: 3 };
    codePipeline.resetHistory();
    await run({}, handler);
    expect(emitted().main).toMatchObject({ Passed: 1, Fine: 3 });
  });

  it("emits nothing for an event that is not a CodePipeline job", async () => {
    await expect(testRule()({ Records: [] }, lambdaContext("fn"))).rejects.toThrow();
    expect(logs.metrics()).toEqual([]);
  });
});
