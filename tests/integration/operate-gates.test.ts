import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ecrClientFor, seedImage, uniqueRepositoryName } from "../../local/ecr-fixtures.js";
import { jobEvent } from "../../local/job-event.js";
import { lambdaContext } from "../../local/lambda-context.js";
import { type ZipFiles, zipBuffer } from "../../local/zip.js";
import { createBucket, putObject, useLocalAws } from "../support/aws.js";
import { type AwsStub, jsonOperation, startAwsStub } from "../support/aws-stub.js";
import { invokeBundle } from "../support/lambda.js";
import { captureLogs, type EmfLine, expectCleanLogs } from "../support/logs.js";
import { onlyResult, outcomeOf } from "../support/outcomes.js";

/**
 * Operating the gates over real HTTP, with the built bundles of all three rules: metrics (EMF on
 * stdout), warn mode (what the local CodePipeline endpoint is told) and decision records put to
 * moto's EventBridge (read back through a rule that targets an SQS queue) and S3.
 * EventBridge goes through a stub in front of moto, so one test can make the bus hang.
 */
const aws = useLocalAws();
const PREFIX = "audit/gates";
let bus: string;
let recordBucket: string;
let artifactBucket: string;
let queueUrl: string;
let sqs: SQSClient;
let stub: AwsStub;
let logs: ReturnType<typeof captureLogs> | undefined;
let keyCounter = 0;

beforeAll(async () => {
  const config = {
    region: "us-east-1",
    endpoint: aws.moto,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  const eventBridge = new EventBridgeClient(config);
  sqs = new SQSClient(config);
  bus = `gate-decisions-${process.pid}-${Date.now()}`;
  await eventBridge.send(new CreateEventBusCommand({ Name: bus }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: bus }));
  queueUrl = String(queue.QueueUrl);
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  await eventBridge.send(
    new PutRuleCommand({
      Name: "gate-decisions",
      EventBusName: bus,
      EventPattern: JSON.stringify({ source: ["codepipeline-gates"], "detail-type": ["Gate decision"] }),
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: "gate-decisions",
      EventBusName: bus,
      Targets: [{ Id: "queue", Arn: attributes.Attributes?.QueueArn }],
    }),
  );
  recordBucket = await createBucket(aws.s3, "decisions");
  artifactBucket = await createBucket(aws.s3, "operate-artifacts");
  stub = await startAwsStub(aws.moto);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_EVENTBRIDGE: stub.endpoint,
    DECISION_EVENT_BUS: bus,
    DECISION_BUCKET: recordBucket,
    DECISION_KEY_PREFIX: PREFIX,
  });
});
afterAll(async () => {
  for (const name of [
    "AWS_ENDPOINT_URL_EVENTBRIDGE",
    "DECISION_EVENT_BUS",
    "DECISION_BUCKET",
    "DECISION_KEY_PREFIX",
  ]) {
    delete process.env[name];
  }
  await stub?.stop();
});
beforeEach(() => {
  aws.codePipeline.reset();
  stub.clear();
});
afterEach(() => {
  if (!logs) return;
  expectCleanLogs(logs);
  logs = undefined;
});

/** Runs a bundle on a job and returns its one reported result, its log lines and its metrics. */
const gate = async (
  rule: "ecr-findings-check" | "artifact-check" | "window-check",
  userParameters: Record<string, unknown>,
  options: { artifact?: ZipFiles; timeoutMs?: number } = {},
) => {
  let artifacts: Array<{ name: string; bucket: string; key: string }> = [];
  if (options.artifact) {
    const key = `demo-pipeline/BuildArtif/operate${keyCounter++}`;
    await putObject(aws.s3, artifactBucket, key, await zipBuffer(options.artifact));
    artifacts = [{ name: "BuildArtifact", bucket: artifactBucket, key }];
  }
  const event = jobEvent({ userParameters, artifacts });
  const jobId = event["CodePipeline.job"].id;
  const context = lambdaContext(rule, { timeoutMs: options.timeoutMs ?? 60_000 });
  logs = captureLogs();
  await invokeBundle(rule, event, { context });
  logs.restore();
  const metrics = logs.metrics();
  const main = metrics.filter((l) => l._aws.CloudWatchMetrics[0]?.Dimensions[0]?.length === 1);
  expect(main).toHaveLength(1);
  expect(main[0]?._aws.CloudWatchMetrics[0]).toMatchObject({
    Namespace: "CodePipelineGates",
    Dimensions: [["Rule"]],
  });
  expect(main[0]).toMatchObject({ Rule: rule, DurationMs: expect.any(Number) });
  return {
    jobId,
    artifacts,
    context,
    reported: outcomeOf(onlyResult(aws.codePipeline, jobId)),
    metrics: main[0] as EmfLine,
    extraMetrics: metrics.filter((l) => !main.includes(l)),
    log: logs.json(),
  };
};

