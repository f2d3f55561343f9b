import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from "@aws-sdk/client-codepipeline";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { jobEvent } from "../../../local/job-event.js";
import { lambdaContext } from "../../../local/lambda-context.js";
import type { Decision } from "../../../shared/decision.js";
import { decisionRecord, recordKey, recordSinksFromEnv } from "../../../shared/decision-record.js";
import { publishDecisionRecord } from "../../../shared/decision-sinks.js";
import { createLogger } from "../../../shared/logger.js";
import { createMetrics } from "../../../shared/metrics.js";
import { defineRule, type Verdict } from "../../../shared/rule.js";
import { captureLogs, expectCleanLogs } from "../../support/logs.js";
import { reportedTo } from "../../support/outcomes.js";

const codePipeline = mockClient(CodePipelineClient);
const eventBridge = mockClient(EventBridgeClient);
const s3 = mockClient(S3Client);

const DIGEST = `sha256:${"ab".repeat(32)}`;
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`;

const testRule = (verdict: Verdict) =>
  defineRule({
    name: "test-rule",
    params: z.strictObject({}),
    load: async () => undefined,
    evaluate: () => verdict,
  });

const FAILING: Verdict = {
  pass: false,
  message: "Critical findings detected: web has 2 CRITICAL\nImage: …\nFindings: 2 CRITICAL",
  figures: { FindingsCounted: 2 },
  images: [IMAGE],
};

const ENV = ["DECISION_EVENT_BUS", "DECISION_BUCKET", "DECISION_KEY_PREFIX"] as const;

let logs: ReturnType<typeof captureLogs>;
let order: string[];
beforeEach(() => {
  order = [];
  for (const client of [codePipeline, eventBridge, s3]) client.reset();
  codePipeline.on(PutJobSuccessResultCommand).callsFake(async () => void order.push("report"));
  codePipeline.on(PutJobFailureResultCommand).callsFake(async () => void order.push("report"));
  eventBridge.on(PutEventsCommand).callsFake(async () => {
    order.push("event");
    return { FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] };
  });
  s3.on(PutObjectCommand).callsFake(async () => {
    order.push("object");
    return {};
  });
  Object.assign(process.env, {
    DECISION_EVENT_BUS: "gate-decisions",
    DECISION_BUCKET: "audit-bucket",
    DECISION_KEY_PREFIX: "gates/decisions",
  });
  logs = captureLogs();
});
afterEach(() => {
  for (const name of ENV) delete process.env[name];
  expectCleanLogs(logs);
});

const invoke = async (verdict: Verdict, userParameters: Record<string, unknown> = {}) => {
  const event = jobEvent({
    id: "11111111-2222-3333-4444-555555555555",
    userParameters,
    artifacts: [{ name: "BuildArtifact", bucket: "artifact-bucket", key: "p/BuildArtif/Ab1Cd2E" }],
  });
  const result = await testRule(verdict)(event, lambdaContext("test-rule", { requestId: "req-1" }));
  return { result, reported: reportedTo(codePipeline) };
};

const putEntry = () => {
  const calls = eventBridge.commandCalls(PutEventsCommand);
  expect(calls).toHaveLength(1);
  const entries = calls[0]?.args[0].input.Entries ?? [];
  expect(entries).toHaveLength(1);
  return entries[0];
};

const putObject = () => {
  const calls = s3.commandCalls(PutObjectCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input;
};

describe("decision records", () => {
  it("puts one event to the bus after the report, with the decision's detail", async () => {
    await invoke(FAILING, { mode: "warn" });
    expect(order[0]).toBe("report");
    const entry = putEntry();
    expect(entry).toMatchObject({
      EventBusName: "gate-decisions",
      Source: "codepipeline-gates",
      DetailType: "Gate decision",
    });
    const detail = JSON.parse(String(entry?.Detail));
    expect(detail).toEqual({
      version: 1,
      rule: "test-rule",
      jobId: "11111111-2222-3333-4444-555555555555",
      accountId: "123456789012",
      decidedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      mode: "warn",
      outcome: "would-have-failed",
      failureType: "JobFailed",
      message: "Critical findings detected: web has 2 CRITICAL",
      figures: { FindingsCounted: 2 },
      images: [IMAGE],
      artifacts: [{ name: "BuildArtifact", location: "s3://artifact-bucket/p/BuildArtif/Ab1Cd2E" }],
      reported: "reported",
      durationMs: expect.any(Number),
      requestId: "req-1",
    });
    expect(entry?.Time?.toISOString()).toBe(detail.decidedAt);
  });

  it("writes one JSON object per job under <prefix>/YYYY/MM/DD/<jobId>.json, with the whole text", async () => {
    await invoke(FAILING);
    const input = putObject();
    const record = JSON.parse(String(input?.Body));
    const [date] = String(record.decidedAt).split("T");
    expect(input).toMatchObject({
      Bucket: "audit-bucket",
      Key: `gates/decisions/${date?.replaceAll("-", "/")}/11111111-2222-3333-4444-555555555555.json`,
      ContentType: "application/json",
    });
    expect(record).toMatchObject({ outcome: "failed", mode: "enforce", failureType: "JobFailed" });
    expect(record.text).toBe(FAILING.message);
    // The bus gets the same record, without the whole text.
    const { text: _, ...withoutText } = record;
    expect(JSON.parse(String(putEntry()?.Detail))).toEqual(withoutText);
  });

  it("records a pass without a failure type, with the summary's first line", async () => {
    await invoke({ pass: true, summary: "Open at 10:00 until 18:00.\nChecked 1 allow window." });
    expect(JSON.parse(String(putEntry()?.Detail))).toMatchObject({
      outcome: "passed",
      message: "Open at 10:00 until 18:00.",
      figures: {},
    });
    expect(JSON.parse(String(putEntry()?.Detail))).not.toHaveProperty("failureType");
  });

  it("puts nothing when neither bus nor bucket is set", async () => {
    for (const name of ENV) delete process.env[name];
    await invoke(FAILING);
    expect(eventBridge.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it("puts only to the bucket when only the bucket is set", async () => {
    delete process.env.DECISION_EVENT_BUS;
    await invoke(FAILING);
    expect(eventBridge.calls()).toHaveLength(0);
    expect(putObject()?.Bucket).toBe("audit-bucket");
  });

  it("keeps the outcome when the bus refuses, logs it and counts it", async () => {
    eventBridge.on(PutEventsCommand).rejects(
      Object.assign(new Error("Event bus gate-decisions does not exist."), {
        name: "ResourceNotFoundException",
      }),
    );
    const { reported } = await invoke(FAILING);
    expect(reported).toMatchObject({ type: "JobFailed", message: FAILING.message });
    expect(putObject()).toBeDefined();
    const error = logs.json().find((l) => l.message === "Could not put the decision record");
    expect(error).toMatchObject({
      level: "ERROR",
      destination: "EventBridge",
      target: "gate-decisions",
      recordErrorName: "ResourceNotFoundException",
    });
    const counted = logs.metrics().filter((l) => "DecisionRecordErrors" in l);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({
      Rule: "test-rule",
      Destination: "EventBridge",
      DecisionRecordErrors: 1,
    });
    expect(counted[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([["Rule", "Destination"]]);
  });

  it("treats an entry PutEvents answered with an error code as not put", async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "try again" }],
    });
    await invoke({ pass: true, summary: "ok" });
    expect(logs.json().find((l) => l.message === "Could not put the decision record")).toMatchObject({
      destination: "EventBridge",
      recordError: "InternalFailure: try again",
    });
  });

  it("keeps the outcome when the bucket refuses", async () => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: "AccessDenied",
        $fault: "client",
        $metadata: { httpStatusCode: 403 },
        message: "denied",
      }),
    );
    const { reported } = await invoke({ pass: true, summary: "ok" });
    expect(reported.summary).toBe("ok");
    expect(logs.metrics().find((l) => "DecisionRecordErrors" in l)).toMatchObject({ Destination: "S3" });
  });

  it("gives up on a bus that does not answer, after the job's result was reported", async () => {
    // A client that ignores the abort signal too: the bound must hold anyway.
    eventBridge.on(PutEventsCommand).callsFake(() => new Promise(() => undefined));
    const context = lambdaContext("test-rule", { timeoutMs: 2_000 });
    const event = jobEvent({ userParameters: {} });
    const result = await testRule(FAILING)(event, context);
    expect(result).toMatchObject({ reported: "reported" });
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(order[0]).toBe("report");
    expect(logs.json().find((l) => l.message === "Could not put the decision record")).toMatchObject({
      destination: "EventBridge",
      recordError: expect.stringMatching(/^no answer within \d+ ms$/),
    });
    reportedTo(codePipeline);
  });
});

describe("publishDecisionRecord", () => {
  it("puts nothing when no time is left, and says so", async () => {
    const record = decisionRecord({
      rule: "r",
      jobId: "job-late",
      job: undefined,
      decision: { mode: "enforce", result: { status: "passed", summary: "ok" }, figures: {}, images: [] },
      reported: "reported",
      decidedAt: new Date(),
      durationMs: 1,
      requestId: undefined,
    });
    const failed = await publishDecisionRecord(record, "ok", recordSinksFromEnv(), {
      budgetMs: 0,
      logger: createLogger("r"),
      metrics: createMetrics("r"),
    });
    expect(failed).toEqual(["EventBridge", "S3"]);
    expect(eventBridge.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
    const errors = logs.json().filter((l) => l.message === "Could not put the decision record");
    expect(errors.map((l) => l.recordError)).toEqual([
      "no time left before the function's timeout",
      "no time left before the function's timeout",
    ]);
  });
});

describe("decisionRecord", () => {
  const decision = (text: string): Decision => ({
    mode: "enforce",
    result: { status: "failed", type: "JobFailed", message: text },
    figures: {},
    images: [],
  });
  const recordFor = (text: string, jobId = "job-1") =>
    decisionRecord({
      rule: "r",
      jobId,
      job: undefined,
      decision: decision(text),
      reported: "not-reported",
      decidedAt: new Date("2026-12-31T23:59:59.999Z"),
      durationMs: 5,
      requestId: undefined,
    });

  it("keeps the first line, cut at 1000 characters", () => {
    const record = recordFor(`${"x".repeat(1500)}\nsecond`);
    expect(record.message).toHaveLength(1000);
    expect(record.message.endsWith("…")).toBe(true);
  });

  it("joins a header line that ends in a colon with the line after it", () => {
    expect(
      recordFor('Invalid UserParameters:\nmode: expected one of enforce, warn; got "x"\nmore').message,
    ).toBe('Invalid UserParameters: mode: expected one of enforce, warn; got "x"');
    expect(recordFor("Blocked:").message).toBe("Blocked:");
  });

  it("records a job it could not read without artifacts or account", () => {
    expect(recordFor("Malformed CodePipeline job event")).toEqual({
      version: 1,
      rule: "r",
      jobId: "job-1",
      decidedAt: "2026-12-31T23:59:59.999Z",
      mode: "enforce",
      outcome: "failed",
      failureType: "JobFailed",
      message: "Malformed CodePipeline job event",
      figures: {},
      reported: "not-reported",
      durationMs: 5,
    });
  });

  it.each([
    ["gate-decisions", "gate-decisions/2026/12/31/job-1.json"],
    ["/a/b/", "a/b/2026/12/31/job-1.json"],
    ["", "2026/12/31/job-1.json"],
  ])("keys prefix %j by the decision's UTC date", (prefix, key) => {
    expect(recordKey(prefix, recordFor("x"))).toBe(key);
  });
});

describe("recordSinksFromEnv", () => {
  it("treats blank settings as unset and defaults the prefix", () => {
    expect(recordSinksFromEnv({ DECISION_EVENT_BUS: " ", DECISION_BUCKET: "" })).toEqual({
      eventBus: undefined,
      bucket: undefined,
      prefix: "gate-decisions",
    });
  });
});