const delivered = new Map<string, Record<string, unknown>>();
/** The EventBridge event for a job, as the queue received it. */
const eventFor = async (jobId: string): Promise<Record<string, unknown>> => {
  for (let attempt = 0; attempt < 10 && !delivered.has(jobId); attempt++) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const message of received.Messages ?? []) {
      const event = JSON.parse(String(message.Body)) as { detail: { jobId: string } };
      delivered.set(event.detail.jobId, event);
    }
  }
  const event = delivered.get(jobId);
  if (!event) throw new Error(`no event for job ${jobId} reached the queue`);
  return event;
};

/** The one S3 decision record for a job: at <prefix>/YYYY/MM/DD/<jobId>.json, by the decision's UTC date. */
const objectFor = async (jobId: string) => {
  const listed = await aws.s3.send(new ListObjectsV2Command({ Bucket: recordBucket, Prefix: `${PREFIX}/` }));
  const keys = (listed.Contents ?? []).map((o) => String(o.Key)).filter((k) => k.endsWith(`/${jobId}.json`));
  expect(keys).toHaveLength(1);
  const key = String(keys[0]);
  const object = await aws.s3.send(new GetObjectCommand({ Bucket: recordBucket, Key: key }));
  const record = JSON.parse(String(await object.Body?.transformToString())) as Record<string, unknown>;
  const date = String(record.decidedAt).slice(0, 10).replaceAll("-", "/");
  expect(key).toBe(`${PREFIX}/${date}/${jobId}.json`);
  return record;
};

/** "YYYY-MM-DDTHH:MM" in UTC, `minutes` from the start of this minute. */
const minuteFromNow = (minutes: number) => {
  const start = Math.floor(Date.now() / 60_000) * 60_000;
  return new Date(start + minutes * 60_000).toISOString().slice(0, 16);
};

describe("operating the gates over HTTP (moto EventBridge → SQS, S3; local CodePipeline)", () => {
  it("window-check in warn mode: success that says WARN, WouldHaveFailed, event and object", async () => {
    const deny = { from: minuteFromNow(-60), to: minuteFromNow(120), reason: "release freeze" };
    const run = await gate("window-check", { mode: "warn", deny: [deny] });

    expect(run.reported.operation).toBe("PutJobSuccessResult");
    expect(run.reported.summary).toMatch(
      /^WARN: would have failed: Blocked by deny "release freeze" at .*\. Opens /,
    );
    const warning = run.log.find((l) => l.message === "Warn mode: reported a failure as a success");
    expect(run.reported.summary).toBe(`WARN: would have failed: ${warning?.failure}`);

    expect(run.metrics).toMatchObject({
      Rule: "window-check",
      Passed: 0,
      Failed: 0,
      WouldHaveFailed: 1,
      Errors: 0,
    });
    // 120 minutes from the minute the test computed; the rule may decide in the next minute.
    expect([119, 120]).toContain(run.metrics.MinutesUntilOpen);

    const event = await eventFor(run.jobId);
    expect(event).toMatchObject({ source: "codepipeline-gates", "detail-type": "Gate decision" });
    const detail = event.detail as Record<string, unknown>;
    expect(detail).toMatchObject({
      rule: "window-check",
      jobId: run.jobId,
      mode: "warn",
      outcome: "would-have-failed",
      failureType: "JobFailed",
      figures: { MinutesUntilOpen: run.metrics.MinutesUntilOpen },
      reported: "reported",
    });
    expect(String(detail.message)).toMatch(/^Blocked by deny "release freeze" at /);
    expect(await objectFor(run.jobId)).toEqual({ ...detail, text: warning?.failure });
  });

  it("artifact-check enforcing: failure, Failed and ChecksFailed, the artifact's location recorded", async () => {
    const run = await gate(
      "artifact-check",
      {
        checks: [
          { file: "build.log", notMatch: "^ERROR" },
          { file: "build.log", match: "^BUILD OK" },
        ],
      },
      { artifact: { "build.log": "compiling\nERROR: tests failed\n" } },
    );
    expect(run.reported).toMatchObject({ operation: "PutJobFailureResult", type: "JobFailed" });
    expect(run.metrics).toMatchObject({
      Rule: "artifact-check",
      Failed: 1,
      WouldHaveFailed: 0,
      ChecksFailed: 2,
    });

    const detail = (await eventFor(run.jobId)).detail as Record<string, unknown>;
    const artifact = run.artifacts[0];
    expect(detail).toMatchObject({
      rule: "artifact-check",
      mode: "enforce",
      outcome: "failed",
      failureType: "JobFailed",
      message: expect.stringMatching(/^2 of 2 artifact checks failed on input artifact "BuildArtifact": ✗ /),
      figures: { ChecksFailed: 2 },
      artifacts: [{ name: "BuildArtifact", location: `s3://${artifact?.bucket}/${artifact?.key}` }],
    });
    expect((await objectFor(run.jobId)).text).toBe(run.reported.message);
  });

  it("ecr-findings-check passing: Passed and FindingsCounted, the image by digest recorded", async () => {
    const ecr = ecrClientFor(aws.moto);
    // Without injected results moto's scan has one HIGH finding: under the CRITICAL default.
    const image = await seedImage(ecr, { repository: uniqueRepositoryName("operate") });
    const run = await gate("ecr-findings-check", { image: image.digestUri, mode: "warn" });
    expect(run.reported.operation).toBe("PutJobSuccessResult");
    expect(run.reported.summary).toMatch(/^Passed: /);
    expect(run.metrics).toMatchObject({ Passed: 1, WouldHaveFailed: 0, FindingsCounted: 1 });
    const detail = (await eventFor(run.jobId)).detail as Record<string, unknown>;
    expect(detail).toMatchObject({
      outcome: "passed",
      images: [image.digestUri],
      figures: { FindingsCounted: 1 },
    });
    expect(detail).not.toHaveProperty("failureType");
  });

  it("a configuration error fails even in warn mode, and counts under Errors by type", async () => {
    const run = await gate("window-check", { mode: "warn", deny: [{ days: "FUNDAY" }] });
    expect(run.reported).toMatchObject({ operation: "PutJobFailureResult", type: "ConfigurationError" });
    expect(run.metrics).toMatchObject({ Passed: 0, Failed: 0, WouldHaveFailed: 0, Errors: 1 });
    expect(run.extraMetrics).toHaveLength(1);
    expect(run.extraMetrics[0]).toMatchObject({
      Rule: "window-check",
      FailureType: "ConfigurationError",
      Errors: 1,
    });
    expect((await eventFor(run.jobId)).detail).toMatchObject({
      mode: "warn",
      outcome: "error",
      failureType: "ConfigurationError",
    });
  });

  it("a bus that hangs does not hold up the report: the record is given up, logged and counted", async () => {
    stub.fault({ when: jsonOperation("PutEvents"), answer: { delayMs: 30_000 } });
    const deny = { from: minuteFromNow(-60), to: minuteFromNow(60) };
    const run = await gate("window-check", { deny: [deny] }, { timeoutMs: 20_000 });
    expect(run.reported).toMatchObject({ operation: "PutJobFailureResult", type: "JobFailed" });
    expect(stub.answered.map((r) => r.target)).toEqual(["AWSEvents.PutEvents"]);
    expect(run.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(run.log.find((l) => l.message === "Could not put the decision record")).toMatchObject({
      level: "ERROR",
      destination: "EventBridge",
      recordError: "no answer within 3000 ms",
    });
    expect(run.extraMetrics).toEqual([
      expect.objectContaining({ Rule: "window-check", Destination: "EventBridge", DecisionRecordErrors: 1 }),
    ]);
    expect(run.log.find((l) => l.message === "Rule finished")).toMatchObject({
      outcome: "failed",
      reported: "reported",
    });
    // The bucket still got its record.
    expect(await objectFor(run.jobId)).toMatchObject({ jobId: run.jobId, outcome: "failed" });
  });

  it("a bus that does not exist changes nothing about the outcome", async () => {
    process.env.DECISION_EVENT_BUS = "no-such-bus";
    try {
      const run = await gate("window-check", { mode: "warn", deny: [{ reason: "frozen by ops" }] });
      expect(run.reported.summary).toMatch(/^WARN: would have failed: Blocked by deny "frozen by ops" at /);
      expect(run.log.find((l) => l.message === "Could not put the decision record")).toMatchObject({
        destination: "EventBridge",
        target: "no-such-bus",
        recordErrorName: "ResourceNotFoundException",
      });
      expect(run.extraMetrics[0]).toMatchObject({ Destination: "EventBridge", DecisionRecordErrors: 1 });
    } finally {
      process.env.DECISION_EVENT_BUS = bus;
    }
  });
});
